"""Undo checked directly: which decision is the last, what an undo clears, what it refuses and says.
The gaps the mutation run (bench/mutation.py) found in intake/undo.py (the command is in test_undo.py)."""

from __future__ import annotations

import pytest

from intake import publish, undo
from intake.config import IntakeConfig
from intake.config import load as load_config
from intake.errors import RunError
from intake.inbox import Inbox
from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli

T1, T2 = "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z"


def key(i: int) -> str:
    return f"netlify-{submission(i)['id']}"


def setup(cli: Cli, count: int) -> tuple[IntakeConfig, Inbox]:
    cli.transport = mock_transport(FakeNetlify([submission(i) for i in range(1, count + 1)]))
    assert cli("pull").code == 0
    config = load_config(cli.root)
    return config, Inbox(config.inbox)


def by(now: str = T1, expected: str | None = "pending", **more: str) -> publish.Decision:
    return publish.Decision(by="Redaktion", now=now, expected=expected, **more)  # type: ignore[arg-type]


def stored(inbox: Inbox, i: int, **changes: object) -> None:
    """Change an entry as an older intake or a purge left it."""
    with inbox.lock(wait=publish.LOCK_WAIT):
        inbox.put(inbox.get(key(i)).with_changes(**changes))


def test_the_last_decision_is_the_latest_in_time_not_the_highest_key(cli: Cli) -> None:
    config, inbox = setup(cli, 3)
    late, early = sorted([key(1), key(2)])  # the lower key decided later
    publish.decline(config, inbox, early, "rejected", by(T1))
    publish.decline(config, inbox, late, "spam", by(T2))
    stored(inbox, 3, moderated_at="2026-12-01T00:00:00Z")  # pending, though it carries a time: not a decision
    assert undo.last_decided(inbox) == late


def test_an_undo_clears_every_trace_of_the_decision(cli: Cli) -> None:
    config, inbox = setup(cli, 1)
    publish.decline(config, inbox, key(1), "rejected", by(reason="off topic"))
    assert undo.undo(config, inbox, key(1), by(expected="rejected")) == f"{key(1)}: rejected undone, pending again"
    entry = inbox.get(key(1))
    assert (entry.status, entry.moderated_at, entry.moderated_by, entry.reason, entry.official,
            entry.comment_path) == ("pending", None, None, None, None, None)


def test_an_undone_approval_names_the_file_it_removed(cli: Cli) -> None:
    config, inbox = setup(cli, 1)
    publish.approve(config, inbox, key(1), by(official="stadt"))
    said = undo.undo(config, inbox, key(1), by(expected="approved"))
    assert said == f"{key(1)}: approved undone, pending again (removed content/kommentare/verkehr/{key(1)}.yaml)"


def test_an_entry_decided_otherwise_than_the_editor_saw_is_left_alone(cli: Cli) -> None:
    config, inbox = setup(cli, 1)
    publish.decline(config, inbox, key(1), "spam", by())
    with pytest.raises(RunError, match=r": is spam now \(decided elsewhere meanwhile\); nothing done"):
        undo.undo(config, inbox, key(1), by(expected="approved"))
    assert inbox.get(key(1)).status == "spam"


def test_a_purged_text_cannot_be_pending_again_but_a_kept_one_can(cli: Cli) -> None:
    config, inbox = setup(cli, 3)
    for i in (1, 2, 3):
        publish.decline(config, inbox, key(i), "rejected", by())
    stored(inbox, 1, purged_at=T2, fields={**inbox.get(key(1)).fields, "body": ""})
    with pytest.raises(RunError, match=r": its text was purged after the retention period; it cannot be pending"):
        undo.undo(config, inbox, key(1), by(expected="rejected"))
    stored(inbox, 2, purged_at=T2)  # purged of personal data, the text kept
    stored(inbox, 3, fields={**inbox.get(key(3)).fields, "body": ""})  # an empty text, never purged
    for i in (2, 3):
        assert undo.undo(config, inbox, key(i), by(expected="rejected")).endswith("undone, pending again")


def test_a_comment_with_replies_lists_them_all(cli: Cli) -> None:
    config, inbox = setup(cli, 1)
    publish.approve(config, inbox, key(1), by())
    first = publish.reply(config, inbox, key(1), "Danke!", by(official="stadt", expected=None)).stem
    second = publish.reply(config, inbox, key(1), "Wir prüfen das.", by(official="stadt", expected=None)).stem
    names = ", ".join(sorted([first, second]))
    with pytest.raises(RunError, match=rf": has 2 published replies \(({names}|{', '.join([second, first])})\); undo"):
        undo.undo(config, inbox, key(1), by(expected="approved"))


def test_a_reply_under_a_reply_keeps_it_published(cli: Cli) -> None:
    config, inbox = setup(cli, 1)
    publish.approve(config, inbox, key(1), by())
    official = publish.reply(config, inbox, key(1), "Danke!", by(official="stadt", expected=None))
    publish.reply(config, inbox, official.stem, "Nachtrag.", by(official="themenpate", expected=None))
    with pytest.raises(RunError, match=rf"^{official.stem}: has 1 published replies; undo those first$"):
        undo.retract_reply(config, inbox, official.stem)
    assert official.is_file()


def test_only_an_official_reply_id_can_be_retracted(cli: Cli) -> None:
    config, inbox = setup(cli, 1)
    with pytest.raises(RunError, match=rf"^{key(1)}: not an official reply$"):
        undo.retract_reply(config, inbox, key(1))
