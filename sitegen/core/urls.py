"""The site's prefix: the path of base_url, put before every internal URL the build writes.

Content, templates and the model speak in site paths (`/themen/x/`, `/dateien/a.pdf`); a site
published under a sub-path (`https://stadt.github.io/zukunft/`) needs `/zukunft/themen/x/` in
its pages. Editors never write the prefix: it is added here, when a page is rendered, so that
nothing cached (converted Markdown, parsed files) depends on it. Without a prefix every function
hands its input back unchanged: the output stays byte for byte what it was.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Callable
from urllib.parse import urlsplit

from markupsafe import Markup, escape

# A start tag (in converted Markdown, text never holds a raw '<': it is escaped to &lt;), and in it
# an attribute holding a root-relative URL: '/' but not '//' (another host).
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_ROOTED = re.compile(r"""(\s(?:href|src|action|poster)\s*=\s*["']?)/(?!/)""", re.IGNORECASE)


def prefix_of(base_url: str | None) -> str:
    """The path of base_url without its trailing '/' ('/zukunft'), or '' for a site at the host root."""
    if not base_url:
        return ""
    return urlsplit(str(base_url)).path.rstrip("/")


def url_for(path: str, prefix: str = "") -> str:
    """A site path as the URL to write: a root-relative path gets the prefix; any other URL stays."""
    if prefix and path[:1] == "/" and path[1:2] != "/":
        return prefix + path
    return path


def prefixed_html(html: Any, prefix: str = "") -> Markup:
    """An editor's converted Markdown (trusted HTML) with its root-relative href/src prefixed."""
    if not prefix:
        return Markup(html)  # what |safe did: no work without a prefix
    safe = str(escape(prefix))  # base_url is the site's own, but an attribute value is no place for a '"'
    rooted = lambda m: m.group(1) + safe + "/"  # noqa: E731
    return Markup(_TAG.sub(lambda tag: _ROOTED.sub(rooted, tag.group()), str(html)))


def rooted_urls(html: str) -> list[str]:
    """The root-relative URLs that href/src attributes of this HTML name, in order (for `check`)."""
    found = []
    for tag in _TAG.finditer(html):
        for attr in re.finditer(r"""\s(?:href|src|action|poster)\s*=\s*(["']?)(/(?!/)[^"'\s>]*)""", tag.group(),
                                re.IGNORECASE):
            found.append(attr.group(2))
    return found


def install(globals_: dict[str, Any], filters: dict[str, Any], prefix: str, asset: Callable[[str], str]) -> None:
    """The templates' url_for(), asset() and |prefixed for this prefix (plain functions without one)."""
    if not prefix:
        globals_.update(url_for=url_for, asset=asset)
        filters["prefixed"] = prefixed_html
        return
    globals_.update(url_for=partial(url_for, prefix=prefix), asset=lambda name: prefix + asset(name))
    filters["prefixed"] = partial(prefixed_html, prefix=prefix)
