"""The import on a realistic export made by wp_generate: 72 items, their uploads, threaded hostile comments."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wp_generate import generate
from wp_support import cli, copy_site, import_into, leaks, personal_data, tree

from sitegen.core.contract import MAX_DEPTH
from sitegen.wordpress.wxr import read_export


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, blns: list[str]) -> tuple[Path, Path, object, str]:
    """One site with the generated export imported (shared: the import and the build take a while)."""
    base = tmp_path_factory.mktemp("realistic")
    uploads = base / "uploads"
    made = generate(blns, uploads)
    export = base / "export.xml"
    export.write_text(made.xml, encoding="utf-8")
    site = copy_site(base / "site")
    out = import_into(site, export, uploads=uploads, pages=True)
    return site, export, made, out


def depth(comments: dict[str, dict], cid: str) -> int:
    """How deep a published comment sits (1 = top level)."""
    level, current = 0, cid
    while current:
        level += 1
        current = comments[current]["parent"]
    return level


def test_every_post_page_and_upload_arrives(imported: tuple) -> None:
    site, _, made, out = imported
    assert len(list((site / "content/themen").glob("thema-*.md"))) == made.posts
    assert len(list((site / "content/seiten").glob("thema-*.md"))) == made.pages
    assert len(list((site / "content/dateien/2020/03").glob("bild-*.jpg"))) == len(made.uploads)
    assert "0 clashes" in out
    # every seventh item links to thema-0, which the old site never had: listed, left as it was
    assert "Links to the old site not rewritten (10)" in out
    assert "content/themen/thema-6.md: https://beteiligung.jena.example/2020/03/thema-0/" in out


def test_comments_are_published_threaded_and_at_most_three_deep(imported: tuple) -> None:
    site, export, made, out = imported
    files = list((site / "content/kommentare").rglob("*.yaml"))
    comments = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        comments[data["id"]] = data
    # approved comments on pages are not published (pages take no comments): reported per page
    assert 0 < len(comments) <= made.approved
    assert "thema-61: " in out and "comments not imported (a page under content/seiten/" in out
    assert all(depth(comments, cid) <= MAX_DEPTH for cid in comments)
    assert any(depth(comments, cid) == MAX_DEPTH for cid in comments)
    posts = [i for i in read_export(export).items if i.type == "post"]
    spam = sum(c.approved == "spam" for i in posts for c in i.comments)
    pending = sum(c.approved == "0" for i in posts for c in i.comments)
    assert f"{pending} to the inbox as pending, {spam} spam" in out


def test_no_personal_data_in_any_written_byte(imported: tuple) -> None:
    site, export, _, _ = imported
    secrets = personal_data(export)
    assert len(secrets) > 100
    assert leaks(site, secrets) == []


def test_a_second_run_writes_nothing(imported: tuple, tmp_path: Path) -> None:
    site, export, _, _ = imported
    before = tree(site / "content"), tree(site / ".inbox")
    out = import_into(site, export, uploads=export.parent / "uploads", pages=True)
    assert out.split("\n")[2].startswith("0 files written,")
    assert (tree(site / "content"), tree(site / ".inbox")) == before


def test_the_result_builds_and_checks_clean(imported: tuple) -> None:
    site, _, _, _ = imported
    built = cli(site, "--out", str(site / "out"))
    assert built.returncode == 0, built.stderr
    checked = cli(site, "check", "--no-vnu")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "check: no problems found" in checked.stdout
