"""The floor: `python bench/floor.py SITE OUT [--jobs 2]`, the least work our libraries must do.

For every content/themen/*.md under SITE: read the file, split the front matter, parse it with
PyYAML's CSafeLoader, convert the body with Python-Markdown (extensions extra + toc, one converter
per process, reset between files), render ONE Jinja2 template (autoescaped), write
OUT/themen/<slug>/index.html. Spread over --jobs processes (multiprocessing, default 2 = the cores
of the target machine). No validation, no comments, no feeds: a real build cannot do less, so
`bench/run.py` reports our build's times as multiples of this one.

Images: each raster image of content/dateien is read, checked and resized into its variants once,
with the build's own Pillow recipe (sitegen/core/images.py probe, image_encode.py encode), spread
over the same processes: Pillow's work is the same in both, so the ratio stays fair.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
from pathlib import Path

import sys

import jinja2
import markdown
import yaml
from markupsafe import Markup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere
from sitegen.core.image_encode import encode  # noqa: E402
from sitegen.core.images import probe, raster_files  # noqa: E402

TEMPLATE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{{ meta.title }} – Zukunftsthemen</title>
<meta name="description" content="{{ meta.summary }}"></head>
<body><main><article>
<p>{{ meta.category }}</p><h1>{{ meta.title }}</h1><p class="lead">{{ meta.subtitle }}</p>
{% if meta.themenpate %}<aside><h2>Themenpate</h2><p><strong>{{ meta.themenpate.name }}</strong>, {{ meta.themenpate.role }}</p></aside>{% endif %}
{% for d in meta.documents or () %}<a href="{{ d.url }}">{{ d.title }}</a> ({{ d.format }})
{% endfor %}
<div class="body">{{ body }}</div>
</article></main></body></html>
"""

_state: dict[str, object] = {}


def _init(out: str) -> None:
    """Per worker: one Markdown converter and one compiled template, reused for every file."""
    _state["md"] = markdown.Markdown(extensions=["extra", "toc"], output_format="html")
    _state["tpl"] = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    _state["out"] = out


def render_one(path: str) -> int:
    """Read, parse, convert, render and write one topic; returns the bytes written."""
    text = Path(path).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)  # the corpus always starts with '---'
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    md: markdown.Markdown = _state["md"]  # type: ignore[assignment]
    html = md.reset().convert(body)
    page = _state["tpl"].render(meta=meta, body=Markup(html))  # type: ignore[attr-defined]
    target = Path(_state["out"]) / "themen" / Path(path).stem / "index.html"  # type: ignore[arg-type]
    target.parent.mkdir(parents=True, exist_ok=True)
    data = page.encode("utf-8")
    target.write_bytes(data)
    return len(data)


def image_one(src_path: tuple[str, str]) -> int:
    """Probe one image and write its variants; returns the bytes written."""
    src, path = src_path
    data = Path(path).read_bytes()
    info = probe(src, data)
    total = 0
    for rel, blob in encode(info, data, None) if not info.problem else ():
        target = Path(_state["out"]) / rel  # type: ignore[arg-type]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
        total += len(blob)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, help="site root with content/themen/*.md")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    files = sorted(str(p) for p in (args.site / "content" / "themen").glob("*.md"))
    images = [(src, str(path)) for src, path in raster_files(args.site / "content" / "dateien")]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.jobs <= 1:
        _init(str(args.out))
        total = sum(map(image_one, images)) + sum(map(render_one, files))
    else:
        # fork (the Linux default) starts workers without re-importing; chunks keep IPC small
        chunk = max(1, len(files) // (args.jobs * 8))
        with mp.Pool(args.jobs, initializer=_init, initargs=(str(args.out),)) as pool:
            pictures = pool.imap_unordered(image_one, images)  # one each, first: the big tasks spread over the cores
            pages = pool.imap_unordered(render_one, files, chunksize=chunk)
            total = sum(pictures) + sum(pages)
    print(f"floor: {len(files)} pages and {len(images)} images, {total / 2**20:.1f} MiB written to {args.out} with {args.jobs} process(es)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
