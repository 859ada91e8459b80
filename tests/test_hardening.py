"""Hostile sources: symlinks leading out of the site root, YAML alias bombs, odd file names."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitetest import REPO, TODAY, read_tree
from sitegen import BuildError, build
from sitegen.check import run_check

SECRET = "root:x:0:0:geheim\n"
TOPIC = "---\ntitle: Von draußen\n---\nText\n"
EVENT = "---\ntitle: Draußen\nstart: 2026-12-01 18:00\nend: 2026-12-01 20:00\nlocation:\n  name: Rathaus\n---\n"
PAGE = "---\ntitle: Draußen\n---\nText\n"
COMMENT = ("id: k9\ntopic: mobilitaet\nparent: null\nname: Eve\nbody: Hallo\n"
           "date: 2026-11-20T10:00:00Z\nofficial: null\nmoderated_at: null\nmoderated_by: null\n")


def own_theme(root: Path) -> None:
    """Give the site a theme of its own (the fixture shares the repository's)."""
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")


def outside(tmp_path: Path, name: str, text: str) -> Path:
    """A file outside the site root (the fixture copy lives in tmp_path/site-src)."""
    target = tmp_path / "elsewhere" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


LINKS = [  # (link inside the site, what the file outside holds)
    ("static/leak.txt", SECRET),
    ("templates/leak.html", SECRET),
    ("content/themen/leak.md", TOPIC),
    ("content/termine/leak.md", EVENT),
    ("content/seiten/leak.md", PAGE),
    ("content/kommentare/mobilitaet/k9.yaml", COMMENT),
    ("content/dateien/leak.txt", SECRET),
    ("content/site.yaml", "title: Draußen\ncity: Irgendwo\n"),
]


@pytest.mark.parametrize(("rel", "text"), LINKS, ids=[rel for rel, _ in LINKS])
def test_a_link_out_of_the_root_stops_the_build(site_root: Path, tmp_path: Path, rel: str, text: str) -> None:
    own_theme(site_root)
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    before = read_tree(out)
    link = site_root / rel
    link.unlink(missing_ok=True)
    link.symlink_to(outside(tmp_path, Path(rel).name, text))
    with pytest.raises(BuildError, match=f"{rel}:1: the symlink leads outside the site root"):
        build(site_root, out, today=TODAY)
    assert read_tree(out) == before  # nothing published, the last good site as it was


@pytest.mark.parametrize("folder", ["content/themen", "content/kommentare/mobilitaet", "content/dateien", "static"])
def test_a_linked_folder_out_of_the_root_stops_the_build(site_root: Path, tmp_path: Path, folder: str) -> None:
    own_theme(site_root)
    moved = tmp_path / "elsewhere" / folder
    shutil.move(site_root / folder, moved)
    (site_root / folder).symlink_to(moved)
    with pytest.raises(BuildError, match=f"{folder}:1: the symlink leads outside the site root"):
        build(site_root, tmp_path / "out", today=TODAY)


def test_the_repository_theme_is_confined_to_the_repository(tmp_path: Path) -> None:
    """A site without a theme of its own uses the repository's; its root is then the repository."""
    from sitegen.core.confine import check_theme
    theme = tmp_path / "repo" / "static"
    theme.mkdir(parents=True)
    (theme / "ok.css").write_text("a{}")
    (theme / "inside.css").symlink_to(theme / "ok.css")
    check_theme(theme)  # a link within: fine
    (theme / "leak.txt").symlink_to(outside(tmp_path, "passwd", SECRET))
    with pytest.raises(BuildError, match="static/leak.txt:1: the symlink leads outside the site root"):
        check_theme(theme)


def test_build_py_reports_a_link_out_with_exit_1(site_root: Path, tmp_path: Path) -> None:
    own_theme(site_root)
    (site_root / "static" / "leak.txt").symlink_to("/etc/passwd")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(site_root), "--today", "2026-11-26"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "static/leak.txt:1: the symlink leads outside the site root" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (site_root / "site").exists()


def test_links_inside_the_root_still_work(site_root: Path, tmp_path: Path) -> None:
    shared = site_root / "geteilt"
    shared.mkdir()
    (shared / "extra.md").write_text(TOPIC, encoding="utf-8")
    (site_root / "content" / "themen" / "extra.md").symlink_to(Path("..", "..", "geteilt", "extra.md"))
    (site_root / "content" / "dateien" / "kopie.pdf").symlink_to(site_root / "content" / "dateien" / "konzept.pdf")
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    assert "Von draußen" in (out / "themen" / "extra" / "index.html").read_text(encoding="utf-8")
    assert (out / "dateien" / "kopie.pdf").read_bytes() == (out / "dateien" / "konzept.pdf").read_bytes()


# --- YAML alias bombs ("billion laughs"): nine lines that unfold to 10^9 items -----------------------

BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{p}'] * 9)}]\n" for p, a in zip("abcdefgh", "bcdefghi"))
BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + BOMB

BOMBS = [
    ("content/site.yaml", None, "content/site.yaml:{line}: YAML alias '*a' is not allowed"),
    ("content/themen/mobilitaet.md", "---\ntitle: Bombe\n" + BOMB + "---\nText\n",
     "content/themen/mobilitaet.md:{line}: YAML alias '*a' is not allowed"),
    ("content/kommentare/mobilitaet/k1.yaml", None, "content/kommentare/mobilitaet/k1.yaml:{line}: YAML alias"),
]


@pytest.mark.parametrize(("rel", "text", "error"), BOMBS, ids=[rel for rel, _, _ in BOMBS])
def test_a_yaml_alias_bomb_is_refused_at_once(site_root: Path, tmp_path: Path, rel: str, text: str | None,
                                              error: str) -> None:
    """A path:line error and exit 1 within seconds, the site unchanged. Run in a child process with
    its memory capped, so the old code (which unfolds the bomb) fails fast instead of eating the machine."""
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    before = read_tree(out)
    path = site_root / rel
    if text is None:
        text = path.read_text(encoding="utf-8") + BOMB
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]") + 1
    capped = ("import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
              "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", capped, str(REPO / "build.py"), "--root", str(site_root),
                           "--out", str(out), "--today", "2026-11-26"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr[-2000:]
    assert error.format(line=line) in done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert time.monotonic() - started < 30  # generous for a loaded machine; the old code ran into the cap
    assert read_tree(out) == before


def test_alias_errors_name_the_line_and_leave_plain_stars_alone() -> None:
    from sitegen.core.source import SourceError, parse_yaml
    with pytest.raises(SourceError, match="alias '\\*x' is not allowed") as info:
        parse_yaml("a: &x [1]\nb: 2\nc: *x\n", first_line=2)
    assert info.value.line == 4 and "quotes" in info.value.hint
    assert parse_yaml("title: '*wichtig*'\nsub: \"**fett**\"\n")[0] == {"title": "*wichtig*", "sub": "**fett**"}


# --- file names in content/dateien that break on some hosts ------------------------------------------

def test_odd_file_names_are_published_with_a_warning(site_root: Path, tmp_path: Path) -> None:
    dateien = site_root / "content" / "dateien"
    (dateien / "Mein Plan Übersicht.PDF").write_bytes(b"%PDF-1.4")
    (dateien / "gut-so.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(site_root), "--out", str(out),
                           "--today", "2026-11-26"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == ["warning: content/dateien/Mein Plan Übersicht.PDF: the file name has spaces, capitals or "
                        "other characters that break on some hosts; rename it, e.g. to 'mein-plan-uebersicht.pdf'"]
    assert (out / "dateien" / "Mein Plan Übersicht.PDF").is_file()


def test_check_lists_odd_file_names(site_root: Path) -> None:
    (site_root / "content" / "dateien" / "Straße 1.pdf").write_bytes(b"%PDF-1.4")
    import io
    stream = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=stream) == 0
    assert "content/dateien/Straße 1.pdf: the file name has spaces" in stream.getvalue()
    assert "'strasse-1.pdf'" in stream.getvalue()


# --- a full disk: one line, exit 1 ----------------------------------------------------------------

def _small_files() -> None:
    """In the child: files may grow to 4 KiB (a page is bigger); writes beyond fail with EFBIG, not a signal."""
    import resource
    import signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_is_one_line_and_exit_1(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    before = read_tree(out)
    topic = site_root / "content" / "themen" / "mobilitaet.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("weniger Lärm", "viel weniger Lärm"), encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(site_root), "--out", str(out),
                           "--today", "2026-11-26"], capture_output=True, text=True, timeout=120,
                          preexec_fn=_small_files)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: file too large while writing ") and "free some space and build again" in line
    assert read_tree(out) == before


def test_other_system_errors_are_one_line(tmp_path: Path) -> None:
    import errno
    sys.path.insert(0, str(REPO))
    from build import system_error
    assert system_error(OSError(errno.ENOSPC, "No space left on device", "site/a.html")) .startswith(
        "error: no space left on device while writing site/a.html: free some space")
    assert system_error(PermissionError(errno.EACCES, "Permission denied", "site")) == "error: Permission denied: site"


# --- visitors' names and addresses -------------------------------------------------------------------

def test_invisible_controls_in_comment_names_are_dropped_and_names_isolated(site_root: Path, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    k1 = site_root / "content" / "kommentare" / "mobilitaet" / "k1.yaml"
    k1.write_text(k1.read_text(encoding="utf-8").replace(
        "name: Anna", 'name: "Anna\\u202e\\u2066Stadt\\u200b Jena\\u2069\\u202c\\u200d"'), encoding="utf-8")
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    html = (out / "themen" / "mobilitaet" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html5lib")
    names = [b.get_text() for b in soup.select("bdi.comment-author")]
    assert "AnnaStadt Jena" in names
    for text in (html, *(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".xml", ".json"))):
        assert not any(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b")


def test_bidi_controls_in_comment_bodies_are_dropped_so_text_and_links_read_as_written(site_root: Path,
                                                                                    tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    k1 = site_root / "content" / "kommentare" / "mobilitaet" / "k1.yaml"
    # an override inside a URL would show the link's text reversed while it points elsewhere
    k1.write_text(k1.read_text(encoding="utf-8").replace(
        "(Studie).", '(Studie). \u202eSiehe https://example.org/\u202ehcuS\u202c und \u2067\u05e9\u05dc\u05d5\u05dd\u2069\u200f.'),
        encoding="utf-8")
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    soup = BeautifulSoup((out / "themen" / "mobilitaet" / "index.html").read_text(encoding="utf-8"), "html5lib")
    body = soup.select_one("#kommentar-k1 .comment-body")
    assert "Siehe https://example.org/hcuS und \u05e9\u05dc\u05d5\u05dd\u200f." in body.get_text()  # the mark stays
    links = [(a["href"], a.get_text()) for a in body.select("a")]
    assert ("https://example.org/hcuS", "https://example.org/hcuS") in links
    for path in (p for p in out.rglob("*") if p.suffix in (".html", ".xml", ".json", ".csv")):
        text = path.read_text(encoding="utf-8-sig")
        assert not any(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), path


@pytest.mark.parametrize("url", ["//evil.example/x", "/\\evil.example/", "/\t/evil.example/"])
def test_protocol_relative_urls_are_refused(site_root: Path, tmp_path: Path, url: str) -> None:
    topic = site_root / "content" / "themen" / "mobilitaet.md"
    quoted = url.replace("\\", "\\\\").replace("\t", "\\t")
    topic.write_text(topic.read_text(encoding="utf-8").replace(
        "url: https://presse.example.org/interview", f'url: "{quoted}"'), encoding="utf-8")
    with pytest.raises(BuildError, match=r"content/themen/mobilitaet.md:\d+: 'interview.url' starts with '//'"):
        build(site_root, tmp_path / "out", today=TODAY)


def test_protocol_relative_urls_in_comments_are_not_linked(site_root: Path, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup
    k1 = site_root / "content" / "kommentare" / "mobilitaet" / "k1.yaml"
    k1.write_text(k1.read_text(encoding="utf-8").replace(
        "(Studie).", "(Studie). //evil.example/x und /\\evil.example/ und https:/\\evil.example/"), encoding="utf-8")
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    soup = BeautifulSoup((out / "themen" / "mobilitaet" / "index.html").read_text(encoding="utf-8"), "html5lib")
    hrefs = [a["href"] for a in soup.select(".comment-body a")]
    assert hrefs == ["https://example.org/radwege"]
