"""Images in pages: `<img>` with srcset, sizes, width and height, from what images.py knows of each file.

Templates call `images.picture(src, use, crop)`; an editor's Markdown body goes through
`images.body(html)`. Each use says how wide a page shows the image (USES): the `sizes` attribute,
and the width `check` expects the upload to have at least. Every image asked for is remembered
(`asked`), so the engine knows what a page was made from and which cropped variants to make.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

from markupsafe import Markup, escape

from .images import ImageInfo

# use: (sizes attribute, the widest it is shown on a screen at 1x, in CSS px), from the stylesheet:
# a 76rem page with 1rem margins, from 60em the main column two thirds of it less a 3rem gap
# (47rem), below one column (up to 58rem wide, just under 60em); cards at least 17rem wide, one
# column below 37.5rem (up to 35.5rem wide); a portrait 10rem; the logo 2.75rem high (square: wide).
USES = {
    "lead": ("(min-width: 76rem) 47rem, (min-width: 60em) 64vw, 100vw", 928),
    "body": ("(min-width: 76rem) 47rem, (min-width: 60em) 64vw, 100vw", 928),
    "card": ("(min-width: 60em) 23rem, (min-width: 37.5rem) 50vw, 100vw", 568),
    "portrait": ("10rem", 160),
    "logo": ("2.75rem", 44),
}
# uses shown at a fixed height (rem), as wide as their shape makes them: the sizes attribute and the
# width check scale with the image's aspect ratio (a 3:1 logo is shown 8.25rem wide, not 2.75rem)
HEIGHT_BOUND = {"logo": 2.75}
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r"""\ssrc="(/dateien/[^"]+)\"""")


@dataclass(frozen=True)
class Picture:
    """What an `<img>` needs: the widest variant as src, every variant in srcset, its size."""

    src: str
    path: str  # src without the site's prefix
    srcset: str
    sizes: str
    width: int
    height: int


def shown_px(use: str, info: ImageInfo, crop: str | None) -> int:
    """The widest a page shows the image for use, in CSS px at 1x (`check` wants twice that)."""
    widest = USES[use][1]
    if use in HEIGHT_BOUND:
        width, height = info.side(crop)
        return math.ceil(widest * width / height)
    return widest


class Images:
    """The site's raster images by site path, for one renderer; remembers which ones pages asked for."""

    def __init__(self, infos: dict[str, ImageInfo] | None = None, url: Callable[[str], str] = lambda p: p):
        self.infos = infos or {}
        self.url = url  # urls.url_for with the site's prefix
        self.asked: set[tuple[str, str | None]] = set()
        # infos never change in an Images: each picture is worked out once, not once per page (the
        # variants' names are hashes: a fifth of a topic page's rendering time before this)
        self._made: dict[tuple[str, str, str | None], Picture | None] = {}
        self._tags: dict[tuple, Markup] = {}
        self._keys: dict[tuple, tuple] = {}

    def picture(self, src: str | None, use: str, crop: str | None = None) -> Picture | None:
        """The picture of src as shown for use; None if src is no raster image of /dateien/ Pillow can read."""
        if not src:
            return None
        self.asked.add((src, crop))
        key = (src, use, crop)
        if key not in self._made:
            self._made[key] = self._picture(src, use, crop)
        return self._made[key]

    def _picture(self, src: str, use: str, crop: str | None) -> Picture | None:
        info = self.infos.get(src)
        if info is None or info.problem:
            return None
        # quoted: a space or a comma in a file name would split a srcset candidate in two
        variants = [(quote(path), w, h) for path, w, h in info.variants(crop)]
        srcset = ", ".join(f"{self.url(path)} {w}w" for path, w, _ in variants)
        path, width, height = variants[-1]
        sizes = USES[use][0]
        if use in HEIGHT_BOUND:
            sizes = f"{round(HEIGHT_BOUND[use] * width / height, 2):g}rem"
        return Picture(self.url(path), path, srcset, sizes, width, height)

    def img(self, src: str, alt: str, use: str, lazy: bool = True, crop: str | None = None,
            cls: str | None = None) -> Markup:
        """The whole `<img>` tag (escaped here: alt may be an editor's); the file as it is if it has no variants."""
        if alt:  # an editor's alt text: mostly one page's own
            return self._img(src, alt, use, lazy, crop, cls)
        key = (src, use, lazy, crop, cls)  # decoration (the cards, the logo): the same tag on many pages
        tag = self._tags.get(key)
        if tag is None:
            tag = self._tags[key] = self._img(src, alt, use, lazy, crop, cls)
        elif src:
            self.asked.add((src, crop))  # as picture() records it on the first call
        return tag

    def _img(self, src: str, alt: str, use: str, lazy: bool, crop: str | None, cls: str | None) -> Markup:
        pic = self.picture(src, use, crop)
        attrs = [("class", cls)] if cls else []
        if pic is None:
            attrs += [("src", self.url(src)), ("alt", alt)]
        else:
            attrs += [("src", pic.src), ("srcset", pic.srcset), ("sizes", pic.sizes), ("width", str(pic.width)),
                      ("height", str(pic.height)), ("alt", alt)]
        if lazy:
            attrs += [("loading", "lazy"), ("decoding", "async")]
        return Markup("<img" + "".join(f' {name}="{escape(value)}"' for name, value in attrs) + ">")

    def shared(self, src: str | None) -> str | None:
        """The site path to give a share card or search engine: the widest variant (no EXIF or GPS,
        unlike the editor's original), or src itself if it has none."""
        pic = self.picture(src, "lead")
        return pic.path if pic else src

    def body(self, html: Any) -> Markup:
        """An editor's converted Markdown with its /dateien/ images given srcset, sizes, size and lazy loading."""
        text = str(html)
        if "<img" not in text:
            return Markup(text)
        return Markup(_IMG.sub(self._body_img, text))

    def _body_img(self, match: re.Match[str]) -> str:
        tag = match.group()
        src = _SRC.search(tag)
        if src is None or " srcset=" in tag or " width=" in tag:  # an editor's own choice stays
            return tag
        pic = self.picture(src.group(1), "body")
        if pic is None:
            return tag
        # src stays root-relative here: |prefixed adds the prefix to it after this
        extra = (f' srcset="{escape(pic.srcset)}" sizes="{escape(pic.sizes)}" width="{pic.width}"'
                 f' height="{pic.height}" loading="lazy" decoding="async"')
        tag = tag.replace(src.group(0), f' src="{escape(pic.path)}"', 1)
        return tag[:-1].rstrip("/").rstrip() + extra + ">"

    def key_of(self, asked: tuple[tuple[str, str | None], ...]) -> tuple:
        """What a page that asked for these images was made from of them (in the engine's keys)."""
        key = self._keys.get(asked)
        if key is None:  # asked for by one topic page after another: a few different ones per site
            key = self._keys[asked] = tuple((src, crop, self._info_key(src)) for src, crop in asked)
        return key

    def _info_key(self, src: str) -> tuple | None:
        info = self.infos.get(src)
        return None if info is None else (info.digest, info.width, info.height, info.format, info.problem)

    def take(self) -> tuple[tuple[str, str | None], ...]:
        """What was asked for since the last take, sorted; and forget it (one page at a time)."""
        asked = tuple(sorted(self.asked, key=lambda a: (a[0], a[1] or "")))
        self.asked = set()
        return asked

