"""HTML tables as Markdown tables (the `tables` extension): one line per row, inline content per cell."""

from __future__ import annotations

from .html_tree import Node
from .md_inline import Inline, fold, inline


def rows(node: Node) -> list[Node]:
    """Every <tr> of a table, in order, through thead/tbody/tfoot."""
    found: list[Node] = []
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == "tr":
                found.append(child)
            elif child.tag in ("thead", "tbody", "tfoot"):
                found.extend(rows(child))
    return found


def cell(node: Node, ctx: Inline) -> str:
    """A cell's content on one line (Markdown cells cannot hold blocks)."""
    return fold(inline(node, ctx)).replace("  \n", " ").replace("\n", " ") or " "


def table(node: Node, ctx: Inline) -> str:
    """A Markdown table; the first row is the header (Markdown tables need one)."""
    grid = [[cell(c, ctx) for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            for tr in rows(node)]
    grid = [r for r in grid if r]
    if not grid:
        return ""
    width = max(len(r) for r in grid)
    if any(isinstance(c, Node) and c.attrs.get("colspan", "1") not in ("", "1")
           for tr in rows(node) for c in tr.children):
        ctx.notes.append("a table cell spanning columns was split (Markdown tables have no colspan)")
    grid = [r + [" "] * (width - len(r)) for r in grid]
    lines = ["| " + " | ".join(r) + " |" for r in grid]
    lines.insert(1, "|" + "|".join(["---"] * width) + "|")
    return "\n".join(lines)
