"""Images for the tests, made with Pillow the same way every time (also the fixture's: `python tests/imagefiles.py`)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

FIXTURE = Path(__file__).parent / "fixtures" / "site" / "content" / "dateien"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width: int, height: int, seed: int = 0, mode: str = "RGB") -> Image.Image:
    """A picture with shapes, so resizing and cropping show in it."""
    im = Image.new("RGB", (width, height), (200 - seed * 20 % 120, 220, 230))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, height * 2 // 3, width, height), fill=(90, 110, 95))
    draw.ellipse((width // 4, height // 8, width * 3 // 4, height // 2), fill=(0, 103, 107))
    draw.rectangle((width // 3, height // 2, width * 2 // 3, height), fill=(40, 60, 120))
    return im.convert(mode) if mode != "RGB" else im


def exif_bytes(orientation: int = 1, gps: bool = True) -> bytes:
    """EXIF with a camera, a time, an orientation and (privacy!) a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x0132] = "2026:05:01 12:00:00"  # DateTime
    exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (50.0, 55.0, 40.0), 3: "E", 4: (11.0, 35.0, 20.0)}
    return exif.tobytes()


def jpeg(im: Image.Image, exif: bytes = b"", quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def png(im: Image.Image) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: its length, kind, data and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 20_000, height: int = 10_000) -> bytes:
    """A PNG whose header claims more pixels than Pillow's limit: tiny on disk, huge if decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64)) \
        + png_chunk(b"IEND", b"")


def transparent_png(width: int, height: int) -> bytes:
    """A plan with transparent parts (RGBA): it must stay a PNG with its alpha."""
    im = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(im)
    draw.rectangle((width // 8, height // 8, width * 7 // 8, height * 7 // 8), fill=(0, 103, 107, 255))
    draw.ellipse((width // 3, height // 3, width * 2 // 3, height * 2 // 3), fill=(255, 255, 255, 128))
    return png(im)


def make_fixture() -> None:
    """The fixture's raster images: a 400x500 portrait with GPS in its EXIF, a 2000 px lead image, a plan."""
    (FIXTURE / "pate-portrait.jpg").write_bytes(jpeg(photo(400, 500, 1), exif_bytes()))
    (FIXTURE / "strasse.jpg").write_bytes(jpeg(photo(2000, 1125, 2)))
    (FIXTURE / "plan.png").write_bytes(transparent_png(800, 450))


if __name__ == "__main__":
    make_fixture()
