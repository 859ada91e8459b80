"""Inline HTML (text, emphasis, links, images, code, breaks) as Markdown Python-Markdown reads back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

from .html_tree import BLOCK, Node

SPECIAL = re.compile(r"([\\`*_\[\]{}|])")  # backslash-escaped wherever they are
ENTITY_LIKE = re.compile(r"&(?=[#A-Za-z0-9])")  # "&copy" or "&#1" in text must not become a character
LINE_START = re.compile(r"^(\s*)(#|>|[-+]\s|[-+]\Z|\d+[.)](?=\s|\Z)|=+\s*\Z|:|~~~)", re.M)
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "/", "#", "?", ".")
BREAK = "\x00br\x00"  # a <br> until the paragraph's whitespace is folded


@dataclass
class Inline:
    """What inline rendering needs: the link rewriter and a list of notes for the report."""

    rewrite: Callable[[str], str]
    notes: list[str] = field(default_factory=list)


def escape(text: str) -> str:
    """Text as Markdown that renders to exactly this text."""
    text = SPECIAL.sub(r"\\\1", text)
    return ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")


def guard_lines(text: str) -> str:
    """Escape what would start a heading, quote, list or definition at the start of a line."""
    def fix(m: re.Match[str]) -> str:
        lead, mark = m.group(1), m.group(2)
        if mark[0].isdigit():
            return lead + re.sub(r"([.)])", r"\\\1", mark, count=1)
        if mark[0] in "#>+-":
            return lead + "\\" + mark
        return lead + "&#" + str(ord(mark[0])) + ";" + mark[1:]  # ':', '=', '~' have no backslash escape
    return LINE_START.sub(fix, text)


def url(raw: str, ctx: Inline) -> str | None:
    """A link target rewritten and made safe for Markdown; None for scripts and other schemes."""
    target = ctx.rewrite(raw.strip())
    if not target.lower().startswith(SAFE_SCHEMES) and ":" in target.split("/")[0]:
        ctx.notes.append(f"link dropped (unsafe scheme): {target[:80]}")
        return None
    return quote(target, safe="/:?#[]@!$&'*+,;=%~.-_")


def title_part(node: Node) -> str:
    """A ` "title"` suffix when the title can be written without breaking the syntax."""
    title = node.attrs.get("title", "").strip()
    return f' "{title}"' if title and '"' not in title and "\n" not in title and ")" not in title else ""


def image(node: Node, ctx: Inline) -> str:
    """An <img> as ![alt](src)."""
    src = url(node.attrs.get("src", ""), ctx) if node.attrs.get("src") else None
    if src is None:
        return ""
    alt = " ".join(node.attrs.get("alt", "").split())
    return f"![{escape(alt)}]({src}{title_part(node)})"


def code(text: str) -> str:
    """Inline code with a fence longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def wrap(mark: str, inner: str) -> str:
    """Emphasis around inner, with its outer spaces moved outside (`* x*` is no emphasis)."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead}{mark}{core}{mark}{trail}"


def inline(node: Node, ctx: Inline) -> str:
    """The children of node as one line of Markdown (breaks kept as BREAK marks)."""
    out = ""
    for c in node.children:
        part = one(c, ctx)
        if out.endswith("!") and part.startswith("[") and not out.endswith("\\!"):
            out = out[:-1] + "\\!"  # "!" before a link would make it an image
        out += part
    return out


def one(child: Node | str, ctx: Inline) -> str:
    """One inline child."""
    if isinstance(child, str):
        return escape(child)
    tag = child.tag
    if tag == "br":
        return BREAK
    if tag == "img":
        return image(child, ctx)
    if tag == "code" or tag in ("kbd", "samp", "tt"):
        return code(" ".join(child.text().split()))
    if tag in ("em", "i", "cite", "dfn", "var"):
        return wrap("*", inline(child, ctx))
    if tag in ("strong", "b"):
        return wrap("**", inline(child, ctx))
    if tag == "a":
        return link(child, ctx)
    if tag in BLOCK:
        return " " + inline(child, ctx) + " "  # a block where only text fits (a list in a table cell)
    return inline(child, ctx)


def link(node: Node, ctx: Inline) -> str:
    """An <a> as [text](href); without href only its text."""
    text = inline(node, ctx)
    href = node.attrs.get("href", "")
    target = url(href, ctx) if href.strip() else None
    if target is None or not text.strip():
        return text
    return f"[{text.strip()}]({target}{title_part(node)})"


def fold(text: str) -> str:
    """Collapse HTML whitespace; BREAK marks become Markdown hard breaks; guard each line's start."""
    lines = [" ".join(part.split()) for part in text.split(BREAK)]
    while lines and not lines[-1]:
        lines.pop()
    return guard_lines("  \n".join(lines).strip())
