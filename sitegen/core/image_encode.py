"""The bytes of an image's variants: upright, metadata stripped, resized, encoded the same way every time.

Privacy: the variants carry no EXIF (camera, time, GPS position) and no XMP or comments; only an
ICC colour profile is kept, since without it colours shift. Deterministic: fixed quality, fixed
options, no timestamps, so the same source gives the same bytes (and unchanged files are not
written again). When anything here changes, bump images.RECIPE so every variant gets a new name.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from .images import SQUARE, ImageInfo

if TYPE_CHECKING:  # Pillow itself is imported when an image is encoded: a build without images never loads it
    from PIL import Image

JPEG = {"quality": 82, "optimize": True, "progressive": True}
WEBP = {"quality": 80, "method": 4}
PNG = {"optimize": False, "compress_level": 9}


def encode(info: ImageInfo, data: bytes, crop: str | None) -> list[tuple[str, bytes]]:
    """Every variant of the image as (output path, bytes), narrowest first; decoded once for all of them."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as im:  # closing it makes its pixels unusable: all work is inside
        if im.format == "JPEG":  # decode at the smallest scale still at least as large as the widest variant
            scale = info.widths(crop)[-1] / info.side(crop)[0]
            im.draft(None, (math.ceil(im.width * scale), math.ceil(im.height * scale)))
        icc = im.info.get("icc_profile")
        im.load()
        ImageOps.exif_transpose(im, in_place=True)  # the camera's orientation; no copy (a 4000 px photo: 23 MB)
        picture = _mode(_square(im) if crop == SQUARE else im, info.format)
        made = []
        for path, width, height in reversed(info.variants(crop)):  # widest first: each narrower one from it
            if picture.size != (width, height):  # a third of the time of resizing each from the source
                picture = picture.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
            made.append((path.lstrip("/"), _save(picture, info.format, icc)))
    made.reverse()
    return made


def _square(im: "Image.Image") -> "Image.Image":
    """The largest square: centred across, towards the top (where faces are) down a tall picture."""
    side = min(im.size)
    left = (im.width - side) // 2
    top = (im.height - side) // 5  # a fifth of the spare height above: a head, not a chin, in the middle
    return im.crop((left, top, left + side, top + side))


def _mode(im: "Image.Image", fmt: str) -> "Image.Image":
    """A mode the format stores well: CMYK and palettes become RGB, or RGBA where they are transparent."""
    alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if fmt == "JPEG":
        return im if im.mode in ("RGB", "L") else im.convert("RGB")
    if alpha:
        return im if im.mode == "RGBA" else im.convert("RGBA")
    return im if im.mode in ("RGB", "L") else im.convert("RGB")


def _save(im: "Image.Image", fmt: str, icc: bytes | None) -> bytes:
    """Encoded with fixed options and nothing of the source's metadata but its colour profile."""
    im.info = {}  # resize and convert copy the source's info (EXIF, XMP, comments): none of it goes out
    # (its "transparency" too, which a palette image would need: _mode made every palette RGB or RGBA)
    options = {"JPEG": JPEG, "WEBP": WEBP, "PNG": PNG}[fmt]
    extra = {"icc_profile": icc} if icc else {}
    buffer = io.BytesIO()
    im.save(buffer, fmt, **options, **extra)
    return buffer.getvalue()
