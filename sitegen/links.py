"""Internal links, anchors and alt texts of a built site, checked without a network."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class PageScan:
    """What one HTML file offers (ids) and asks for (links), with line numbers."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str]] = field(default_factory=list)
    missing_alt: list[int] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        line = self.getpos()[0]
        if a.get("id"):
            self.scan.ids.add(a["id"] or "")
        if tag == "a" and a.get("name"):
            self.scan.ids.add(a["name"] or "")
        for attr in ("href", "src"):
            if a.get(attr) and tag in ("a", "link", "img", "script", "area", "source"):
                self.scan.links.append((line, a[attr] or ""))
        if tag == "img" and "alt" not in a:
            self.scan.missing_alt.append(line)


def scan(html: str) -> PageScan:
    """Parse one page."""
    parser = _Scanner()
    parser.feed(html)
    parser.close()
    return parser.scan


def target_file(out: Path, page: Path, href: str, prefix: str = "") -> tuple[Path | None, str]:
    """Map an internal href to the file it names and its fragment; external links give None.

    prefix: the path of base_url, where out/ is published; a root path outside it names no file of
    the site (out/.. stands for that)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None, ""
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    if prefix and path.startswith("/"):
        if path != prefix and not path.startswith(prefix + "/"):
            return out.parent, ""
        path = path[len(prefix):] or "/"
    base = out if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve() if path.startswith("/") else (base / path).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def check_links(out: Path, prefix: str = "") -> list[str]:
    """Every broken internal link or anchor, and every image without alt text, as path:line: message.

    prefix: the path of base_url, under which out/ is published ('' for the host root)."""
    out = out.resolve()
    pages = {p.resolve(): scan(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.html"))}
    problems = []
    for page, found in pages.items():
        rel = page.relative_to(out).as_posix()
        for line in found.missing_alt:
            problems.append(f"{rel}:{line}: image without alt text")
        for line, href in found.links:
            target, fragment = target_file(out, page, href, prefix)
            if target is None:
                continue
            if not target.is_relative_to(out) or not target.is_file():
                problems.append(f"{rel}:{line}: broken link '{href}' (no such file in the site)")
            elif fragment and target in pages and fragment not in pages[target].ids:
                problems.append(f"{rel}:{line}: broken anchor '{href}' (no id '{fragment}' on that page)")
    return sorted(problems, key=lambda p: (p.split(":")[0], int(p.split(":")[1]), p))
