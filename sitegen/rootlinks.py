"""`check`: root-relative links in the content that would lead out of a site published under a prefix.

Editors write links to the site's own pages as root paths (`/themen/x/`); the build puts the path
of base_url before them. A root path that is no page or file of the site (`/rathaus/`, meant for
the city's main site on the same host) or that climbs above it (`/../x`) would then point into
the prefix where nothing is, or out of it. The rule: under a prefix, a root path must stay inside
the site and begin with one of the site's own top-level names; anything else on the host is
linked with its full address. Reported against the Markdown file and line, not the built page.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from .core.markdown_html import markdown_to_html
from .core.source import Source, SourceError, read_markdown
from .core.urls import rooted_urls

# the top-level names the build itself writes (a page of content/seiten/ adds its own)
BUILT = {"", "index.html", "themen", "termine", "dateien", "static", "feeds", "daten", "danke", "404.html",
         "sitemap.xml", "robots.txt"}
FOLDERS = ("themen", "termine", "seiten")
# front matter fields that hold a URL (documents[].url: see _links)
FIELDS = (("themenpate", "photo"), ("image", "src"), ("interview", "url"))
HINT = ("link the site's own pages as /themen/…, /termine/…, /dateien/… (the build adds the prefix); "
        "link anything else on the host with its full address, https://…")


def leaves_site(url: str, roots: set[str]) -> str | None:
    """Why a root-relative URL leads out of the site (None if it stays inside)."""
    segments: list[str] = []
    for part in unquote(urlsplit(url).path).split("/")[1:]:
        if part == "..":
            if not segments:
                return "climbs above the site's folder"
            segments.pop()
        elif part != ".":
            segments.append(part)
    first = segments[0] if segments else ""
    return None if first in roots else f"names '/{first}', which is no page or folder of this site"


def escaping_links(root: Path, prefix: str) -> list[str]:
    """`path:line: message` for each root-relative link of the content that would leave the prefix."""
    if not prefix:
        return []  # at the host root a wrong root path is a broken link, which check_links reports
    content = Path(root) / "content"
    roots = BUILT | {p.stem for p in (content / "seiten").glob("*.md")}
    problems = []
    for folder in FOLDERS:
        for path in sorted((content / folder).glob("*.md")):
            try:
                src = read_markdown(path)
            except (SourceError, OSError, UnicodeError):
                continue  # the build reports a file it cannot read
            rel = path.relative_to(root).as_posix()
            for line, url in _links(src):
                why = leaves_site(url, roots)
                if why:
                    problems.append(f"{rel}:{line}: the link '{url}' would lead out of the site under the prefix "
                                    f"'{prefix}' (it becomes '{prefix}{url}' and {why}): {HINT}")
    return problems


def _links(src: Source) -> Iterator[tuple[int, str]]:
    """(line, URL) of each root-relative link in the front matter's URL fields and in the body."""
    for keys in FIELDS:
        value = _get(src.data, keys)
        if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
            yield src.lines.get(keys) or 1, value
    for i, doc in enumerate(src.data.get("documents") or ()):
        value = doc.get("url") if isinstance(doc, dict) else None
        if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
            yield src.lines.get(("documents", i, "url")) or src.lines.get(("documents",)) or 1, value
    body = src.body.split("\n")
    for url in rooted_urls(markdown_to_html(src.body)):
        url = html.unescape(url)
        line = next((n for n, text in enumerate(body) if url in text), 0)
        yield src.body_line + line, url


def _get(data: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data
