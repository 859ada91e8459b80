"""What every page of a build shares: the theme, site.yaml, the events and pages, the renderer."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..core import confine
from ..core.assets import Assets, fingerprint
from ..core.config import load_config
from ..core.errors import Problems
from ..core.model import Event, Page
from ..core.pictures import Images
from ..core.readers import files, read_event, read_page
from ..core.render import Renderer, environment
from ..core.theme import theme_dir
from ..core.urls import prefix_of, url_for
from . import cache as caching
from . import deps
from .lazy import MarkdownLater
from .media import image_index
from .records import reuse_or_read
from .run import BuildRun


@dataclass(frozen=True)
class Shared:
    """What the topic pages and the other pages are made with."""

    config: dict[str, Any]
    assets: Assets
    renderer: Renderer
    events: list[Event]  # by start; their bodies converted by convert_events (see MarkdownLater)
    pages: list[Page]
    theme: str  # deps.theme
    related: dict[str, tuple[Event, ...]]  # each topic's upcoming events
    linked: dict[str, tuple]  # deps.linked_events
    sources: tuple  # the events' and pages' files' signatures, by slug (deps.other_pages)
    unconverted: dict[str, Path]  # events read in this build, bodies not yet converted
    images: Images  # the raster images of content/dateien (the renderer's)
    encoded: dict = dataclasses.field(default_factory=dict)  # media.pre_encode's variants, until written


def load_shared(run: BuildRun) -> Shared:
    """Read the theme and site.yaml, pick the cache, read (or reuse) the events and pages, make the renderer.
    Content errors are recorded in run.problems: the build lists them all after the topics."""
    root, problems = run.root, run.problems
    templates, static = theme_dir(root, "templates"), theme_dir(root, "static")
    confine.check_theme(templates)  # before anything of the theme is read
    confine.check_theme(static)
    confine.check_content(root, problems)
    config = load_config(root, problems)
    assets = fingerprint(static)
    version = deps.version(templates, assets.files)
    caches = run.use_cache(version)
    content = root / "content"
    event_sigs: dict[str, tuple] = {}
    page_sigs: dict[str, tuple] = {}
    unconverted: dict[str, Path] = {}

    def read_event_later(path: Path, problems: Problems) -> Any:
        event = read_event(path, problems, convert=MarkdownLater)  # converted if a topic page shows it
        if event is not None:
            unconverted[event.slug] = path
        return event

    events = sorted(reuse_or_read(caches, files(content / "termine", ".md", problems), read_event_later, problems,
                                  event_sigs), key=lambda e: (e.start, e.slug))
    pages = sorted(reuse_or_read(caches, files(content / "seiten", ".md", problems), read_page, problems, page_sigs),
                   key=lambda p: (p.order, p.slug))
    prefix = prefix_of(config["base_url"])
    images = Images(image_index(content / "dateien", caches), lambda path: url_for(path, prefix))
    renderer = Renderer(_environment(run, templates, assets, version, prefix), config, pages, run.options.today,
                        images)
    # every page shows the logo: its image is part of the theme (brand.check reports a bad one)
    logo = images.key_of((((config.get("brand") or {}).get("logo") or "", None),))
    theme = deps.theme(config, renderer.base["nav"], renderer.base["footer_pages"], run.options.drafts, logo)
    related = renderer.related(events)
    return Shared(config, assets, renderer, events, pages, theme, related, deps.linked_events(related, event_sigs),
                  (tuple(event_sigs.items()), tuple(page_sigs.items())), unconverted, images)


def _environment(run: BuildRun, templates: Path, assets: Assets, version: str, prefix: str) -> jinja2.Environment:
    """The Jinja environment: the preview's last one if code and prefix are the same (its compiled
    templates survive), else a new one. A new prefix needs a new environment: Jinja keeps imported
    macros with the globals they saw."""
    session = run.session
    if session and session.env and session.env[0] == (version, prefix):
        env = session.env[1]
    else:
        compiled = run.root / caching.FOLDER / "templates" / version if run.options.tuning.cache else None
        env = environment(templates, assets, compiled, prefix)
    run.environment = ((version, prefix), env)
    return env


def convert_events(shared: Shared, caches: caching.Caches) -> None:
    """Convert the bodies of the events read in this build, in place (the list keeps its order), and
    cache the converted events. The workers keep the events as they got them (see MarkdownLater)."""
    events, fresh = shared.events, caches.fresh
    for i, event in enumerate(events):
        path = shared.unconverted.get(event.slug)
        if path is not None:
            events[i] = dataclasses.replace(event, body_html=str(event.body_html))
            fresh.files[str(path)] = (fresh.files[str(path)][0], events[i])
