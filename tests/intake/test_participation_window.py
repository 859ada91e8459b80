"""A topic's participation window (comments_until) in the intake: approve, bulk approve, review and reply
refuse after the city's last day unless --force."""

from __future__ import annotations

import datetime as dt

from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli

UTC = dt.timezone.utc
OPEN_LATE = dt.datetime(2027, 3, 31, 21, 30, tzinfo=UTC).timestamp()  # 23:30 in Jena: still the last day
CLOSED_EARLY = dt.datetime(2027, 3, 31, 22, 30, tzinfo=UTC).timestamp()  # 00:30 on 1 April in Jena
REFUSAL = "error: topic 'verkehr': its participation window ended on 2027-03-31 (comments_until); reject, " \
          "or pass --force to publish anyway (e.g. an official reply)\n"


def key(i: int) -> str:
    return f"netlify-{submission(i)['id']}"


def published(cli: Cli) -> set[str]:
    return {p.stem for p in (cli.root / "content" / "kommentare").glob("*/*.yaml")}


def windowed(cli: Cli, *numbers: int, until: str = "2027-03-31") -> None:
    """Pull these submissions, then give the topic verkehr a window."""
    cli.transport = mock_transport(FakeNetlify([submission(i) for i in numbers]))
    assert cli("pull").code == 0
    topic = cli.root / "content" / "themen" / "verkehr.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("comments: open", f"comments: open\n"
                                                                                f"comments_until: {until}"),
                     encoding="utf-8")


def test_the_window_ends_at_midnight_in_the_city_not_in_utc(cli: Cli) -> None:
    windowed(cli, 1, 2)
    cli.clock = lambda: OPEN_LATE
    assert cli("approve", key(1)).code == 0
    cli.clock = lambda: CLOSED_EARLY
    refused = cli("approve", key(2))
    assert (refused.code, refused.err) == (1, REFUSAL)
    assert published(cli) == {key(1)} and cli.entries()[key(2)]["status"] == "pending"


def test_bulk_approve_refuses_each_one_and_force_publishes_them(cli: Cli) -> None:
    windowed(cli, 1, 2)
    cli.clock = lambda: CLOSED_EARLY
    refused = cli("approve", key(1), key(2))
    assert (refused.code, refused.err) == (1, REFUSAL * 2)
    assert published(cli) == set()
    forced = cli("approve", "--force", "--official", "stadt", key(1), key(2))
    assert forced.code == 0, forced.err
    assert published(cli) == {key(1), key(2)}


def test_review_cannot_approve_after_the_window_but_can_still_reject(cli: Cli) -> None:
    windowed(cli, 1)
    cli.clock = lambda: CLOSED_EARLY
    result = cli("review", stdin="ar")
    assert result.code == 0
    assert "cannot do that: topic 'verkehr': its participation window ended on 2027-03-31" in result.out
    assert "review finished: 1 rejected" in result.out
    assert published(cli) == set() and cli.entries()[key(1)]["status"] == "rejected"


def test_an_official_reply_after_the_window_needs_force(cli: Cli) -> None:
    windowed(cli, 1)
    cli.clock = lambda: OPEN_LATE
    assert cli("approve", key(1)).code == 0
    cli.clock = lambda: CLOSED_EARLY
    refused = cli("reply", key(1), "--as", "stadt", "--name", "Stadt Jena", "--text", "Danke!")
    assert refused.code == 1 and "ended on 2027-03-31" in refused.err and len(refused.err.splitlines()) == 1
    assert published(cli) == {key(1)}
    forced = cli("reply", key(1), "--as", "stadt", "--name", "Stadt Jena", "--text", "Danke!", "--force")
    assert forced.code == 0, forced.err
    assert len(published(cli)) == 2


def test_a_comments_until_that_is_no_date_stops_the_approval_with_its_line(cli: Cli) -> None:
    windowed(cli, 1, until="Ende März")
    result = cli("approve", "--force", key(1))
    assert result.code == 1
    assert result.err == "error: content/themen/verkehr.md:8: 'comments_until' must be a date like 2027-03-31, " \
                         "not 'Ende März'\n"
    assert published(cli) == set()
