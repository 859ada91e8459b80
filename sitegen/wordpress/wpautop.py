"""WordPress' paragraph rules (`wpautop`) and block-editor comments: raw post content to real HTML."""

from __future__ import annotations

import re

BLOCKS = ("table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
          "blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|"
          "footer|nav|figure|figcaption|details|menu|summary")
OPEN_OR_CLOSE = re.compile(rf"(<(?:{BLOCKS})[\s/>])|(</(?:{BLOCKS})>)", re.I)
STARTS_BLOCK = re.compile(rf"^\s*</?(?:{BLOCKS})[\s/>]", re.I)
ENDS_BLOCK = re.compile(rf"</?(?:{BLOCKS})[^>]*>\s*\Z", re.I)
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
PRE = re.compile(r"<pre[\s>].*?</pre>", re.S | re.I)


def has_blocks(content: str) -> bool:
    """Whether content was written in the block editor (WordPress then skips wpautop)."""
    return "<!-- wp:" in content


def strip_blocks(content: str) -> str:
    """The content without block-editor comments; their HTML already has its paragraphs."""
    return BLOCK_COMMENT.sub("\n", content)


def autop(content: str) -> str:
    """Wrap text separated by blank lines in <p>, single line breaks in <br>, as WordPress shows it."""
    if has_blocks(content):
        return strip_blocks(content)
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        # a <pre> keeps its line breaks exactly: set aside, put back after the paragraphs are made
        kept.append(match.group(0))
        return f"\n\n<wp-pre-{len(kept) - 1}></wp-pre-{len(kept) - 1}>\n\n"

    text = PRE.sub(keep, content.replace("\r\n", "\n").replace("\r", "\n"))
    text = OPEN_OR_CLOSE.sub(lambda m: f"\n\n{m.group(0)}" if m.group(1) else f"{m.group(0)}\n\n", text)
    out = [paragraph(chunk) for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    html = "\n".join(out)
    for number, block in enumerate(kept):
        html = html.replace(f"<wp-pre-{number}></wp-pre-{number}>", block)
    return html


def paragraph(chunk: str) -> str:
    """One chunk between blank lines: a block stays as it is, text becomes a paragraph."""
    chunk = chunk.strip("\n")
    if STARTS_BLOCK.match(chunk) or ENDS_BLOCK.search(chunk) or chunk.lstrip().startswith("<wp-pre-"):
        return chunk
    return "<p>" + chunk.strip().replace("\n", "<br />\n") + "</p>"
