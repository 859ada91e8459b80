"""Editors' raster images (JPEG, PNG, WebP under content/dateien): what each one is, and its variants.

A page never shows the uploaded file itself but variants of it in a few widths, named after their
content (`/dateien/foto-960w.<hash>.jpg`), so a CDN may cache them forever and a changed image gets
new names. This module says which variants an image has; image_encode.py makes their bytes, and
pictures.py puts them into pages.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .model import Record
from .published_files import published

RASTER = (".jpg", ".jpeg", ".png", ".webp")  # SVG, PDF and the rest are published as they are
WIDTHS = (480, 960, 1600)  # never more than the source: wider ones are dropped, the source's width is the largest
SQUARE = "square"  # the one crop there is: a portrait's face-friendly square, only when asked
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
RECIPE = "2"  # how variants are encoded (image_encode.py): change it when that changes, and every name changes
MAX_BYTES = 5_000_000  # larger uploads are warned about: they slow the build and the editors' repository


@dataclass(frozen=True, slots=True)
class ImageInfo(Record):
    """A raster image as pages show it: upright (EXIF orientation applied), its size and content hash.
    problem: why it cannot be resized (then pages show the file as it is, and `check` says why)."""

    src: str  # its site path, /dateien/...
    width: int
    height: int
    digest: str  # of the file's bytes
    size: int  # of the file, in bytes
    format: str  # JPEG, PNG or WEBP
    problem: str | None = None

    def side(self, crop: str | None) -> tuple[int, int]:
        """The size of the picture before resizing: the whole image, or its square."""
        if crop == SQUARE:
            side = min(self.width, self.height)
            return side, side
        return self.width, self.height

    def widths(self, crop: str | None) -> tuple[int, ...]:
        """The variants' widths, narrowest first: never upscaled, the source's own width the widest below 1600."""
        full = self.side(crop)[0]
        return tuple(w for w in WIDTHS if w < full) + ((full,) if full <= WIDTHS[-1] else ())

    def height_at(self, width: int, crop: str | None) -> int:
        """The height of the variant that is width wide: the aspect ratio kept."""
        w, h = self.side(crop)
        return max(1, round(width * h / w))

    def variant(self, width: int, crop: str | None) -> str:
        """The site path of one variant: the stem, the width, the crop, a hash of source and recipe (and
        path: a.jpg and a.jpeg with the same bytes must not make the same names)."""
        path = PurePosixPath(self.src)
        tag = hashlib.blake2b(f"{self.digest}\0{RECIPE}\0{crop}\0{self.src}".encode("utf-8", "surrogatepass"),
                              digest_size=5).hexdigest()
        cropped = "-sq" if crop == SQUARE else ""
        return str(path.with_name(f"{path.stem}-{width}w{cropped}.{tag}.{EXTENSION[self.format]}"))

    def variants(self, crop: str | None) -> tuple[tuple[str, int, int], ...]:
        """(site path, width, height) of each variant, narrowest first."""
        return tuple((self.variant(w, crop), w, self.height_at(w, crop)) for w in self.widths(crop))


def raster_files(folder: Path) -> list[tuple[str, Path]]:
    """The published raster images of content/dateien, as (site path, file), sorted."""
    return [("/" + (PurePosixPath("dateien") / p.relative_to(folder).as_posix()).as_posix(), p)
            for p in published(folder) if p.suffix.lower() in RASTER]


def probe(src: str, data: bytes) -> ImageInfo:
    """What the image is; a file Pillow cannot read whole (truncated, a bomb, text) gets a problem, not an exception."""
    from PIL import Image, UnidentifiedImageError

    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # a bomb is refused, not decoded
            with Image.open(io.BytesIO(data)) as im:
                if im.format not in EXTENSION:
                    return ImageInfo(src, 0, 0, digest, len(data), "", f"is {im.format}, not JPEG, PNG or WebP")
                fmt, (width, height) = im.format, im.size
                turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF orientation: a quarter turn
                if fmt == "JPEG":
                    im.draft(None, (max(1, width // 8), max(1, height // 8)))  # decoded small: still read whole
                im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return ImageInfo(src, 0, 0, digest, len(data), "", f"refused as a decompression bomb ({exc})")
    except UnidentifiedImageError:
        return ImageInfo(src, 0, 0, digest, len(data), "", "is not an image Pillow can read")
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or damaged data
        return ImageInfo(src, 0, 0, digest, len(data), "", f"is damaged ({exc})")
    if turned:
        width, height = height, width
    return ImageInfo(src, width, height, digest, len(data), fmt)


def index(folder: Path) -> dict[str, ImageInfo]:
    """Every raster image of content/dateien by site path (the serial build's; the engine reuses by signature)."""
    return {src: probe(src, path.read_bytes()) for src, path in raster_files(folder)}


def problems(infos: dict[str, ImageInfo], kept_metadata: dict[str, str] | None = None) -> list[str]:
    """The warnings about the images themselves, by file: unreadable ones, uploads over MAX_BYTES, and
    those whose metadata could not be removed (kept_metadata: site path -> why, as
    image_metadata.without_metadata says it). An unreadable file gets one warning that says both."""
    kept_metadata = kept_metadata or {}
    found = []
    for src in sorted(infos.keys() | kept_metadata.keys()):
        where, info, kept = f"content{src}", infos.get(src), kept_metadata.get(src)  # src: /dateien/...
        if info is not None and info.problem:
            also = ", and with any metadata it holds (EXIF, GPS position)" if kept else ""
            found.append(f"{where}: the image {info.problem}; it is published as it is, without smaller sizes{also}")
            continue
        if kept:
            found.append(f"{where}: {kept}")
        if info is not None and info.size > MAX_BYTES:
            found.append(f"{where}: {info.size / 1e6:.1f} MB is large for the web; upload at most "
                         f"{MAX_BYTES // 1_000_000} MB (about {WIDTHS[-1] * 2} px wide is plenty)")
    return found
