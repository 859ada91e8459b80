"""What `check` says about images: unreadable or oversized uploads, and ones narrower than a page shows them."""

from __future__ import annotations

from pathlib import Path

from .image_metadata import without_metadata
from .images import ImageInfo, problems, raster_files
from .model import Site
from .pictures import shown_px


def kept_metadata(folder: Path) -> dict[str, str]:
    """Each image of folder whose metadata cannot be removed, by site path: why (as the build finds it)."""
    found = {}
    for src, path in raster_files(folder):
        if problem := without_metadata(path.read_bytes(), path.suffix).problem:
            found[src] = problem
    return found


def image_warnings(infos: dict[str, ImageInfo], site: Site, metadata: dict[str, str] | None = None) -> list[str]:
    """Every image warning: the files themselves (images.problems; metadata: kept_metadata's), then each
    image shown wider than it is. Not the images in Markdown bodies: the stylesheet never shows them
    wider than they are, and a small graphic there is an editor's choice."""
    shown: dict[tuple[str, str | None], tuple[int, str]] = {}

    def show(src: str | None, crop: str | None, use: str, where: str) -> None:
        info = infos.get(src or "")
        if info is None or info.problem:
            return
        width = shown_px(use, info, crop)
        if width > shown.get((src, crop), (0, ""))[0]:
            shown[(src, crop)] = (width, where)

    for topic in site.topics:  # its image is its card's too: the lead's width is the wider
        show(topic.image.src if topic.image else None, None, "lead", topic.source)
        if topic.themenpate:
            show(topic.themenpate.photo, topic.themenpate.photo_crop, "portrait", topic.source)
    show((site.config.get("brand") or {}).get("logo"), None, "logo", "content/site.yaml")
    found = problems(infos, metadata)
    for (src, crop), (width, where) in sorted(shown.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        info = infos[src]
        if info.side(crop)[0] < width:
            found.append(f"content{src}: {info.side(crop)[0]} px wide, but {where} shows it {width} px wide; "
                         f"upload it at least {width * 2} px wide (sharp on high-resolution screens too)")
    return found
