"""Images' variants: widths, aspect ratio, the square crop, EXIF orientation and privacy, modes, determinism."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import imagefiles as f
from sitegen.core.image_encode import encode
from sitegen.core.images import SQUARE, ImageInfo, probe


def variants(data: bytes, crop: str | None = None, src: str = "/dateien/bild.jpg") -> list[tuple[str, Image.Image]]:
    info = probe(src, data)
    assert info.problem is None
    return [(path, Image.open(io.BytesIO(blob))) for path, blob in encode(info, data, crop)]


@pytest.mark.parametrize("width,expected", [(4000, (480, 960, 1600)), (1600, (480, 960, 1600)),
                                            (1200, (480, 960, 1200)), (960, (480, 960)), (300, (300,))])
def test_widths_are_never_upscaled_and_the_source_width_is_the_widest(width: int, expected: tuple) -> None:
    assert ImageInfo("/dateien/a.jpg", width, 100, "d", 1, "JPEG").widths(None) == expected


def test_variants_keep_the_aspect_ratio_and_are_named_by_width_and_hash() -> None:
    made = variants(f.jpeg(f.photo(1200, 800)))
    assert [im.size for _, im in made] == [(480, 320), (960, 640), (1200, 800)]
    assert [p.split(".")[0] for p, _ in made] == ["dateien/bild-480w", "dateien/bild-960w", "dateien/bild-1200w"]
    assert len({p.split(".")[1] for p, _ in made}) == 1 and len(made[0][0].split(".")[1]) == 10


def test_a_changed_image_gets_new_names() -> None:
    one, two = (probe("/dateien/a.jpg", f.jpeg(f.photo(800, 600, seed))) for seed in (1, 2))
    assert one.variant(480, None) != two.variant(480, None)


def test_a_portrait_is_cropped_square_only_when_asked_towards_the_top() -> None:
    im = f.photo(400, 500)
    im.paste((255, 0, 0), (0, 0, 400, 20))  # a red band on top...
    im.paste((0, 255, 0), (0, 440, 400, 500))  # ...and a green one at the bottom, which a centred crop would keep
    data = f.jpeg(im, quality=95)
    assert [i.size for _, i in variants(data)] == [(400, 500)]
    (path, square), = variants(data, SQUARE)
    assert square.size == (400, 400) and "-400w-sq." in path
    r, g, b = square.convert("RGB").getpixel((200, 399))
    assert g < 200, "cut towards the top: the bottom band is outside the square"


def test_exif_orientation_is_applied_and_no_metadata_goes_out() -> None:
    """Privacy: camera, time and GPS position of the upload never reach the published variants."""
    data = f.jpeg(f.photo(600, 400), f.exif_bytes(orientation=6))  # stored landscape, to be shown turned
    assert Image.open(io.BytesIO(data)).getexif().get(f.GPS_IFD)  # the upload has a position
    info = probe("/dateien/bild.jpg", data)
    assert (info.width, info.height) == (400, 600)
    for path, blob in encode(info, data, None):
        im = Image.open(io.BytesIO(blob))
        assert im.size[1] > im.size[0], path  # upright
        assert not im.getexif() and "exif" not in im.info and "xmp" not in im.info
        assert b"Kamerahersteller" not in blob and b"2026:05:01" not in blob


@pytest.mark.parametrize("mode,fmt,expected", [("CMYK", "JPEG", "RGB"), ("L", "JPEG", "L"), ("P", "PNG", "RGB"),
                                               ("LA", "PNG", "RGBA"), ("RGBA", "PNG", "RGBA")])
def test_colour_modes_become_what_the_format_stores(mode: str, fmt: str, expected: str) -> None:
    im = f.photo(600, 300, mode=mode)
    buffer = io.BytesIO()
    im.save(buffer, fmt)
    made = variants(buffer.getvalue(), src=f"/dateien/bild.{fmt.lower()}")
    assert all(i.mode == expected and i.format == fmt for _, i in made)


def test_a_transparent_palette_png_stays_a_png_with_alpha() -> None:
    im = Image.open(io.BytesIO(f.transparent_png(600, 300))).convert("P", palette=Image.Palette.ADAPTIVE)
    im.info["transparency"] = 0
    made = variants(f.png(im), src="/dateien/plan.png")
    assert all(i.format == "PNG" and i.mode == "RGBA" for _, i in made) and made[0][0].endswith(".png")
    assert made[-1][1].getextrema()[3][0] == 0  # some pixels are transparent


def test_the_same_source_gives_the_same_bytes() -> None:
    data = f.jpeg(f.photo(2000, 1000), f.exif_bytes())
    info = probe("/dateien/bild.jpg", data)
    assert encode(info, data, None) == encode(info, data, None)
    assert encode(info, data, SQUARE) == encode(info, data, SQUARE)


@pytest.mark.parametrize("data,why", [
    (f.jpeg(f.photo(800, 600))[:2000], "is damaged"),
    (f.bomb_png(), "decompression bomb"),
    (b"Das ist kein Bild, nur Text.\n" * 10, "not an image"),
    (b"GIF89a" + b"\0" * 40, "not an image"),
])
def test_a_hostile_file_gets_a_problem_not_an_exception(data: bytes, why: str) -> None:
    info = probe("/dateien/kaputt.jpg", data)
    assert info.problem is not None and why in info.problem


def test_the_same_bytes_under_two_names_make_different_variants() -> None:
    data = f.jpeg(f.photo(800, 600))
    one, two = probe("/dateien/a.jpg", data), probe("/dateien/a.jpeg", data)
    assert one.variant(480, None) != two.variant(480, None)  # the writer refuses one path written twice
