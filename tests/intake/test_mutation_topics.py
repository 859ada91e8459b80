"""Topics as the intake sees them, checked directly: which slugs exist, when a topic takes comments, every
refusal word for word with its line (written for the mutation run, bench/mutation.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from intake import topics
from intake.errors import RunError

UTC = dt.timezone.utc
NOW = dt.datetime(2027, 3, 31, 21, 30, tzinfo=UTC)  # 23:30 on 31 March in the city
LATER = dt.datetime(2027, 3, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 April in the city


def topic(root: Path, slug: str, front: str = "title: T\ncomments: open\n") -> Path:
    path = root / "content" / "themen" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\nText.\n", encoding="utf-8")
    return path


def test_known_is_every_slug_shaped_markdown_file_and_nothing_without_a_folder(tmp_path: Path) -> None:
    assert topics.known(tmp_path) == set()
    topic(tmp_path, "verkehr")
    topic(tmp_path, "a-1")
    topic(tmp_path, "Gross")  # not a slug
    (tmp_path / "content" / "themen" / "notiz.txt").write_text("x", encoding="utf-8")
    assert topics.known(tmp_path) == {"verkehr", "a-1"}


def test_exists_checks_the_slug_before_it_becomes_a_path(tmp_path: Path) -> None:
    topic(tmp_path, "verkehr")
    (tmp_path / "content" / "themen" / "ordner.md").mkdir()  # a folder is no topic
    (tmp_path / "content" / "geheim.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert topics.exists(tmp_path, "verkehr")
    assert not topics.exists(tmp_path, "ordner")
    assert not topics.exists(tmp_path, "../geheim")
    assert not topics.exists(tmp_path, "fehlt")


def test_a_missing_or_broken_topic_is_an_error_with_its_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(RunError, match=r"^topic 'fehlt' does not exist \(content/themen/fehlt\.md\)$"):
        topics.meta(tmp_path, "fehlt")
    topic(tmp_path, "kaputt", "title: T\ncomments: [open\n")
    with pytest.raises(RunError, match=r"^content/themen/kaputt\.md:3: cannot read the topic: "):
        topics.meta(tmp_path, "kaputt")
    (tmp_path / "content" / "themen" / "latin.md").write_bytes(b"---\ntitle: \xfc\n---\n")
    with pytest.raises(RunError, match=r"^content/themen/latin\.md:2: cannot read the topic: the file is not UTF-8 text$"):
        topics.meta(tmp_path, "latin")


def test_meta_is_the_front_matter(tmp_path: Path) -> None:
    topic(tmp_path, "verkehr", "title: Verkehr\ncomments: open\nthemenpate:\n  name: Erika Pate\n")
    assert topics.meta(tmp_path, "verkehr") == {"title": "Verkehr", "comments": "open",
                                                "themenpate": {"name": "Erika Pate"}}


@pytest.mark.parametrize(("front", "message"), [
    ("title: T\ndraft: true\n", "topic 'verkehr' is a draft (draft: true); publish the topic first, or reject"),
    ("title: T\ncomments: closed\n", "topic 'verkehr' has `comments: closed`; open the discussion first, or reject"),
    ("title: T\ncomments_until: 2027-03-31\n", "topic 'verkehr': its participation window ended on 2027-03-31 "
     "(comments_until); reject, or pass --force to publish anyway (e.g. an official reply)"),
])
def test_a_topic_closed_for_comments_is_refused_in_words(tmp_path: Path, front: str, message: str) -> None:
    topic(tmp_path, "verkehr", front)
    with pytest.raises(RunError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        topics.open_for_comments(tmp_path, "verkehr", LATER)


@pytest.mark.parametrize("front", ["title: T\ndraft: false\ncomments: open\n", "title: T\ndraft: yes please\n",
                                   "title: T\ncomments: opened\n", "title: T\ncomments_until: 2027-03-31\n"])
def test_an_open_topic_takes_comments(tmp_path: Path, front: str) -> None:
    topic(tmp_path, "verkehr", front)
    topics.open_for_comments(tmp_path, "verkehr", NOW)  # the last day, 23:30 in the city: still open
    topics.window_open(tmp_path, "verkehr", NOW)


def test_force_passes_an_ended_window_but_not_a_draft(tmp_path: Path) -> None:
    topic(tmp_path, "verkehr", "title: T\ncomments_until: 2027-03-31\n")
    topics.open_for_comments(tmp_path, "verkehr", LATER, force=True)
    topics.window_open(tmp_path, "verkehr", LATER, force=True)
    with pytest.raises(RunError, match="participation window ended on 2027-03-31"):
        topics.window_open(tmp_path, "verkehr", LATER)
    topic(tmp_path, "verkehr", "title: T\ndraft: true\ncomments_until: 2027-03-31\n")
    with pytest.raises(RunError, match="is a draft"):
        topics.open_for_comments(tmp_path, "verkehr", NOW, force=True)


def test_a_broken_window_date_names_its_line(tmp_path: Path) -> None:
    topic(tmp_path, "verkehr", "title: T\ncomments: open\ncomments_until: bald\n")
    with pytest.raises(RunError, match=r"^content/themen/verkehr\.md:4: .+") as caught:
        topics.window_open(tmp_path, "verkehr", NOW, force=True)  # even forced: a broken date is an error
    assert "bald" in str(caught.value) or "date" in str(caught.value)


@pytest.mark.parametrize(("front", "name"), [
    ("title: T\nthemenpate:\n  name: Erika Pate\n", "Erika Pate"),
    ("title: T\nthemenpate:\n  name: 2027\n", "2027"),
    ("title: T\nthemenpate:\n  name: ''\n", None),
    ("title: T\nthemenpate: Erika Pate\n", None),  # not a mapping
    ("title: T\n", None),
])
def test_themenpate_is_the_sponsors_name_or_none(tmp_path: Path, front: str, name: str | None) -> None:
    topic(tmp_path, "verkehr", front)
    assert topics.themenpate(tmp_path, "verkehr") == name


def test_themenpate_of_a_missing_topic_is_none_not_an_error(tmp_path: Path) -> None:
    assert topics.themenpate(tmp_path, "fehlt") is None
