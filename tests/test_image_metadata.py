"""Editors' original images go out without their metadata (sitegen/core/image_metadata.py): no
camera, time, GPS position, XMP, IPTC or comment; the same pixels; the orientation and colour profile kept."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageCms, PngImagePlugin

import imagefiles as f
from sitegen import build
from sitegen.core.image_metadata import without_metadata
from sitetest import TODAY

SECRETS = (b"Kamerahersteller", b"2026:05:01", b"Jena-Nord", b"geheimer Kommentar", b"Autorin")
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>Jena-Nord</rdf:Description></x:xmpmeta>'
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def saved(fmt: str, orientation: int, **options: object) -> bytes:
    buffer = io.BytesIO()
    f.photo(120, 80, mode="RGBA" if fmt == "PNG" else "RGB").save(
        buffer, fmt, exif=f.exif_bytes(orientation=orientation), **options)
    return buffer.getvalue()


def published(data: bytes, suffix: str) -> Image.Image:
    """The stripped file, checked: nothing secret left, the same picture."""
    out = without_metadata(data, suffix)
    assert out.problem is None
    assert not [s for s in SECRETS if s in out.data]
    before, after = Image.open(io.BytesIO(data)), Image.open(io.BytesIO(out.data))
    assert after.format == before.format and after.size == before.size and after.mode == before.mode
    assert after.tobytes() == before.tobytes()  # not decoded and encoded again: the very pixels
    assert not after.getexif().get_ifd(f.GPS_IFD) and "xmp" not in after.info and "comment" not in after.info
    return after


@pytest.mark.parametrize("orientation", [1, 6, 8])
@pytest.mark.parametrize("progressive", [False, True])
def test_a_jpeg_keeps_its_pixels_colour_profile_and_orientation_only(orientation: int, progressive: bool) -> None:
    data = saved("JPEG", orientation, progressive=progressive, icc_profile=ICC, xmp=XMP,
                 comment=b"geheimer Kommentar", quality=90)
    assert all(s in data for s in SECRETS[:4])
    after = published(data, ".jpg")
    assert dict(after.getexif()) == ({f.ORIENTATION: orientation} if orientation != 1 else {})
    assert after.info["icc_profile"] == ICC and after.info.get("progressive", 0) == progressive


def test_the_pictures_a_phone_appends_after_the_first_go_too() -> None:
    """Phones' JPEGs (MPO) carry previews and depth maps after the first picture, each with its EXIF."""
    first = saved("JPEG", 1)
    after = without_metadata(first + f.jpeg(f.photo(60, 40), f.exif_bytes()), ".jpeg")
    assert after.problem is None and b"Kamerahersteller" not in after.data
    assert after.data == without_metadata(first, ".jpg").data


def test_a_png_loses_its_text_time_and_exif_but_not_its_transparency() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Autorin")
    info.add_itxt("Ort", "Jena-Nord", zip=True)
    info.add(b"tIME", struct.pack(">HBBBBB", 2026, 5, 1, 12, 0, 0))
    data = saved("PNG", 6, pnginfo=info, icc_profile=ICC)
    after = published(data, ".png")
    assert after.mode == "RGBA" and dict(after.getexif()) == {f.ORIENTATION: 6} and after.info["icc_profile"] == ICC
    Image.open(io.BytesIO(without_metadata(data, ".png").data)).verify()  # every chunk's CRC
    chunks = without_metadata(data, ".png").data
    assert chunks.index(b"eXIf") < chunks.index(b"IDAT") and not {b"tEXt", b"iTXt", b"tIME"} & {
        chunks[i:i + 4] for i in range(len(chunks))}


@pytest.mark.parametrize("orientation", [1, 3])
def test_a_webp_loses_exif_and_xmp_and_says_so_in_its_header(orientation: int) -> None:
    data = saved("WEBP", orientation, xmp=XMP, lossless=True)
    after = published(data, ".webp")
    out = without_metadata(data, ".webp").data
    assert struct.unpack_from("<I", out, 4)[0] == len(out) - 8
    flags = out[out.index(b"VP8X") + 8]
    assert not flags & 0x04 and bool(flags & 0x08) == (orientation != 1)
    assert dict(after.getexif()) == ({f.ORIENTATION: orientation} if orientation != 1 else {})


def test_files_without_metadata_or_of_other_kinds_are_unchanged() -> None:
    buffer = io.BytesIO()
    f.photo(50, 50).save(buffer, "WEBP", quality=80)  # simple WebP: no extended header
    assert without_metadata(buffer.getvalue(), ".webp").data == buffer.getvalue()
    assert without_metadata(b"%PDF-1.7 Kamerahersteller", ".pdf").data == b"%PDF-1.7 Kamerahersteller"
    png = f.png(f.photo(40, 30))
    assert without_metadata(png, ".PNG").data == png


def test_every_truncation_or_damage_is_a_problem_with_the_file_unchanged() -> None:
    """Hostile or broken uploads: never an exception, never a file half stripped."""
    for suffix, data in ((".jpg", saved("JPEG", 6, xmp=XMP)), (".png", saved("PNG", 6)),
                         (".webp", saved("WEBP", 6, xmp=XMP, lossless=True))):
        whole = without_metadata(data, suffix).data
        for cut in range(0, len(data) - 1, 7):
            out = without_metadata(data[:cut], suffix)
            if out.problem is not None:
                assert out.data == data[:cut] and "published as it is" in out.problem
            else:  # a cut past the picture's end, where only metadata or padding was left
                assert not [s for s in SECRETS if s in out.data] and out.data == whole
        damaged = data[:2] + b"\x00" + data[3:]
        assert without_metadata(damaged, suffix).problem is not None


def test_the_build_publishes_originals_stripped_and_warns_about_one_it_cannot_read(site_root, tmp_path) -> None:
    folder = site_root / "content" / "dateien"
    source = (folder / "pate-portrait.jpg").read_bytes()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(f.GPS_IFD)  # the fixture's portrait has a position
    (folder / "kaputt.jpg").write_bytes(b"\xff\xd8 Kamerahersteller, nicht lesbar")
    out = tmp_path / "out"
    report = build(site_root, out, today=TODAY)
    shown = Image.open(out / "dateien" / "pate-portrait.jpg")
    assert not shown.getexif().get_ifd(f.GPS_IFD) and b"Kamerahersteller" not in (out / "dateien/pate-portrait.jpg").read_bytes()
    assert shown.tobytes() == Image.open(io.BytesIO(source)).tobytes()
    assert (out / "dateien" / "kaputt.jpg").read_bytes() == (folder / "kaputt.jpg").read_bytes()
    assert [w for w in report.warnings if "metadata" in w] == [
        "content/dateien/kaputt.jpg: its metadata (EXIF, GPS position) could not be removed: "
        "no marker at byte 2; it is published as it is"]
    again = build(site_root, out, today=TODAY)  # unchanged: kept, and still warned about
    assert again.written == () and [w for w in again.warnings if "metadata" in w] == [
        w for w in report.warnings if "metadata" in w]
