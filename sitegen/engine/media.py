"""Editors' files under content/dateien/, copied to /dateien/ when they changed; their images' variants.

Image work is cached by content: an image is probed again only when its file's signature changed,
and a variant (named after its source's hash and the recipe) is encoded only when the last build
did not write it or it is gone from the output. A warm build does no image work at all, and nor
does one after a template edit: these entries live in the cache's `media`, kept across such changes.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Iterable

from . import cache as caching
from ..core import images as imaging
from ..core.image_encode import encode
from ..core.image_metadata import without_metadata
from ..core.published_files import published
from ..core.signature import signature
from .signatures import settled
from ..output.writer import Writer

PROBED = "image:"  # cache.media keys of probed images: "image:/dateien/a.jpg" -> (signature, ImageInfo)
VARIANT = "variant:"  # and of variants written: "variant:dateien/a-480w.<hash>.jpg" -> (source digest, None)


def image_index(folder: Path, caches: caching.Caches) -> dict[str, imaging.ImageInfo]:
    """Every raster image of folder by site path: probed again only when its signature changed."""
    infos = {}
    for src, path in imaging.raster_files(folder):
        sig = settled(path, signature(path.stat()), caches.racy)
        old = caches.last.media.get(PROBED + src)
        info = old[1] if old and old[0] == sig else imaging.probe(src, path.read_bytes())
        caches.fresh.media[PROBED + src] = (sig, info)
        infos[src] = info
    return infos


def media(folder: Path, caches: caching.Caches, writer: Writer) -> None:
    """Publish the files whose signature changed, images without their metadata (image_metadata.py);
    links leading out of the site root were refused before."""
    for path in published(folder):
        rel = (Path("dateien") / path.relative_to(folder)).as_posix()
        sig = settled(path, signature(path.stat()), caches.racy)
        last = caches.last.files.get(rel)
        if last and last[0] == sig and (writer.out / rel).is_file():
            writer.keep(rel)
            caches.fresh.files[rel] = last
        else:
            shown = without_metadata(path.read_bytes(), path.suffix)
            writer.put(rel, shown.data)
            caches.fresh.files[rel] = (sig, shown.problem)  # the problem, warned about while the file is unchanged


PRE_ENCODED_MAX = 64 * 2**20  # bytes of variants held in memory between the two steps below


def pre_encode(folder: Path, infos: dict[str, imaging.ImageInfo], caches: caching.Caches, out: Path
               ) -> dict[tuple[str, str | None], list[tuple[str, bytes]]]:
    """The uncropped variants the output lacks, encoded while the workers render topics (this process
    would idle meanwhile): variants() then only writes them. Up to PRE_ENCODED_MAX; the rest waits."""
    made: dict[tuple[str, str | None], list[tuple[str, bytes]]] = {}
    held = 0
    for src in sorted(infos):
        info = infos[src]
        if info.problem or _kept(info, None, caches, out) or held > PRE_ENCODED_MAX:
            continue
        made[(src, None)] = encode(info, (folder.parent / src.lstrip("/")).read_bytes(), None)
        held += sum(len(data) for _, data in made[(src, None)])
    if made:
        give_back_freed_memory()
    return made


def give_back_freed_memory() -> None:
    """Hand the C library's freed heap back to the system. Decoding photos frees tens of MB that
    glibc keeps (its mmap threshold rises after the first large free), and this process then holds
    them to the end of the build, at its memory peak. Elsewhere than glibc there is nothing to do."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def variants(folder: Path, infos: dict[str, imaging.ImageInfo], crops: Iterable[tuple[str, str | None]],
             caches: caching.Caches, writer: Writer, made: dict | None = None) -> None:
    """Every readable image in its widths, and the cropped ones pages asked for: kept when the output
    still holds what the last build wrote, else encoded (all widths of one image from one decoding).
    made: what pre_encode made of them."""
    wanted = [(src, None) for src in sorted(infos)] + sorted({(s, c) for s, c in crops if c and s in infos})
    for src, crop in wanted:
        info = infos[src]
        if info.problem:
            continue
        rels = [path.lstrip("/") for path, _, _ in info.variants(crop)]
        if _kept(info, crop, caches, writer.out):
            for rel in rels:
                writer.keep(rel)
        else:
            encoded = (made or {}).pop((src, crop), None)
            for rel, data in encoded or encode(info, (folder.parent / src.lstrip("/")).read_bytes(), crop):
                writer.put(rel, data)
        for rel in rels:
            caches.fresh.media[VARIANT + rel] = (info.digest, None)


def _kept(info: imaging.ImageInfo, crop: str | None, caches: caching.Caches, out: Path) -> bool:
    """Whether the last build wrote every variant of info (names carry the source's hash) and out still has it."""
    return all(caches.last.media.get(VARIANT + path.lstrip("/")) == (info.digest, None)
               and (out / path.lstrip("/")).is_file() for path, _, _ in info.variants(crop))


def image_problems(fresh: caching.Cache) -> list[str]:
    """The build's warnings about images (unreadable, too large, metadata left in), one per file, from
    what this build probed and published."""
    kept_metadata = {"/" + rel: record[1] for rel, record in fresh.files.items()
                     if rel.startswith("dateien/") and record[1]}
    return imaging.problems({key[len(PROBED):]: record[1] for key, record in fresh.media.items()
                             if key.startswith(PROBED)}, kept_metadata)
