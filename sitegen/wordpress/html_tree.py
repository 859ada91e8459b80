"""HTML as a small tree of nodes, built with the standard library's forgiving parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "embed", "param", "track"}
DROPPED = {"script", "style", "template", "noscript", "iframe", "object", "form", "button", "select",
           "textarea", "svg", "canvas", "video", "audio", "head", "title"}
BLOCK = {"p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "figure",
         "figcaption", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
         "tfoot", "tr", "td", "th", "caption", "hr", "address", "details", "summary", "center",
         "h1", "h2", "h3", "h4", "h5", "h6"}
CLOSES_P = BLOCK - {"li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "caption", "figcaption"}


@dataclass
class Node:
    """An element: its tag, attributes and children (nodes or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """All text inside, without markup."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag: str) -> Node | None:
        """The first descendant with tag."""
        for c in self.children:
            if isinstance(c, Node):
                hit = c if c.tag == tag else c.find(tag)
                if hit is not None:
                    return hit
        return None


class TreeBuilder(HTMLParser):
    """Builds the tree; closes what HTML closes implicitly (p before a block, li before li)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.dropped: list[str] = []  # tags whose content is left out (scripts, embeds, forms)
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip or tag in DROPPED:
            if tag in DROPPED and tag not in VOID:
                self.skip += 1
                self.dropped.append(tag)
            return
        if tag in CLOSES_P:
            self.close_to("p", stop={"li", "td", "th", "blockquote", "div"})
        if tag == "li":
            self.close_to("li", stop={"ul", "ol"})
        if tag in ("td", "th"):
            self.close_to(("td", "th"), stop={"tr", "table"})
        if tag == "tr":
            self.close_to("tr", stop={"table", "thead", "tbody", "tfoot"})
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skip and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag in DROPPED
            return
        if any(n.tag == tag for n in self.stack[1:]):
            while self.stack[-1].tag != tag:
                self.stack.pop()
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.stack[-1].children.append(data)

    def close_to(self, tags: str | tuple[str, ...], stop: set[str]) -> None:
        """Pop up to and including the nearest open tags, unless a stop tag is nearer."""
        wanted = (tags,) if isinstance(tags, str) else tags
        for depth in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[depth].tag
            if tag in wanted:
                del self.stack[depth:]
                return
            if tag in stop:
                return


def parse_html(html: str) -> tuple[Node, list[str]]:
    """The tree of html and the tags whose content was dropped."""
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root, builder.dropped
