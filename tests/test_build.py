"""The whole build: golden output, determinism, writing only what changed, stale files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sitetest import FIXTURE, REPO, TODAY, read_tree
from sitegen import BuildError, ThemeError, Tuning, build
from sitegen.output.paths import MANIFEST

GOLDEN = REPO / "tests" / "golden"


def test_golden_output(site_root: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The fixture site builds to exactly the files in tests/golden/ (update: pytest --update-golden)."""
    build(site_root, tmp_path / "out", today=TODAY, tuning=Tuning(cache=False))
    got = read_tree(tmp_path / "out")
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(tmp_path / "out", GOLDEN)
    want = read_tree(GOLDEN)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], f"{name} differs from tests/golden/{name}"


def test_two_builds_are_byte_identical(site_root: Path, tmp_path: Path) -> None:
    build(site_root, tmp_path / "a", today=TODAY)
    build(site_root, tmp_path / "b", today=TODAY)
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


def test_rebuild_writes_only_changed_files(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(site_root, out, today=TODAY)
    assert first.written and first.unchanged == 0
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = build(site_root, out, today=TODAY)
    assert again.written == () and again.removed == ()
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes

    topic = site_root / "content" / "themen" / "wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("abgeschlossen", "beendet"), encoding="utf-8")
    edited = build(site_root, out, today=TODAY)
    assert edited.written == ("themen/wohnen/index.html",)
    assert "beendet" in (out / "themen/wohnen/index.html").read_text(encoding="utf-8")


def test_deleted_topic_disappears_but_foreign_files_stay(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep-me.txt").write_text("deployed by someone else")
    build(site_root, out, today=TODAY)
    (site_root / "content" / "themen" / "wohnen.md").unlink()
    event = site_root / "content" / "termine" / "online.md"
    event.write_text(event.read_text(encoding="utf-8").replace(", wohnen]", "]"), encoding="utf-8")
    report = build(site_root, out, today=TODAY)
    assert "themen/wohnen/index.html" in report.removed
    assert not (out / "themen" / "wohnen").exists()
    assert (out / "keep-me.txt").exists()
    assert "themen/wohnen/index.html" not in (out / MANIFEST).read_text()


def test_drafts_are_not_published(site_root: Path, tmp_path: Path) -> None:
    build(site_root, tmp_path / "out", today=TODAY)
    assert not (tmp_path / "out" / "themen" / "entwurf").exists()
    build(site_root, tmp_path / "drafts", today=TODAY, drafts=True)
    assert (tmp_path / "drafts" / "themen" / "entwurf" / "index.html").exists()


def test_failed_build_writes_nothing(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    before = read_tree(out)
    (site_root / "content" / "themen" / "kaputt.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"content/themen/kaputt\.md:\d+: broken YAML"):
        build(site_root, out, today=TODAY)
    assert read_tree(out) == before


@pytest.mark.parametrize("forked", [False, True])
def test_a_template_that_fails_midway_leaves_the_last_good_site(tmp_path: Path, forked: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Topic pages are rendered first and event pages later: a failure there must not publish the first.
    forked: half the event pages are made in a child process, which fails; the error is the same."""
    from sitegen.engine import other_pages as pipeline
    if forked:
        monkeypatch.setattr(pipeline, "FORK_EVENTS", 1)
        monkeypatch.setattr(pipeline, "can_fork", lambda: True)  # also on one core (no test leaves a thread: conftest)
    root, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    build(root, out, today=TODAY)
    before = read_tree(out)
    topic = root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    event = root / "templates/event.html"
    good = event.read_text(encoding="utf-8")
    event.write_text(good.replace("<h1>{{ event.title }}</h1>", "<h1>{{ event.title.missing.field }}</h1>"),
                     encoding="utf-8")
    line = good.splitlines().index("<h1>{{ event.title }}</h1>") + 1  # the line the error must name
    with pytest.raises(ThemeError, match=rf"templates/event\.html:{line}: .*'missing'"):
        build(root, out, today=TODAY)
    assert read_tree(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".sitegen-staging")] == []
    event.write_text(good, encoding="utf-8")
    assert build(root, out, today=TODAY).written == (f"themen/{topic.stem}/index.html",)


def test_a_first_build_writes_in_place_and_a_failed_one_leaves_nothing(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Into a new folder, pages go straight to their place: the same files as a build into an existing
    one; a failure after the topic pages were written removes the folder, cache included."""
    from sitegen.engine import cache as caching
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    staged_out = tmp_path / "staged"
    staged_out.mkdir()  # exists: the staging path
    build(root, staged_out, today=TODAY)
    import sitegen.output.writer
    moved = []
    real_replace = sitegen.output.writer.os.replace
    monkeypatch.setattr(sitegen.output.writer.os, "replace", lambda a, b: moved.append(str(b)) or real_replace(a, b))
    report = build(root, tmp_path / "new", today=TODAY)
    monkeypatch.undo()
    assert read_tree(tmp_path / "new") == read_tree(staged_out)
    assert "themen/wohnen/index.html" in report.written
    topic_pages = re.compile(r"/themen/[^/]+/index\.html\Z")
    assert moved and not [m for m in moved if topic_pages.search(m)]  # written in place, not moved

    event = root / "templates/event.html"
    event.write_text(event.read_text(encoding="utf-8").replace("{{ event.title }}", "{{ event.title.a.b }}"),
                     encoding="utf-8")
    broken = tmp_path / "broken"
    with pytest.raises(ThemeError):
        build(root, broken, today=TODAY)
    assert not broken.exists()
    assert not caching._file(root, broken).exists()


def test_pages_of_a_killed_first_build_are_removed_by_the_next(tmp_path: Path) -> None:
    """A first build killed after its workers wrote pages in place (no cleanup runs): a topic
    unpublished before the next build must not stay online."""
    import subprocess
    import sys
    root, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(FIXTURE, root)
    script = ("import os, sys, datetime; from pathlib import Path; import sitegen.pipeline as p\n"
              "import sitegen.engine.other_pages as o; o._pages = lambda *a, **k: os._exit(9)\n"
              "p.build(Path(sys.argv[1]), Path(sys.argv[2]), today=datetime.date.fromisoformat(sys.argv[3]))\n")
    proc = subprocess.run([sys.executable, "-c", script, str(root), str(out), TODAY.isoformat()], cwd=REPO)
    assert proc.returncode == 9 and (out / "themen/wohnen/index.html").is_file()
    topic = root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    report = build(root, out, today=TODAY)
    assert "themen/wohnen/index.html" in report.removed
    assert not (out / "themen/wohnen").exists()


def test_staging_folders_of_dead_builds_are_removed(site_root: Path, tmp_path: Path) -> None:
    """A killed build leaves its staging folder inside out/, where a deploy would publish it."""
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    dead = out / ".sitegen-staging-dead"
    dead.mkdir()
    (dead / "3.put").write_bytes(b"half a page")
    build(site_root, out, today=TODAY)
    assert [p.name for p in out.iterdir() if p.name.startswith(".sitegen-staging")] == []


def test_a_build_that_waits_for_another_reads_the_cache_after_it(site_root: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds into one folder take turns from start to end: the second reads the cache (and
    the folder) only once the first is done, not before it waited."""
    import threading
    from sitegen.engine import cache as caching
    from sitegen.engine import run as pipeline
    from sitegen.output.lock import hold, release
    out, events = tmp_path / "out", []
    build(site_root, out, today=TODAY)
    reached = threading.Event()
    real_hold, real_load = pipeline.hold, caching.Cache.load
    monkeypatch.setattr(pipeline, "hold", lambda lock, **kw: reached.set() or real_hold(lock, **kw))
    monkeypatch.setattr(caching.Cache, "load", classmethod(lambda cls, *a: events.append("load") or real_load(*a)))
    held = hold(caching.lock_file(site_root.resolve(), out))  # another build is running
    assert held is not None
    second = threading.Thread(target=build, args=(site_root, out), kwargs={"today": TODAY})
    second.start()
    reached.wait(timeout=60)
    events.append("released")
    release(held)
    second.join(timeout=120)
    assert events == ["released", "load"]


def test_a_cli_build_between_preview_builds_is_not_undone_by_the_preview_cache(site_root: Path, tmp_path: Path) -> None:
    """The preview (with drafts) saves its cache late; a plain build into the same folder in between
    must not have its cache overwritten, or a later build would keep the draft pages it vouches for."""
    from sitegen.engine.session import Session
    out, session = tmp_path / "out", Session()
    build(site_root, out, today=TODAY, drafts=True, session=session)
    assert (out / "themen/entwurf/index.html").exists()
    build(site_root, out, today=TODAY)  # a CLI build without drafts, while the preview's save is pending
    session.flush()
    build(site_root, out, today=TODAY)
    build(site_root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")
    build(site_root, out, today=TODAY, drafts=True, session=session)  # and the preview sees the folder anew
    build(site_root, tmp_path / "cold-drafts", today=TODAY, drafts=True, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold-drafts")


def test_the_preview_rebuilds_an_output_folder_deleted_under_it(site_root: Path, tmp_path: Path) -> None:
    from sitegen.engine.session import Session
    out, session = tmp_path / "out", Session()
    build(site_root, out, today=TODAY, session=session)
    shutil.rmtree(out)
    build(site_root, out, today=TODAY, session=session)
    build(site_root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")


@pytest.mark.parametrize("template,broken", [
    ("topic.html", "{{ topic.title.missing.field }}"),  # rendered in the worker processes
    ("index.html", "{% if %}"),  # does not even compile
])
def test_cli_names_the_template_and_line_without_a_traceback(tmp_path: Path, template: str, broken: str) -> None:
    import subprocess
    import sys

    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    path = root / "templates" / template
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(5, broken)
    path.write_text("\n".join(lines), encoding="utf-8")
    proc = subprocess.run([sys.executable, "build.py", "--root", str(root), "--out", str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"error in a template: {path}:6: " in proc.stderr


def test_a_theme_that_shows_event_bodies_on_topic_pages_gets_them_as_html(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Topic pages are rendered while the events' Markdown is still being converted; a theme that
    shows an event's body there gets the same HTML as on the start page."""
    from sitegen.engine import worker

    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    macros = root / "templates" / "macros.html"
    item = '<p><a href="{{ url_for(e.url) }}">{{ e.title }}</a>'
    text = macros.read_text(encoding="utf-8")
    assert item in text
    macros.write_text(text.replace(item, '<div class="teaser">{{ e.body_html|safe }}</div>'
                                         '<p class="teaser-length">{{ e.body_html|length }}</p>' + item, 1),
                      encoding="utf-8")
    monkeypatch.setattr(worker, "SERIAL_BELOW", 1)  # topic pages rendered in worker processes
    build(root, tmp_path / "out", today=TODAY, tuning=Tuning(jobs=2))
    teaser = re.compile(r'<div class="teaser">(.*?)</div><p class="teaser-length">(\d+)</p>', re.S)
    topic = teaser.findall((tmp_path / "out/themen/mobilitaet/index.html").read_text(encoding="utf-8"))
    start = teaser.findall((tmp_path / "out/index.html").read_text(encoding="utf-8"))
    assert topic and topic[0][0].startswith("<p>Ein Abend zum Mitreden") and topic[0] in start
    assert int(topic[0][1]) == len(topic[0][0])
