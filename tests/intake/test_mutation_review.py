"""A review session checked key by key: the gaps the mutation run (bench/mutation.py) found in intake/review.py
(driven in-process with a list of key presses; the terminal itself is in test_review_tty.py)."""

from __future__ import annotations

import io
from collections import Counter
from typing import Callable

from intake import review
from intake.config import IntakeConfig
from intake.config import load as load_config
from intake.inbox import Inbox
from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli

NOW = "2026-11-30T10:00:00Z"


def setup(cli: Cli, count: int) -> tuple[IntakeConfig, Inbox, list[str]]:
    cli.transport = mock_transport(FakeNetlify([submission(i) for i in range(1, count + 1)]))
    assert cli("pull").code == 0
    config = load_config(cli.root)
    inbox = Inbox(config.inbox)
    return config, inbox, [e.key for e in inbox.entries()]


def session(config: IntakeConfig, inbox: Inbox, keys: list[str | Callable[[], str]]) -> tuple[Counter[str], str]:
    presses = iter(keys)

    def read() -> str:
        press = next(presses, "")
        return press() if callable(press) else press

    out = io.StringIO()
    tally = review.review(config, inbox, by="Redaktion", read=read, out=out, now=lambda: NOW)
    return tally, out.getvalue()


def test_each_decision_is_counted_recorded_and_shown_on_its_own_line(cli: Cli) -> None:
    config, inbox, keys = setup(cli, 5)
    tally, out = session(config, inbox, [" ", "a", "a", "?", "r", "s", "n"])
    assert tally == Counter(approved=2, rejected=1, spam=1, skipped=1)
    assert out.endswith("review finished: 2 approved, 1 rejected, 1 spam, 1 skipped\n") and "XX" not in out
    assert f"\n── 1/5 {'─' * 40}\n" in out and f"\n── 5/5 {'─' * 40}\n" in out
    assert f"a\n{keys[0]}: approved -> " in out and f"\n{review.HELP}\n" in out
    first = inbox.get(keys[0])
    assert (first.status, first.moderated_by, first.moderated_at) == ("approved", "Redaktion", NOW)


def test_quitting_says_what_was_decided(cli: Cli) -> None:
    config, inbox, _ = setup(cli, 2)
    tally, out = session(config, inbox, ["n", "q"])
    assert tally == Counter(skipped=1) and out.endswith("review finished: 1 skipped\n")
    assert session(config, inbox, [])[1].endswith("review finished: nothing decided\n")


def test_what_another_editor_decided_meanwhile_is_neither_overridden_nor_shown_again(cli: Cli) -> None:
    config, inbox, keys = setup(cli, 4)

    def elsewhere(key: str, status: str, press: str) -> Callable[[], str]:
        def act() -> str:
            inbox.put(inbox.get(key).with_changes(status=status))
            return press
        return act

    tally, out = session(config, inbox, [elsewhere(keys[0], "rejected", "a"), elsewhere(keys[1], "spam", "r"),
                                         elsewhere(keys[3], "spam", "n")])
    assert [inbox.get(k).status for k in keys] == ["rejected", "spam", "pending", "spam"]
    assert tally == Counter({"decided elsewhere": 2, "skipped": 1})
    assert out.endswith("review finished: 1 skipped, 2 decided elsewhere\n")
    assert "── 3/4 " in out and "── 4/4 " not in out  # the 4th was decided before its turn: skipped silently


def test_a_key_is_read_case_blind_and_blanks_are_skipped() -> None:
    presses = iter(["\r", "\n", "\t", " ", "X"])
    assert review.next_key(lambda: next(presses)) == "x"
    assert review.next_key(lambda: "") == "q"


def test_repeated_decisions_add_up_and_a_decline_records_who_and_when(cli: Cli) -> None:
    config, inbox, keys = setup(cli, 6)
    tally, out = session(config, inbox, ["r", "r", "s", "s", "n", "n"])
    assert tally == Counter(rejected=2, spam=2, skipped=2)
    declined = inbox.get(keys[0])
    assert (declined.status, declined.moderated_by, declined.moderated_at) == ("rejected", "Redaktion", NOW)


def test_an_entry_decided_before_its_turn_is_passed_over_and_the_session_goes_on(cli: Cli) -> None:
    config, inbox, keys = setup(cli, 3)

    def decide_the_next() -> str:
        inbox.put(inbox.get(keys[1]).with_changes(status="spam"))
        return "n"

    tally, out = session(config, inbox, [decide_the_next, "n"])
    assert "── 2/3 " not in out and "── 3/3 " in out and tally == Counter(skipped=2)
