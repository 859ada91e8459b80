"""The whole site, serially and without a cache: every output file as (path, bytes).

This is what the site is, apart from how fast it is built: the engine (sitegen/engine/) makes the
same files, byte for byte, reusing the last build's work and spreading the topics over every
core; the tests compare the two.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterator

from . import images as imaging
from .assets import fingerprint
from .image_encode import encode
from .image_metadata import without_metadata
from .load import load
from .model import Comment
from .outputs import CommentOutputs
from .published_files import published
from .pictures import Images
from .render import Renderer, environment
from .theme import theme_dir
from .urls import prefix_of, url_for


def pages(root: Path, today: dt.date, drafts: bool = False) -> Iterator[tuple[str, bytes]]:
    """Every file of root's site; raises BuildError listing every problem before the first file."""
    root = Path(root)
    site = load(root, drafts)
    assets = fingerprint(theme_dir(root, "static"))
    prefix = prefix_of(site.config["base_url"])
    env = environment(theme_dir(root, "templates"), assets, prefix=prefix)
    folder = root / "content" / "dateien"
    images = Images(imaging.index(folder), lambda path: url_for(path, prefix))
    renderer = Renderer(env, site.config, site.pages, today, images)
    related = renderer.related(site.events)
    comments: dict[str, list[Comment]] = {t.slug: [] for t in site.topics}
    for comment in site.comments:  # oldest first, as each topic page and open data list them
        comments[comment.topic].append(comment)
    for topic in site.topics:
        yield f"themen/{topic.slug}/index.html", renderer.topic(topic, comments[topic.slug], related.get(topic.slug, ()))
        yield f"themen/{topic.slug}/kommentare.xml", renderer.topic_feed(topic, comments[topic.slug])
    gathered = CommentOutputs(site.config)
    for slug in sorted(comments):  # open data lists the topics by slug
        gathered.add(comments[slug])
    counts = {slug: len(found) for slug, found in comments.items()}
    # gathered in memory (no spill folder): rest gives bytes only
    yield from renderer.rest(site, assets, gathered, gathered.recent(comments.__getitem__), counts)  # type: ignore[misc]
    yield from renderer.event_files(site, site.events, {t.slug: t for t in site.topics})
    for path in published(folder):
        yield (Path("dateien") / path.relative_to(folder)).as_posix(), without_metadata(path.read_bytes(), path.suffix).data
    yield from variants(folder, images.infos, images.take())


def variants(folder: Path, infos: dict[str, imaging.ImageInfo], asked: tuple[tuple[str, str | None], ...]
             ) -> Iterator[tuple[str, bytes]]:
    """Every readable raster image in its widths, and the cropped ones some page asked for."""
    crops = [(src, crop) for src, crop in asked if crop and src in infos]
    for src, crop in [(src, None) for src in sorted(infos)] + crops:
        if not infos[src].problem:
            yield from encode(infos[src], (folder.parent / src.lstrip("/")).read_bytes(), crop)
