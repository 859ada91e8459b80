"""Links to the old site rewritten to the new addresses; what cannot be rewritten is listed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

UPLOADS = "/wp-content/uploads/"
# WordPress themes' anchors on a post and their counterparts on a topic page (templates/comments.html)
ANCHORS = {"respond": "kommentieren", "comments": "kommentieren", "reply-title": "kommentieren"}
COMMENT_ANCHOR = re.compile(r"^comment-(\d+)\Z")


def site_path(url: str, base: str) -> str | None:
    """The path (with query) of url on the old site, or None when url leads elsewhere."""
    parts, old = urlsplit(url), urlsplit(base)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc.lower().removeprefix("www.") != old.netloc.lower().removeprefix("www."):
        return None
    if not parts.netloc and not url.startswith("/"):
        return None  # relative to the page or a fragment: not ours to guess
    prefix = old.path.rstrip("/")
    path = parts.path or "/"
    if prefix and not (path == prefix or path.startswith(prefix + "/")):
        return None
    rest = path[len(prefix):] or "/"
    return rest + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def clean(path: str) -> str:
    """A path compared without its query and trailing slash."""
    return path.split("?")[0].rstrip("/") or "/"


@dataclass
class Links:
    """The old site's addresses and where each now lives."""

    base: str
    by_path: dict[str, str] = field(default_factory=dict)  # old path -> new site path
    by_id: dict[str, str] = field(default_factory=dict)  # post id -> new site path
    files: dict[str, str] = field(default_factory=dict)  # uploads path (after UPLOADS) -> /dateien/…
    missed: list[str] = field(default_factory=list)  # links to the old site left as they were
    comments: set[str] = field(default_factory=set)  # ids of the comments published by this import
    anchors: list[str] = field(default_factory=list)  # links whose anchor has no counterpart (dropped)

    def add(self, link: str, post_id: str, new: str) -> None:
        """Record that the item at link (id post_id) is now at new."""
        path = site_path(link, self.base) if link else None
        if path is not None:
            self.by_path[clean(path)] = new
        self.by_id[post_id] = new

    def rewrite(self, url: str) -> str:
        """The new address of url, or url unchanged (listed when it pointed to the old site)."""
        path = site_path(url, self.base)
        if path is None:
            return url
        target, _, fragment = path.partition("#")
        new = self.lookup(target)
        if new is None:
            self.missed.append(url)
            return url
        return new + self.anchor(fragment, new, url)

    def anchor(self, fragment: str, new: str, url: str) -> str:
        """The new page's anchor for an old one: the comment form, a published comment, else none."""
        if not fragment:
            return ""
        found = COMMENT_ANCHOR.match(fragment)
        if new.startswith("/themen/") and fragment in ANCHORS:
            return "#" + ANCHORS[fragment]
        if new.startswith("/themen/") and found and found.group(1) in self.comments:
            return f"#kommentar-wordpress-{found.group(1)}"
        self.anchors.append(url)
        return ""

    def lookup(self, path: str) -> str | None:
        """The new address for an old path, by upload, by item link or by `?p=`/`?page_id=`."""
        plain = path.split("?")[0]
        if UPLOADS in plain:
            return self.files.get(plain.split(UPLOADS, 1)[1])
        query = parse_qs(path.partition("?")[2])
        for key in ("p", "page_id", "attachment_id"):
            if query.get(key):  # an id the import does not know (a draft, a deleted post) is not the home page
                return self.by_id.get(query[key][0])
        return self.by_path.get(clean(path)) if clean(path) != "/" else "/"

    def absolute(self, url: str) -> str:
        """url made absolute on the old site (attachment URLs sometimes are root-relative)."""
        return url if urlsplit(url).netloc else self.base.rstrip("/") + "/" + url.lstrip("/")
