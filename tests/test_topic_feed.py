"""Follow a topic without an account (issue 15, item 5): each topic's Atom feed of its approved
comments and official replies at /themen/<slug>/kommentare.xml, linked from its page."""

from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sitetest import FIXTURE, TODAY, read_tree
from sitegen import build
from sitegen.core import topic_feed
from sitegen.core.codepoints import strip_forbidden, strip_invisible, strip_reordering
from sitegen.core.site import pages

A = "{http://www.w3.org/2005/Atom}"
THR = "{http://purl.org/syndication/thread/1.0}"
BASE = "https://zukunft.example.org"
# every element a feed may hold: anything else would be markup that came in with a comment
ELEMENTS = {A + n for n in ("feed", "title", "subtitle", "id", "link", "updated", "author", "name", "entry",
                            "content")} | {THR + "in-reply-to"}


def norm(text: str) -> str:
    """A text as the site shows it (forbidden code points dropped), whitespace aside."""
    return " ".join(strip_forbidden(text).split())


def comment(cid: str, topic: str, name: str, body: str, day: int, **extra: object) -> dict:
    return {"id": cid, "topic": topic, "parent": None, "name": name, "body": body,
            "date": f"2026-11-{day:02d}T10:00:00Z", "official": None,
            "moderated_at": f"2026-11-{day:02d}T12:00:00Z", "moderated_by": "test", **extra}


def approve(root: Path, data: dict) -> None:
    """A comment as the intake publishes it: one YAML file in the topic's comment folder."""
    folder = root / "content/kommentare" / data["topic"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")


def feed(out: Path, slug: str) -> ET.Element:
    """A topic's feed, parsed (ElementTree refuses anything that is not well-formed XML)."""
    return ET.parse(out / f"themen/{slug}/kommentare.xml").getroot()


def check_atom(root: ET.Element, slug: str) -> list[ET.Element]:
    """RFC 4287's musts for a feed and its entries; returns the entries."""
    assert root.tag == A + "feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(A + name)) == 1, name
    assert root.find(A + "author/" + A + "name").text  # entries without an author inherit it
    self_link = [x for x in root.findall(A + "link") if x.get("rel") == "self"]
    assert [x.get("href") for x in self_link] == [f"{BASE}/themen/{slug}/kommentare.xml"]
    entries = root.findall(A + "entry")
    for e in entries:
        for name in ("id", "title", "updated"):
            assert len(e.findall(A + name)) == 1, (slug, name)
        dt.datetime.fromisoformat(e.find(A + "updated").text)  # RFC 3339
    ids = [e.find(A + "id").text for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(el.tag in ELEMENTS for el in root.iter())
    return entries


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the fixture site (a build keeps its cache next to the sources)."""
    root = tmp_path_factory.mktemp("topic-feed-src") / "site"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Path:
    folder = tmp_path_factory.mktemp("topic-feed")
    build(source, folder, today=TODAY)
    return folder


def test_each_topic_has_an_atom_feed_newest_first_with_stable_ids(out: Path) -> None:
    root = feed(out, "mobilitaet")
    entries = check_atom(root, "mobilitaet")
    assert [e.find(A + "id").text for e in entries] == [f"{BASE}/themen/mobilitaet/#kommentar-k{n}" for n in (4, 3, 2, 1)]
    stamps = [e.find(A + "updated").text for e in entries]
    assert stamps == sorted(stamps, reverse=True) and root.find(A + "updated").text == stamps[0]
    assert root.find(A + "title").text == "Zukunftsthemen Musterstadt: Kommentare zu Mobilität 2040"
    assert "höchstens 100" in root.find(A + "subtitle").text


def test_official_replies_name_author_and_role_and_replies_link_what_they_answer(out: Path) -> None:
    entries = {e.find(A + "id").text.rsplit("-", 1)[1]: e for e in feed(out, "mobilitaet").findall(A + "entry")}
    authors = {k: e.find(A + "author/" + A + "name").text for k, e in entries.items()}
    assert authors == {"k1": "Anna", "k2": "Stadt Musterstadt", "k3": "Erika Beispiel (Themenpate)",
                       "k4": "<b>Bernd</b>"}
    assert entries["k2"].find(A + "title").text == "Offizielle Antwort von Stadt Musterstadt auf Anna"
    assert entries["k3"].find(A + "title").text == \
        "Offizielle Antwort von Erika Beispiel (Themenpate) auf Stadt Musterstadt"
    reply = entries["k3"].find(THR + "in-reply-to")
    assert reply.get("ref") == reply.get("href") == f"{BASE}/themen/mobilitaet/#kommentar-k2"
    assert [x.get("href") for x in entries["k3"].findall(A + "link") if x.get("rel") == "related"] == [reply.get("href")]
    assert entries["k1"].find(THR + "in-reply-to") is None
    assert entries["k4"].find(A + "content").text == "Ich finde <script>alert(1)</script> gut & richtig"


def test_a_topic_without_comments_has_a_valid_empty_feed_dated_by_its_content(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    (root / "content/themen/neu.md").write_text("---\ntitle: Neu\nsummary: S\n---\nText\n", encoding="utf-8")
    build(root, tmp_path / "out", today=TODAY)
    dated = feed(tmp_path / "out", "wohnen")  # `date: 2026-09-15`, no comments
    assert check_atom(dated, "wohnen") == [] and dated.find(A + "updated").text == "2026-09-15T00:00:00Z"
    undated = feed(tmp_path / "out", "neu")
    assert check_atom(undated, "neu") == [] and undated.find(A + "updated").text == "2020-01-01T00:00:00Z"


def test_two_builds_on_different_days_write_the_same_feeds(out: Path, source: Path, tmp_path: Path) -> None:
    build(source, tmp_path / "later", today=TODAY + dt.timedelta(days=40))
    for slug in ("mobilitaet", "wohnen"):
        name = f"themen/{slug}/kommentare.xml"
        assert (out / name).read_bytes() == (tmp_path / "later" / name).read_bytes()


def test_the_page_links_its_feed_in_the_head_and_near_the_comments(out: Path) -> None:
    page = BeautifulSoup((out / "themen/mobilitaet/index.html").read_text(encoding="utf-8"), "html5lib")
    head = [x for x in page.select("head link[rel=alternate]") if x["href"] == "/themen/mobilitaet/kommentare.xml"]
    assert [(x["type"], x["title"]) for x in head] == [("application/atom+xml", "Kommentare zu Mobilität 2040 (Atom)")]
    visible = page.select("section.discussion .feed-link a[href='/themen/mobilitaet/kommentare.xml']")
    assert len(visible) == 1 and "Feed abonnieren" in visible[0].get_text()


def test_the_newest_hundred_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    for n in range(topic_feed.LIMIT + 5):
        approve(root, comment(f"v{n:03d}", "mobilitaet", f"V{n}", f"Text {n}", 7 + n % 20))
    build(root, tmp_path / "out", today=TODAY)
    entries = check_atom(feed(tmp_path / "out", "mobilitaet"), "mobilitaet")
    assert len(entries) == topic_feed.LIMIT
    kept = {e.find(A + "id").text.rsplit("-", 1)[1] for e in entries}
    assert not kept & {"k1", "k2", "k3", "k4"}  # all published before any v comment


def test_hostile_names_and_bodies_come_out_escaped(tmp_path: Path, blns: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topic_feed, "LIMIT", len(blns))  # every string in one feed (workers are forked)
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    for i, s in enumerate(blns):
        approve(root, comment(f"b{i}", "wohnen", f"N{i} {s}", f"B{i} {s}", 1 + i % 28))
    build(root, tmp_path / "out", today=TODAY)
    raw = (tmp_path / "out/themen/wohnen/kommentare.xml").read_text(encoding="utf-8")
    entries = {e.find(A + "id").text.rsplit("-", 1)[1]: e for e in check_atom(feed(tmp_path / "out", "wohnen"), "wohnen")}
    assert len(entries) == len(blns)
    for i, s in enumerate(blns):
        e = entries[f"b{i}"]
        assert norm(e.find(A + "author/" + A + "name").text) == norm(strip_invisible(f"N{i} {s}"))
        assert norm(e.find(A + "content").text) == norm(strip_reordering(f"B{i} {s}"))  # as test_blns.py's
    assert "<script" not in raw and "<b>" not in raw  # blns holds both: only as &lt;


def test_an_erased_comment_is_gone_from_the_feed_after_the_next_build(tmp_path: Path) -> None:
    root, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(FIXTURE, root)
    build(root, out, today=TODAY)
    assert "kommentar-k4" in (out / "themen/mobilitaet/kommentare.xml").read_text(encoding="utf-8")
    (root / "content/kommentare/mobilitaet/k4.yaml").unlink()  # what erasing a published comment does
    build(root, out, today=TODAY)
    text = (out / "themen/mobilitaet/kommentare.xml").read_text(encoding="utf-8")
    assert "kommentar-k4" not in text and "Bernd" not in text
    assert text.encode("utf-8") == dict(pages(root, TODAY))["themen/mobilitaet/kommentare.xml"]


def test_approving_one_comment_rewrites_that_topics_feed_and_no_other(tmp_path: Path) -> None:
    root, out = tmp_path / "site", tmp_path / "out"
    shutil.copytree(FIXTURE, root)
    build(root, out, today=TODAY)
    before = read_tree(out)
    approve(root, comment("k9", "mobilitaet", "Clara", "Und Busse!", 20, parent="k1"))
    report = build(root, out, today=TODAY)
    assert "themen/mobilitaet/kommentare.xml" in report.written
    assert "themen/wohnen/kommentare.xml" not in report.written
    assert read_tree(out)["themen/wohnen/kommentare.xml"] == before["themen/wohnen/kommentare.xml"]
    newest = feed(out, "mobilitaet").find(A + "entry")
    assert newest.find(A + "title").text == "Antwort von Clara auf Anna"
    assert (out / "themen/mobilitaet/kommentare.xml").read_bytes() == \
        dict(pages(root, TODAY))["themen/mobilitaet/kommentare.xml"]
