"""The comment contract held by both sides: what the intake publishes, the build reads, and the benchmark writes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from sitetest import REPO

sys.path.insert(0, str(Path(__file__).parent / "intake"))

from intake import comments, publish, topics  # noqa: E402
from intake.config import IntakeConfig  # noqa: E402
from intake.config import load as load_config  # noqa: E402
from intake.entry import Entry  # noqa: E402
from intake.errors import RunError  # noqa: E402
from intake.inbox import Inbox  # noqa: E402
from intake_support import make_site  # noqa: E402
from sitegen.core import contract, readers, render, rules  # noqa: E402
from sitegen.core.assets import Assets  # noqa: E402
from sitegen.core.errors import Problems  # noqa: E402
from sitegen.core.model import Comment  # noqa: E402
from sitegen.core.source import read_yaml  # noqa: E402
from sitegen.core.threads import threads  # noqa: E402

NOW = "2026-11-30T10:00:00Z"
TOPIC = "verkehr"


@pytest.fixture
def intake_site(tmp_path: Path) -> tuple[IntakeConfig, Inbox]:
    """A site with topics, and the intake's config and inbox for it."""
    config = load_config(make_site(tmp_path / "site"))
    return config, Inbox(config.inbox)


def submit(inbox: Inbox, key: str, parent: str | None = None, name: str = "Anna B.",
           body: str = "Mehr Radwege bitte!\n\nSiehe https://example.org/radwege") -> None:
    """One pending submission in the inbox, as a pull leaves it."""
    fields = {"topic": TOPIC, "name": name, "body": body} | ({"parent": parent} if parent else {})
    inbox.put(Entry(key=key, source="netlify", date="2026-11-01T09:30:15+01:00", fields=fields))


def approve(config: IntakeConfig, inbox: Inbox, key: str, official: str | None = None) -> None:
    publish.approve(config, inbox, key, publish.Decision(by="Redaktion", now=NOW, official=official))


def thread(root: Path) -> tuple[list[Comment], Problems]:
    """The topic's comments as the build reads them, with the problems it found."""
    problems = Problems(root)
    return readers.read_thread(root / "content" / "kommentare" / TOPIC, problems), problems


def test_the_builds_comment_schema_has_exactly_the_contracts_fields_in_order() -> None:
    assert tuple(rules.COMMENT) == contract.FIELDS
    assert rules.COMMENT["official"].choices == contract.OFFICIAL


def test_a_comment_the_intake_approves_reads_back_in_the_build_with_every_field_equal(
        intake_site: tuple[IntakeConfig, Inbox]) -> None:
    config, inbox = intake_site
    submit(inbox, "netlify-a1", name="Jürgen „Jü“ Größe", body="Zeile 1\n\n'quoted' \"x\": - [y] # z\n  eingerückt")
    submit(inbox, "netlify-a2", parent="netlify-a1", name="Stadt Jena", body="Danke!")
    approve(config, inbox, "netlify-a1")
    approve(config, inbox, "netlify-a2", official="stadt")
    read, problems = thread(config.root)
    assert problems.errors == []
    first, reply = read
    when = dt.datetime(2026, 11, 1, 8, 30, 15, tzinfo=dt.timezone.utc)  # +01:00 stored as UTC
    moderated = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
    assert [getattr(first, f) for f in contract.FIELDS] == [
        "netlify-a1", TOPIC, None, "Jürgen „Jü“ Größe", "Zeile 1\n\n'quoted' \"x\": - [y] # z\n  eingerückt",
        when, None, moderated, "Redaktion"]
    assert [getattr(reply, f) for f in contract.FIELDS] == [
        "netlify-a2", TOPIC, "netlify-a1", "Stadt Jena", "Danke!", when, "stadt", moderated, "Redaktion"]


def test_an_approved_comment_file_is_the_contracts_text_with_dates_as_quoted_stamps(
        intake_site: tuple[IntakeConfig, Inbox]) -> None:
    config, inbox = intake_site
    submit(inbox, "netlify-a1")
    approve(config, inbox, "netlify-a1")
    text = (config.root / "content" / "kommentare" / TOPIC / "netlify-a1.yaml").read_text(encoding="utf-8")
    assert [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()] == list(contract.FIELDS)
    assert "\ndate: '2026-11-01T08:30:15Z'\n" in text and f"\nmoderated_at: '{NOW}'\n" in text
    assert contract.STAMP.match(contract.stamp(dt.datetime(999, 1, 2, tzinfo=dt.timezone.utc)))  # four digits
    assert text == contract.comment_yaml(read_yaml(config.root / "content" / "kommentare" / TOPIC /
                                                   "netlify-a1.yaml").data)


def comment(cid: str, parent: str | None = None) -> dict[str, str | None]:
    """An approved comment's fields, as an editor or the intake would write them."""
    return {"id": cid, "topic": TOPIC, "parent": parent, "name": "A", "body": "B", "date": NOW, "official": None,
            "moderated_at": NOW, "moderated_by": "Redaktion"}


@pytest.mark.parametrize("cid", ["k1", "a" * 64, "netlify-0", "0-"])
def test_an_id_the_contract_accepts_is_accepted_by_the_intake_and_the_build(cid: str, tmp_path: Path) -> None:
    assert contract.COMMENT_ID.match(cid)
    path = comments.write_comment(tmp_path, comment(cid))
    assert path == tmp_path / "content" / "kommentare" / TOPIC / f"{cid}.yaml"
    read, problems = thread(tmp_path)
    assert problems.errors == [] and [c.id for c in read] == [cid]


@pytest.mark.parametrize("cid", ["Abc", "a" * 65, "-a", "a_b", "a.b", "a\nb", "ä", "../x", "a/b"])
def test_an_id_the_contract_refuses_is_refused_by_the_intake_and_the_build(cid: str, tmp_path: Path) -> None:
    assert not contract.COMMENT_ID.match(cid)
    with pytest.raises(RunError, match="^refusing to publish under unsafe name"):
        comments.write_comment(tmp_path, comment(cid))
    folder = tmp_path / "content" / "kommentare" / TOPIC
    folder.mkdir(parents=True)
    (folder / "k1.yaml").write_text(contract.comment_yaml(comment(cid)), encoding="utf-8")  # an id edited by hand
    read, problems = thread(tmp_path)
    assert read == [] and [e.message for e in problems.errors] == [f"the comment id '{cid}' is not valid"]


@pytest.mark.parametrize("slug", ["Verkehr", "-x", "a_b", "x\n", "ä", "a.b"])
def test_a_slug_the_contract_refuses_is_refused_by_the_intake_and_the_build(slug: str, tmp_path: Path) -> None:
    assert not contract.SLUG.match(slug)
    folder = tmp_path / "content" / "themen"
    folder.mkdir(parents=True)
    (folder / f"{slug}.md").write_text("---\ntitle: T\n---\nText\n", encoding="utf-8")
    assert not topics.exists(tmp_path, slug) and comments.comment_file(tmp_path, slug, "k1") is None
    problems = Problems(tmp_path)
    assert readers.file_paths(folder, ".md", problems) == []
    assert [e.message for e in problems.errors] == [f"the file name '{slug}.md' cannot be a web address"]


def test_the_intake_refuses_to_approve_a_reply_below_max_depth(intake_site: tuple[IntakeConfig, Inbox]) -> None:
    config, inbox = intake_site
    parent = None
    for level in range(1, contract.MAX_DEPTH + 1):
        submit(inbox, f"netlify-d{level}", parent=parent)
        approve(config, inbox, f"netlify-d{level}")
        parent = f"netlify-d{level}"
    submit(inbox, "netlify-deeper", parent=parent)
    with pytest.raises(RunError, match=rf"^replies nest at most {contract.MAX_DEPTH} deep; {parent} is already at "
                                       rf"depth {contract.MAX_DEPTH}$"):
        approve(config, inbox, "netlify-deeper")
    read, problems = thread(config.root)
    assert problems.errors == [] and len(read) == contract.MAX_DEPTH


def test_the_build_refuses_a_comment_below_max_depth(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "kommentare" / TOPIC
    folder.mkdir(parents=True)
    for level in range(1, contract.MAX_DEPTH + 2):
        data = comment(f"d{level}", parent=f"d{level - 1}" if level > 1 else None)
        (folder / f"d{level}.yaml").write_text(contract.comment_yaml(data), encoding="utf-8")
    _, problems = thread(tmp_path)
    assert [(e.path, e.message) for e in problems.errors] == [
        (f"content/kommentare/{TOPIC}/d{contract.MAX_DEPTH + 1}.yaml",
         f"replies nest at most {contract.MAX_DEPTH} deep")]


@pytest.mark.parametrize("depth", [2, contract.MAX_DEPTH])
def test_the_reply_form_stops_at_the_depth_the_renderer_passes_not_at_a_number_in_the_template(depth: int) -> None:
    env = render.environment(REPO / "templates", Assets({}, {}))
    assert env.globals["max_depth"] == contract.MAX_DEPTH
    env.globals["max_depth"] = depth  # the template must take it from here
    ids = [f"d{level}" for level in range(1, contract.MAX_DEPTH + 1)]
    chain = [Comment(**comment(cid, parent=ids[i - 1] if i else None) | {"date": dt.datetime(2026, 1, 1 + i)},
                     source=f"{cid}.yaml") for i, cid in enumerate(ids)]
    page = env.from_string('{% import "comments.html" as c with context %}'
                           '{% for t in forest %}{{ c.thread(t, topic, "[reply to __PARENT__]") }}{% endfor %}')
    html = page.render(forest=threads(chain), topic={"comments": "open"}, site={"city": "Jena"})
    assert [cid for cid in ids if f"[reply to {cid}]" in html] == ids[:depth - 1]


def test_the_benchmark_corpus_writes_comment_files_exactly_as_the_intake_does(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), "3", str(tmp_path)], check=True,
                   capture_output=True, timeout=120)
    written = sorted((tmp_path / "ours" / "content" / "kommentare").glob("*/*.yaml"))
    assert written
    for path in written:
        data = read_yaml(path).data
        # a quoted stamp, as production writes it, not a YAML timestamp
        assert contract.STAMP.match(data["date"]) and contract.STAMP.match(data["moderated_at"]), path
        assert path.read_text(encoding="utf-8") == contract.comment_yaml(data), path
