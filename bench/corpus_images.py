"""The corpus's images: six photo-like JPEGs (2000-4000 px, 0.5-3 MB) and a PNG logo, made by Pillow from a seed.

Photo-like means they compress like photos: smooth gradients and shapes under fine noise, so a
JPEG of 3000 px is a few megabytes, not a few kilobytes. Many topics use them as their image
(corpus.py: `IMAGE_EVERY`), so the build resizes each once and the floor (floor.py) does the same.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

# (width, height, noise): sizes of phone and camera photos; noise sets the file size
PHOTOS = ((4000, 3000, 12), (3000, 2000, 10), (2400, 1600, 16), (2000, 3000, 6), (3600, 2400, 4), (2048, 1536, 10))
LOGO = "/dateien/logo.png"


def photo_names() -> list[str]:
    return [f"/dateien/foto-{i + 1}.jpg" for i in range(len(PHOTOS))]


def photo(width: int, height: int, noise: int, rng: random.Random) -> bytes:
    """A JPEG that compresses like a photo (with EXIF, as cameras write it)."""
    im = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), tuple(rng.randrange(40, 220) for _ in range(3)))
    im = Image.blend(im, tint, 0.6)
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 20, width // 5)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    im = im.filter(ImageFilter.GaussianBlur(width / 400))
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    im = Image.blend(im, grain, noise / 200)
    exif = Image.Exif()
    exif[0x010F] = "Benchmark-Kamera"
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def logo() -> bytes:
    """A small PNG logo with transparency."""
    im = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(im).rounded_rectangle((8, 8, 248, 248), 32, fill=(0, 103, 107, 255))
    buffer = io.BytesIO()
    im.save(buffer, "PNG")
    return buffer.getvalue()


def write_images(content: Path, seed: int) -> None:
    """content/dateien/ with the photos and the logo, the same bytes for the same seed."""
    rng = random.Random(seed)
    folder = content / "dateien"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (width, height, noise) in zip(photo_names(), PHOTOS):
        (folder / Path(name).name).write_bytes(photo(width, height, noise, rng))
    (folder / Path(LOGO).name).write_bytes(logo())
