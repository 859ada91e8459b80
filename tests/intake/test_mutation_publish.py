"""Decisions checked field by field: the gaps the mutation run (bench/mutation.py) found in intake/publish.py."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from intake import publish
from intake.config import IntakeConfig
from intake.config import load as load_config
from intake.errors import RunError
from intake.inbox import Inbox
from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli

NOW = "2026-11-30T10:00:00Z"


def key(i: int) -> str:
    return f"netlify-{submission(i)['id']}"


def setup(cli: Cli, *subs: dict) -> tuple[IntakeConfig, Inbox]:
    """Pull the submissions into the fixture site's inbox; the config and inbox to decide on."""
    cli.transport = mock_transport(FakeNetlify(list(subs)))
    result = cli("pull")
    assert result.code == 0, result.err
    config = load_config(cli.root)
    return config, Inbox(config.inbox)


def decision(**changes: str | None) -> publish.Decision:
    return publish.Decision(by="Redaktion", now=NOW, **changes)  # type: ignore[arg-type]


def comment(cli: Cli, topic: str, cid: str) -> dict:
    return yaml.safe_load((cli.root / "content" / "kommentare" / topic / f"{cid}.yaml").read_text(encoding="utf-8"))


def test_approve_publishes_the_body_and_records_who_when_where_and_the_badge(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    said = publish.approve(config, inbox, key(1), decision(official="stadt"))
    assert said == f"{key(1)}: approved -> content/kommentare/verkehr/{key(1)}.yaml"
    assert comment(cli, "verkehr", key(1))["body"] == "Kommentar Nummer 1 zur Zukunft."
    entry = inbox.get(key(1))
    assert (entry.status, entry.official, entry.moderated_at, entry.moderated_by) == ("approved", "stadt", NOW,
                                                                                      "Redaktion")
    assert entry.comment_path == f"content/kommentare/verkehr/{key(1)}.yaml"


def test_approve_of_an_entry_with_two_problems_names_both(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1, consent="", name="N\x07"))
    problems = inbox.get(key(1)).invalid
    assert len(problems) == 2
    with pytest.raises(RunError, match=f"cannot be published: {'; '.join(problems)}$".replace("(", r"\(")
                       .replace(")", r"\)")):
        publish.approve(config, inbox, key(1), decision())


@pytest.mark.parametrize("verb", ["approve", "decline"])
def test_a_decision_on_an_entry_that_changed_since_it_was_shown_is_refused(cli: Cli, verb: str) -> None:
    config, inbox = setup(cli, submission(1))
    with pytest.raises(RunError, match=rf"^{key(1)}: is pending now \(decided elsewhere meanwhile\); nothing done$"):
        if verb == "approve":
            publish.approve(config, inbox, key(1), decision(expected="rejected"))
        else:
            publish.decline(config, inbox, key(1), "spam", decision(expected="approved"))
    assert inbox.get(key(1)).status == "pending"


class FullInbox(Inbox):
    """An inbox whose disk fills up when an entry is written (the comment file was written before)."""

    def put(self, entry: object) -> None:  # type: ignore[override]
        raise OSError(28, "No space left on device")


def test_an_approve_whose_inbox_write_fails_takes_the_comment_file_off_again(cli: Cli) -> None:
    config, _ = setup(cli, submission(1))
    with pytest.raises(OSError, match="No space left"):
        publish.approve(config, FullInbox(config.inbox), key(1), decision())
    assert list((cli.root / "content" / "kommentare").rglob("*.yaml")) == []


def test_decline_of_a_pending_entry_records_the_decision_and_says_no_more(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    assert publish.decline(config, inbox, key(1), "rejected", decision(reason="off topic")) == f"{key(1)}: rejected"
    entry = inbox.get(key(1))
    assert (entry.status, entry.moderated_at, entry.moderated_by, entry.reason) == ("rejected", NOW, "Redaktion",
                                                                                     "off topic")


def test_decline_of_an_approved_entry_clears_its_comment_path(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    publish.approve(config, inbox, key(1), decision())
    said = publish.decline(config, inbox, key(1), "spam", decision())
    assert said == f"{key(1)}: spam (removed content/kommentare/verkehr/{key(1)}.yaml)"
    assert inbox.get(key(1)).comment_path is None


def test_decline_of_a_comment_with_two_replies_names_both(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    publish.approve(config, inbox, key(1), decision())
    first = publish.reply(config, inbox, key(1), "Erste Antwort", decision())
    second = publish.reply(config, inbox, key(1), "Zweite Antwort", decision())
    names = ", ".join(sorted((first.stem, second.stem)))
    with pytest.raises(RunError, match=rf"^{key(1)}: has 2 published replies \({names}\); decide on those first$"):
        publish.decline(config, inbox, key(1), "rejected", decision())


def test_a_reply_is_stored_with_unix_newlines_under_the_city_by_default_with_a_16_digit_id(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    publish.approve(config, inbox, key(1), decision())
    path = publish.reply(config, inbox, key(1), "  Zeile eins\r\nZeile zwei  ", decision())
    body = "Zeile eins\nZeile zwei"
    digest = hashlib.sha256(f"{key(1)}\0{body}\0{NOW}".encode()).hexdigest()[:16]
    assert path.name == f"reply-{digest}.yaml"
    data = comment(cli, "verkehr", f"reply-{digest}")
    assert (data["body"], data["official"], data["name"], data["parent"]) == (body, "stadt", "Stadt", key(1))


def test_a_reply_of_exactly_the_body_limit_passes_one_more_is_refused(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    publish.approve(config, inbox, key(1), decision())
    limit = config.limits.body
    assert publish.reply(config, inbox, key(1), "a" * limit, decision()).is_file()
    with pytest.raises(RunError, match=rf"^reply text must be 1\.\.{limit} characters of valid text without control characters$"):
        publish.reply(config, inbox, key(1), "b" * (limit + 1), decision())


def test_a_reply_name_with_a_control_character_is_refused_with_its_reason(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    publish.approve(config, inbox, key(1), decision())
    with pytest.raises(RunError, match="^the reply's name must be valid text without control characters$"):
        publish.reply(config, inbox, key(1), "Antwort", decision(name="Stadt\x1b[31m"))


def test_a_reply_may_not_nest_deeper_than_three(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    publish.approve(config, inbox, key(1), decision())
    parent = key(1)
    for level in (2, 3):
        parent = publish.reply(config, inbox, parent, f"Antwort auf Ebene {level}", decision()).stem
    with pytest.raises(RunError, match=rf"^replies nest at most 3 deep; {parent} is already at depth 3$"):
        publish.reply(config, inbox, parent, "Ebene 4", decision())


def test_a_themenpate_reply_in_a_topic_without_one_asks_for_a_name(cli: Cli) -> None:
    config, _ = setup(cli)
    topic = cli.root / "content" / "themen" / "verkehr.md"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace("themenpate:\n  name: Erika Pate\n  role: Vorsitzende\n", ""), encoding="utf-8")
    with pytest.raises(RunError, match="^no name for a themenpate reply in verkehr: pass --name$"):
        publish.official_name(config, "themenpate", "verkehr")
