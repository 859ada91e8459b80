"""HTML to Markdown that Python-Markdown renders back to the same structure (our own: see docs)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .html_tree import BLOCK, Node, parse_html
from .md_inline import Inline, code, escape, fold, image, inline
from .md_table import table

HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}  # the page's title is the only h1
LISTS = ("ul", "ol")
SEPARATOR = "<!-- -->"  # an empty HTML comment: the one way Markdown has to end a list before the next
LOOSE = {"p", "pre", "blockquote", "table", "div", "h2", "h3", "h4", "h5", "h6", "figure", "hr"}
INDENT = "    "  # Python-Markdown nests list content by four spaces (markdownify's two break it)


@dataclass(frozen=True)
class Converted:
    """Markdown and what the conversion could not keep."""

    markdown: str
    notes: tuple[str, ...]


def convert(html: str, rewrite: Callable[[str], str] = lambda u: u) -> Converted:
    """Convert post HTML to Markdown; links go through rewrite."""
    root, dropped = parse_html(html)
    ctx = Inline(rewrite)
    text = "\n\n".join(blocks(root, ctx, nested=False)).strip()
    notes = [f"left out <{tag}> (embedded content has no place in a page's text)" for tag in dropped]
    return Converted(re.sub(r"\n{3,}", "\n\n", text) + "\n" if text else "", tuple(notes + ctx.notes))


def blocks(node: Node, ctx: Inline, nested: bool) -> list[str]:
    """The children of node as Markdown blocks; loose text between blocks becomes a paragraph."""
    out: list[str] = []
    run: list[Node | str] = []
    last = ""
    for child in node.children + [Node("p")]:  # the empty sentinel flushes the last run
        if isinstance(child, Node) and child.tag in BLOCK:
            if run:
                text = fold(inline(Node("p", children=run), ctx))
                last = "p" if text else last
                out.append(text)
                run = []
            if child.tag in LISTS and last in LISTS:
                out.append(SEPARATOR)  # two lists in a row would otherwise become one
            out.append(block(child, ctx, nested))
            last = child.tag if out[-1].strip() else last
        else:
            run.append(child)
    return [b for b in out if b.strip()]


def block(node: Node, ctx: Inline, nested: bool) -> str:
    """One block element as Markdown."""
    tag = node.tag
    if tag in HEADINGS:
        return "#" * HEADINGS[tag] + " " + fold(inline(node, ctx)).replace("  \n", " ")
    if tag in ("ul", "ol"):
        return listing(node, ctx)
    if tag == "blockquote":
        inner = "\n\n".join(blocks(node, ctx, nested=True))
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if tag == "pre":
        return preformatted(node.text(), nested)
    if tag == "hr":
        return "* * *"
    if tag == "table":
        return table(node, ctx)
    if tag == "figure":
        return figure(node, ctx)
    if tag in ("p", "dt", "dd", "figcaption", "caption", "summary", "address"):
        return fold(inline(node, ctx))
    return "\n\n".join(blocks(node, ctx, nested))


def listing(node: Node, ctx: Inline) -> str:
    """A list; each item's later blocks and nested lists are indented by four spaces."""
    items = [c for c in node.children if isinstance(c, Node) and c.tag == "li"]
    # a paragraph, code or quote in an item needs blank lines around it: the whole list is then loose
    loose = any(isinstance(c, Node) and c.tag in LOOSE for li in items for c in li.children)
    out = []
    for number, li in enumerate(items, start=1):
        parts = blocks(li, ctx, nested=True) or [""]
        mark = f"{number}. " if node.tag == "ol" else "- "
        body = ("\n\n" if loose else "\n").join(parts)
        lines = body.split("\n")
        first = mark + lines[0]
        rest = [INDENT + line if line else "" for line in lines[1:]]
        out.append("\n".join([first, *rest]))
    return ("\n\n" if loose else "\n").join(out)


def preformatted(text: str, nested: bool) -> str:
    """A <pre> as a fenced block at the top level, an indented one inside lists and quotes."""
    text = text.strip("\n")
    if nested:
        return "\n".join(INDENT + line for line in text.split("\n"))
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{text}\n{fence}"


def figure(node: Node, ctx: Inline) -> str:
    """An image with its caption: the image, then the caption in italics below it."""
    img = node.find("img")
    if img is None:
        return "\n\n".join(blocks(node, ctx, nested=False))  # the block editor wraps tables in <figure>
    caption = node.find("figcaption")
    link = node.find("a")
    shown = image(img, ctx)
    if shown and link is not None and link.attrs.get("href"):
        from .md_inline import url
        target = url(link.attrs["href"], ctx)
        shown = f"[{shown}]({target})" if target else shown
    text = fold(inline(caption, ctx)) if caption is not None else ""
    return "\n\n".join(p for p in (shown, f"*{text}*" if text else "") if p)


__all__ = ["Converted", "convert", "code", "escape"]
