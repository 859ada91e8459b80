"""Editors' original images go out without their metadata (sitegen/core/image_metadata.py): no
camera, time, GPS position, XMP, IPTC or comment; the same pixels; the orientation and colour profile kept."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image, ImageCms, PngImagePlugin

import imagefiles as f
from imagefiles import png_chunk
from sitegen import build
from sitegen.check import run_check
from sitegen.core.image_metadata import Published, without_metadata
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


def test_the_build_and_check_warn_once_per_image_whose_metadata_stays_in(site_root, tmp_path) -> None:
    folder = site_root / "content" / "dateien"
    source = (folder / "pate-portrait.jpg").read_bytes()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(f.GPS_IFD)  # the fixture's portrait has a position
    (folder / "kaputt.jpg").write_bytes(b"\xff\xd8 Kamerahersteller, nicht lesbar")  # no image and no structure
    no_end = f.png(f.photo(40, 30))
    (folder / "ohne-ende.png").write_bytes(no_end[:no_end.rindex(b"IEND") - 4])  # Pillow reads it; no IEND
    out = tmp_path / "out"
    report = build(site_root, out, today=TODAY)
    shown = Image.open(out / "dateien" / "pate-portrait.jpg")
    assert not shown.getexif().get_ifd(f.GPS_IFD)
    assert b"Kamerahersteller" not in (out / "dateien/pate-portrait.jpg").read_bytes()
    assert shown.tobytes() == Image.open(io.BytesIO(source)).tobytes()
    for name in ("kaputt.jpg", "ohne-ende.png"):
        assert (out / "dateien" / name).read_bytes() == (folder / name).read_bytes()
    expected = [
        "content/dateien/kaputt.jpg: the image is not an image Pillow can read; it is published as it is, "
        "without smaller sizes, and with any metadata it holds (EXIF, GPS position)",
        "content/dateien/ohne-ende.png: its metadata (EXIF, GPS position) could not be removed: "
        "it ends before its last chunk (IEND); it is published as it is"]
    assert [w for w in report.warnings if "metadata" in w] == expected
    again = build(site_root, out, today=TODAY)  # unchanged: kept, and still warned about
    assert again.written == () and [w for w in again.warnings if "metadata" in w] == expected
    stream = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=stream) == 0  # warnings, not errors
    assert [line[4:] for line in stream.getvalue().splitlines() if "metadata" in line] == expected


# --- the structures byte by byte: hand-made files, every kind of segment and chunk ---------------

def seg(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def tiff_mm(orientation: int, kind: int = 3) -> bytes:
    """Big-endian EXIF: a GPS pointer, another SHORT, then the orientation (a SHORT unless kind says otherwise)."""
    value = struct.pack(">HH", orientation, 0) if kind == 3 else struct.pack(">I", orientation)
    return b"MM\x00*" + struct.pack(">IH", 8, 3) + struct.pack(">HHII", 0x8825, 4, 1, 50) \
        + struct.pack(">HHIHH", 0x0128, 3, 1, 2, 0) \
        + struct.pack(">HHI", 0x0112, kind, 1) + value + b"\x00\x00\x00\x00" + b"GPS Jena-Nord"


def only_orientation(n: int) -> bytes:
    """The one EXIF entry the module writes, spelt out (little-endian TIFF)."""
    return b"II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00" + bytes((n,)) + b"\x00" + bytes(6)


JFIF = seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
JFXX = seg(0xE0, b"JFXX\x00\x10Kamerahersteller")  # a JPEG thumbnail, which may carry EXIF
ICC_SEGMENT = seg(0xE2, b"ICC_PROFILE\x00\x01\x01profile")
ADOBE = seg(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x01")
DQT, SOF = seg(0xDB, b"\x00" + bytes(64)), seg(0xC0, b"\x08\x00\x10\x00\x10\x01\x01\x11\x00")
DHT, DRI, SOS = seg(0xC4, b"\x00" + bytes(16)), seg(0xDD, b"\x00\x04"), seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
SCAN = b"\x12\xff\x00\x34\xff\xd0\x56\xff\xd7\x78"  # stuffed 0xFF and restart markers are picture data
DROPPED = (seg(0xE0, b"AVI1\x00Kamerahersteller"), seg(0xE1, b"http://ns.adobe.com/xap/1.0/\x00Jena-Nord"),
           seg(0xE2, b"MPF\x00Kamerahersteller"), seg(0xED, b"Photoshop 3.0\x00Autorin"),
           seg(0xEC, b"Adobe Kamerahersteller"), seg(0xEF, b"Kamerahersteller"), seg(0xFE, b"geheimer Kommentar"))


def test_a_jpeg_keeps_exactly_the_segments_that_draw_the_picture_in_their_order() -> None:
    data = b"\xff\xd8" + JFIF + seg(0xE1, b"Exif\x00\x00" + tiff_mm(6)) + b"".join(DROPPED) + JFXX \
        + ICC_SEGMENT + JFIF + ADOBE + DQT + b"\xff\x01\xff\xd0\xff\xd7" + seg(0xF0, b"x") + SOF + DHT + DRI \
        + SOS + SCAN + b"\xff\xff" + SOS + SCAN \
        + b"\xff\xff\xd9" + b"\xff\xd8" + seg(0xE1, b"Exif\x00\x00" + tiff_mm(6)) + b"\xff\xd9"
    assert without_metadata(data, ".JPG") == Published(
        b"\xff\xd8" + JFIF + seg(0xE1, b"Exif\x00\x00" + only_orientation(6)) + ICC_SEGMENT + JFIF + ADOBE + DQT
        + b"\xff\x01\xff\xd0\xff\xd7" + seg(0xF0, b"x") + SOF + DHT + DRI + SOS + SCAN + SOS + SCAN + b"\xff\xd9")


@pytest.mark.parametrize("orientation,kept", [(2, 2), (8, 8), (1, None), (0, None), (9, None)])
def test_a_camera_jpeg_without_jfif_gets_its_orientation_first(orientation: int, kept: int | None) -> None:
    data = b"\xff\xd8" + seg(0xE1, b"Exif\x00\x00" + tiff_mm(orientation)) + DQT + SOS + SCAN + b"\xff\xd9"
    exif = seg(0xE1, b"Exif\x00\x00" + only_orientation(kept)) if kept else b""
    assert without_metadata(data, ".jpeg").data == b"\xff\xd8" + exif + DQT + SOS + SCAN + b"\xff\xd9"


def test_a_marker_right_after_stuffing_or_a_restart_ends_the_picture_data() -> None:
    for scan in (b"\x12\xff\x00\xff\xd9", b"\x12\xff\xd3\xff\xd9", b"\xff\x00\xff\xd0\xff\xd9"):
        data = b"\xff\xd8" + DQT + SOS + scan
        assert without_metadata(data, ".jpg") == Published(data)


def test_a_little_endian_orientation_is_read_and_no_exif_stays_none() -> None:
    data = b"\xff\xd8" + seg(0xE1, b"Exif\x00\x00" + only_orientation(5)) + DQT + SOS + SCAN + b"\xff\xd9"
    assert without_metadata(data, ".jpg").data == data
    bare = b"\xff\xd8" + JFIF + DQT + SOS + SCAN + b"\xff\xd9"
    assert without_metadata(bare, ".jpg") == Published(bare)


@pytest.mark.parametrize("tiff", [tiff_mm(6, kind=4), b"XX\x00*" + tiff_mm(6)[4:], tiff_mm(6)[:20], b""])
def test_an_orientation_that_cannot_be_read_counts_as_upright(tiff: bytes) -> None:
    data = b"\xff\xd8" + JFIF + seg(0xE1, b"Exif\x00\x00" + tiff) + DQT + SOS + SCAN + b"\xff\xd9"
    assert without_metadata(data, ".jpg").data == b"\xff\xd8" + JFIF + DQT + SOS + SCAN + b"\xff\xd9"


@pytest.mark.parametrize("data,reason", [
    (b"GIF89a", "it does not start like a JPEG file"),
    (b"\xff\xd8\x00", "no marker at byte 2"),
    (b"\xff\xd8\xff\xff", "no marker at byte 4"),
    (b"\xff\xd8\xff\x00\xd9", "no marker at byte 3"),
    (b"\xff\xd8\xff\xdb\x00", "it ends inside a segment"),
    (b"\xff\xd8\xff\xdb\x00\x02", "no marker at byte 6"),  # an empty segment, then nothing
    (b"\xff\xd8\xff\xdb\x00\x01", "a segment at byte 4 runs past the end"),
    (b"\xff\xd8\xff\xdb\x00\x05ab", "a segment at byte 4 runs past the end"),
    (b"\xff\xd8\xff\xdb\x00\x04ab", "no marker at byte 8"),
    (b"\xff\xd8" + SOS + b"\x12\x34", "the picture data has no end"),
    (b"\xff\xd8" + SOS + b"\x12\xff", "the picture data has no end"),
    (b"\xff\xd8" + SOS + b"\xff\x00\xff\xd0", "the picture data has no end"),
])
def test_a_jpeg_that_cannot_be_followed_says_where(data: bytes, reason: str) -> None:
    assert without_metadata(data, ".jpg").problem == (
        f"its metadata (EXIF, GPS position) could not be removed: {reason}; it is published as it is")


PNG_HEAD = f.png(f.photo(4, 4))[:33]  # the signature and IHDR


def test_a_png_keeps_exactly_its_picture_chunks_and_an_orientation_before_its_data() -> None:
    keep = (png_chunk(b"iCCP", b"sRGB\x00\x00x"), png_chunk(b"pHYs", bytes(9)))
    drop = (png_chunk(b"tEXt", b"Author\x00Autorin"), png_chunk(b"zTXt", b"Ort\x00\x00x"),
            png_chunk(b"iTXt", b"Ort\x00\x00\x00\x00\x00Jena-Nord"), png_chunk(b"tIME", bytes(7)),
            png_chunk(b"eXIf", tiff_mm(8)))
    data = PNG_HEAD + drop[0] + keep[0] + drop[1] + drop[2] + drop[3] + drop[4] + keep[1] \
        + png_chunk(b"IDAT", b"one") + png_chunk(b"IDAT", b"two") + png_chunk(b"IEND", b"") + b"Kamerahersteller"
    assert without_metadata(data, ".png").data == PNG_HEAD + keep[0] + keep[1] \
        + png_chunk(b"eXIf", only_orientation(8)) \
        + png_chunk(b"IDAT", b"one") + png_chunk(b"IDAT", b"two") + png_chunk(b"IEND", b"")


@pytest.mark.parametrize("data,reason", [
    (b"\x89PNG\r\n\x1a", "it does not start like a PNG file"),
    (PNG_HEAD + b"\x00\x00\x00", "it ends before its last chunk (IEND)"),
    (PNG_HEAD, "it ends before its last chunk (IEND)"),
    (PNG_HEAD + png_chunk(b"IDAT", b"abc")[:-1], "the chunk b'IDAT' runs past the end"),
    (PNG_HEAD + b"\x00\x00\x00\x00IEND", "the chunk b'IEND' runs past the end"),  # no CRC
    (PNG_HEAD + b"\xff\xff\xff\xffIDAT" + bytes(8), "the chunk b'IDAT' runs past the end"),
])
def test_a_png_that_cannot_be_followed_says_why(data: bytes, reason: str) -> None:
    assert without_metadata(data, ".png").problem == (
        f"its metadata (EXIF, GPS position) could not be removed: {reason}; it is published as it is")


def riff(*chunks: bytes) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_chunk(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)


def vp8x(flags: int) -> bytes:
    return webp_chunk(b"VP8X", bytes((flags, 0, 0, 0)) + bytes(6))


@pytest.mark.parametrize("orientation", [6, 1])
def test_a_webp_keeps_exactly_its_picture_chunks_with_its_flags_made_true(orientation: int) -> None:
    picture = (webp_chunk(b"ICCP", b"profile"), webp_chunk(b"ALPH", b"abc"), webp_chunk(b"VP8L", b"pixels"))
    data = riff(vp8x(0x20 | 0x10 | 0x08 | 0x04), *picture, webp_chunk(b"EXIF", b"Exif\x00\x00" + tiff_mm(orientation)),
                webp_chunk(b"XMP ", b"Jena-Nord")) + b"Kamerahersteller"
    exif = (webp_chunk(b"EXIF", only_orientation(orientation)),) if orientation != 1 else ()
    assert without_metadata(data, ".webp").data == riff(
        vp8x(0x20 | 0x10 | (0x08 if exif else 0)), *picture, *exif)


def test_a_webp_exif_chunk_without_its_header_is_read_as_well() -> None:
    data = riff(vp8x(0x08), webp_chunk(b"VP8L", b"pixels"), webp_chunk(b"EXIF", only_orientation(3)))
    assert without_metadata(data, ".webp") == Published(data)


def test_a_webp_without_exif_gets_none_and_an_empty_chunk_is_a_chunk() -> None:
    data = riff(vp8x(0x10), webp_chunk(b"VP8L", b"pixels"), webp_chunk(b"ALPH", b""))  # a bare header, last
    assert without_metadata(data, ".webp") == Published(data)


@pytest.mark.parametrize("data,reason", [
    (b"RIFF\x04\x00\x00\x00WEBX", "it does not start like a WebP file"),
    (b"RIFX\x04\x00\x00\x00WEBP", "it does not start like a WebP file"),
    (b"RIFF\x04\x00\x00\x00WEB", "it does not start like a WebP file"),
    (b"RIFF\x05\x00\x00\x00WEBP", "its RIFF size runs past the end"),
    (b"RIFF\x03\x00\x00\x00WEBP", "its RIFF size runs past the end"),
    (b"RIFF\x08\x00\x00\x00WEBPVP8L", "it ends inside a chunk header"),
    (riff(b"VP8L\x07\x00\x00\x00pixels"), "the chunk b'VP8L' runs past the end"),
    (riff(b"VP8L\xff\xff\xff\xffpixels"), "the chunk b'VP8L' runs past the end"),
])
def test_a_webp_that_cannot_be_followed_says_why(data: bytes, reason: str) -> None:
    assert without_metadata(data, ".webp").problem == (
        f"its metadata (EXIF, GPS position) could not be removed: {reason}; it is published as it is")


def test_an_empty_webp_body_and_a_bare_riff_header_are_handled() -> None:
    assert without_metadata(riff(), ".webp") == Published(riff())
