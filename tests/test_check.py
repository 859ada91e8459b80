"""`build.py check`: links, anchors, alt texts, editor to-dos and the Nu Html Checker."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

from sitetest import REPO, TODAY
from sitegen import build
from sitegen.check import run_check
from sitegen.links import check_links
from sitegen.vnu import validate


@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 4, 1)], ids=["today", "all-ended"])
def test_vnu_finds_no_errors_in_the_built_fixture_site(site_root: Path, tmp_path: Path, today: dt.date) -> None:
    """On the tests' day, and once the topic's window has closed and every event is past."""
    build(site_root, tmp_path / "out", today=today, drafts=True)
    assert validate(tmp_path / "out") == []


def test_vnu_reports_invalid_html_with_path_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="de"><head><title>x</title></head>\n<body><p><div></p>\n<img src="a.png"></body></html>\n')
    errors = validate(tmp_path)
    assert any(e.startswith("bad/index.html:3:") for e in errors), errors
    assert any("alt" in e for e in errors), errors


def test_links_anchors_and_alt(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<p id="top"><a href="/a/">ok</a> <a href="/a/#da">ok</a> <a href="#top">ok</a>\n'
        '<a href="/fehlt/">broken</a>\n<a href="/a/#weg">bad anchor</a>\n<img src="/x.png">\n'
        '<a href="https://example.org/nicht-geprüft">external</a> <a href="mailto:a@b.c">mail</a></p>')
    (tmp_path / "a" / "index.html").write_text('<h2 id="da">Da</h2><a href="../index.html#top">up</a>')
    assert check_links(tmp_path) == [
        "index.html:2: broken link '/fehlt/' (no such file in the site)",
        "index.html:3: broken anchor '/a/#weg' (no id 'weg' on that page)",
        "index.html:4: broken link '/x.png' (no such file in the site)",
        "index.html:4: image without alt text",
    ]


def test_check_passes_on_the_fixture_site(site_root: Path) -> None:
    out = io.StringIO()
    assert run_check(site_root, today=TODAY, stream=out) == 0, out.getvalue()
    assert "Editor's to-do" not in out.getvalue()
    assert "no problems found" in out.getvalue()


def test_check_names_a_broken_template(site_root: Path) -> None:
    import shutil
    shutil.copytree(REPO / "templates", site_root / "templates")
    page = site_root / "templates/page-default.html"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ page.title }}", "{{ page.title.nope.nope }}", 1),
                    encoding="utf-8")
    out = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=out) == 1
    assert f"error in a template: {page}:" in out.getvalue()


def test_check_fails_on_a_broken_internal_link(site_root: Path) -> None:
    topic = site_root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nSiehe [Konzept](/dateien/fehlt.pdf).\n", encoding="utf-8")
    out = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=out) == 1
    assert "themen/wohnen/index.html" in out.getvalue() and "/dateien/fehlt.pdf" in out.getvalue()


def test_check_lists_the_seed_topics_missing_facts_as_todos(real_site: Path) -> None:
    proc = subprocess.run([sys.executable, "build.py", "check", "--no-vnu", "--root", str(real_site)], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "content/themen/digital-stadt-jena.md: the interview 'Ein Interview mit dem Themenpaten' has no url yet" in proc.stdout
    assert "the document 'Unsere bisherigen Überlegungen" in proc.stdout
    assert "content/site.yaml:15: 'operator.name' is not filled in" in proc.stdout


def test_the_real_site_is_valid_html(real_site: Path, tmp_path: Path) -> None:
    build(real_site, tmp_path / "out", today=TODAY)
    assert validate(tmp_path / "out") == []
    assert check_links(tmp_path / "out") == []
