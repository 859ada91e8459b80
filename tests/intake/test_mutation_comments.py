"""Published comment files: names, nesting and re-parenting, the gaps the mutation run found in intake/comments.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intake import comments
from intake.errors import RunError
from intake_support import make_site


def publish(root: Path, cid: str, parent: str | None, topic: str = "verkehr") -> Path:
    return comments.write_comment(root, {
        "id": cid, "topic": topic, "parent": parent, "name": "Name", "body": "Text", "date": "2026-11-30",
        "official": None, "moderated_at": "2026-11-30T10:00:00Z", "moderated_by": "Redaktion"})


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.mark.parametrize(("topic", "cid"), [("../verkehr", "netlify-abc"), ("verkehr", "../netlify-abc"),
                                            ("Verkehr/x", "netlify-abc")])
def test_a_comment_file_needs_both_a_safe_topic_and_a_safe_id(root: Path, topic: str, cid: str) -> None:
    assert comments.comment_file(root, topic, cid) is None
    with pytest.raises(RunError, match=f"^refusing to publish under unsafe name {re.escape(repr(topic))}/"
                                       f"{re.escape(repr(cid))}$"):
        publish(root, cid, None, topic)


def test_a_parent_chain_that_loops_is_refused_not_followed_forever(root: Path) -> None:
    publish(root, "netlify-a", "netlify-b")
    publish(root, "netlify-b", "netlify-a")
    with pytest.raises(RunError, match="is not published in topic verkehr"):
        comments.depth(root, "verkehr", "netlify-a")


def test_removing_a_middle_comment_moves_its_replies_to_its_own_parent(root: Path) -> None:
    publish(root, "netlify-top", None)
    publish(root, "netlify-middle", "netlify-top")
    reply = publish(root, "netlify-bottom", "netlify-middle")
    assert comments.detach(root, "verkehr", "netlify-middle") == ["netlify-bottom"]
    assert comments.read(reply)["parent"] == "netlify-top"


def test_detaching_a_comment_that_is_not_published_moves_nothing(root: Path) -> None:
    assert comments.detach(root, "verkehr", "netlify-gone") == []
    assert comments.detach(root, "../verkehr", "netlify-gone") == []


def test_an_unreadable_comment_file_is_one_line_with_its_place(root: Path) -> None:
    path = root / "content" / "kommentare" / "verkehr" / "netlify-bad.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("id: netlify-bad\nbody: [unclosed\n", encoding="utf-8")
    with pytest.raises(RunError, match=rf"^{re.escape(str(path))}:\d+: \S"):
        comments.read(path)
