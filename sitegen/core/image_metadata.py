"""Editors' images as published under their own name: the same pixels, without what the camera noted.

A photo's file carries more than its picture: EXIF (camera, serial number, time, the GPS position
where it was taken), XMP and IPTC (software, author, location names), comments, and in phones' JPEGs
more pictures after the first (previews, depth maps), each with its own EXIF. The variants pages
show are encoded afresh without any of it (image_encode.py); this module removes it from the
uploaded file itself, without decoding it, so not a bit of the picture changes.

Kept: what shows the picture as it was meant to be seen, the colour profile (ICC), the JFIF and Adobe
colour markers, PNG's colour and transparency chunks, and the EXIF orientation (rewritten as the
only EXIF entry), since browsers turn the original by it.

A file whose structure this module cannot follow comes back unchanged, with the reason why
(`Published.problem`): the build publishes it as it is and warns.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

ORIENTATION = 0x0112  # the EXIF tag
EXIF_HEADER = b"Exif\x00\x00"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROPPED = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}  # metadata; every other chunk draws the picture
WEBP_DROPPED = {b"EXIF", b"XMP "}
VP8X_EXIF, VP8X_XMP = 0x08, 0x04  # flags of the extended WebP header
# searched, not stepped through byte by byte: a damaged or hostile file may hold megabytes of them
_FILL = re.compile(rb"\xff+")  # a marker with the fill bytes before it
_CODED_END = re.compile(rb"\xff(?=[^\x00\xd0-\xd7])")  # an 0xFF neither stuffed (FF 00) nor a restart


class Unreadable(ValueError):
    """The file's structure cannot be followed."""


@dataclass(frozen=True)
class Published:
    """An image file as it goes out; problem: why its metadata could not be removed (data unchanged)."""

    data: bytes
    problem: str | None = None


def without_metadata(data: bytes, suffix: str) -> Published:
    """The file's bytes without metadata, for a .jpg/.jpeg/.png/.webp name; other files unchanged."""
    strip = {".jpg": _jpeg, ".jpeg": _jpeg, ".png": _png, ".webp": _webp}.get(suffix.lower())
    if strip is None:
        return Published(data)
    try:
        return Published(strip(data))
    except Unreadable as exc:
        return Published(data, f"its metadata (EXIF, GPS position) could not be removed: {exc}; "
                               "it is published as it is")


# --- JPEG: a sequence of marker segments up to the first picture's end ----------------------------

def _jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise Unreadable("it does not start like a JPEG file")
    kept, orientation, at = [], 1, 2
    while True:
        marker, at = _next_marker(data, at)
        if marker == 0xD9:  # the end of the first picture: what follows (more pictures, junk) stays out
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length: restart markers
            kept.append(data[at - 2:at])
            continue
        end = at + _length(data, at)
        payload = data[at + 2:end]
        if marker == 0xE1 and payload.startswith(EXIF_HEADER):
            orientation = _orientation(payload[len(EXIF_HEADER):])
        elif _kept_segment(marker, payload):
            kept.append(data[at - 2:end])
        at = end
        if marker == 0xDA:  # start of scan: the coded picture runs to the next marker
            scan_end = _scan_end(data, at)
            kept.append(data[at:scan_end])
            at = scan_end
    exif = [_segment(0xE1, EXIF_HEADER + _orientation_tiff(orientation))] if orientation != 1 else []
    first = 1 if kept and kept[0][:2] == b"\xff\xe0" else 0  # JFIF must come first
    return b"".join([b"\xff\xd8", *kept[:first], *exif, *kept[first:], b"\xff\xd9"])


def _kept_segment(marker: int, payload: bytes) -> bool:
    """Application segments and comments are metadata, except JFIF, the ICC profile and Adobe's colour
    marker. JFIF's extension (JFXX) goes too: it only holds a thumbnail, which may be a JPEG with its own EXIF."""
    if marker == 0xFE:
        return False
    if 0xE0 <= marker <= 0xEF:
        return (marker == 0xE0 and payload[:5] == b"JFIF\x00") \
            or (marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00")) \
            or (marker == 0xEE and payload.startswith(b"Adobe"))
    return True


def _next_marker(data: bytes, at: int) -> tuple[int, int]:
    """The marker at `at` (fill bytes skipped), and where its segment's length starts."""
    fill = _FILL.match(data, at)
    if fill is None:
        raise Unreadable(f"no marker at byte {at}")
    at = fill.end()
    if at >= len(data) or data[at] == 0x00:
        raise Unreadable(f"no marker at byte {at}")
    return data[at], at + 1


def _length(data: bytes, at: int) -> int:
    if at + 2 > len(data):
        raise Unreadable("it ends inside a segment")
    length = struct.unpack_from(">H", data, at)[0]
    if length < 2 or at + length > len(data):
        raise Unreadable(f"a segment at byte {at} runs past the end")
    return length


def _scan_end(data: bytes, at: int) -> int:
    """Where coded data starting at `at` ends: at the first 0xFF that is neither stuffing (FF 00) nor a
    restart, so at a marker or the fill bytes before it (_next_marker skips them)."""
    found = _CODED_END.search(data, at)
    if found is None:
        raise Unreadable("the picture data has no end")
    return found.start()


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


# --- the EXIF orientation: read from any TIFF structure, written as the only entry ---------------

def _orientation(tiff: bytes) -> int:
    """The orientation in IFD0 of an EXIF block (1, upright, when absent or unreadable)."""
    try:
        order = {b"II": "<", b"MM": ">"}[tiff[:2]]
        offset = struct.unpack_from(order + "I", tiff, 4)[0]
        (count,) = struct.unpack_from(order + "H", tiff, offset)
        for n in range(count):
            tag, kind, _, value = struct.unpack_from(order + "HHI2s", tiff, offset + 2 + 12 * n)
            if tag == ORIENTATION and kind == 3:  # SHORT
                found = struct.unpack(order + "H", value)[0]
                return found if 1 <= found <= 8 else 1
    except (KeyError, struct.error):
        pass
    return 1


def _orientation_tiff(orientation: int) -> bytes:
    """A little-endian TIFF block holding one IFD with one entry: the orientation."""
    return b"II*\x00" + struct.pack("<IHHHIHHI", 8, 1, ORIENTATION, 3, 1, orientation, 0, 0)


# --- PNG: chunks up to IEND ----------------------------------------------------------------------

def _png(data: bytes) -> bytes:
    if not data.startswith(PNG_SIGNATURE):
        raise Unreadable("it does not start like a PNG file")
    kept, orientation, at = [PNG_SIGNATURE], 1, len(PNG_SIGNATURE)
    while True:
        if at + 8 > len(data):
            raise Unreadable("it ends before its last chunk (IEND)")
        length, kind = struct.unpack_from(">I4s", data, at)
        end = at + 12 + length
        if end > len(data):
            raise Unreadable(f"the chunk {kind!r} runs past the end")
        if kind == b"eXIf":
            orientation = _orientation(data[at + 8:end - 4])
        if kind not in PNG_DROPPED:
            kept.append(data[at:end])
        at = end
        if kind == b"IEND":
            break
    if orientation != 1:  # before the first IDAT, as the PNG specification asks of eXIf
        first_data = next(i for i, c in enumerate(kept) if c[4:8] == b"IDAT")
        kept.insert(first_data, _png_chunk(b"eXIf", _orientation_tiff(orientation)))
    return b"".join(kept)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


# --- WebP: a RIFF container of chunks -----------------------------------------------------------

def _webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise Unreadable("it does not start like a WebP file")
    size = struct.unpack_from("<I", data, 4)[0]
    if size + 8 > len(data) or size < 4:
        raise Unreadable("its RIFF size runs past the end")
    chunks, orientation, at, stop = [], 1, 12, size + 8
    while at < stop:
        if at + 8 > stop:
            raise Unreadable("it ends inside a chunk header")
        kind, length = struct.unpack_from("<4sI", data, at)
        end = at + 8 + length + (length & 1)
        if at + 8 + length > stop:
            raise Unreadable(f"the chunk {kind!r} runs past the end")
        if kind == b"EXIF":
            payload = data[at + 8:at + 8 + length]
            orientation = _orientation(payload[len(EXIF_HEADER):] if payload.startswith(EXIF_HEADER) else payload)
        elif kind not in WEBP_DROPPED:
            chunks.append(bytearray(data[at:min(end, stop)]))
        at = end
    if chunks and chunks[0][:4] == b"VP8X":
        chunks[0][8] &= ~(VP8X_EXIF | VP8X_XMP) & 0xFF
        if orientation != 1:
            chunks[0][8] |= VP8X_EXIF
            tiff = _orientation_tiff(orientation)  # raw TIFF, as the WebP container specifies
            chunks.append(bytearray(b"EXIF" + struct.pack("<I", len(tiff)) + tiff))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
