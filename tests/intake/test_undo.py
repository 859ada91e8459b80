"""`python -m intake undo`: a decision goes back to pending, a reply comes off, an erasure stays final."""

from __future__ import annotations

from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli


def pulled(cli: Cli, count: int = 2) -> list[str]:
    cli.transport = mock_transport(FakeNetlify([submission(i) for i in range(1, count + 1)]))
    assert cli("pull").code == 0
    return sorted(cli.entries())


def published(cli: Cli) -> list[str]:
    return sorted(p.name for p in (cli.root / "content" / "kommentare").glob("*/*.yaml"))


def test_undo_without_id_takes_back_the_last_approval(cli: Cli) -> None:
    first, second = pulled(cli)
    assert cli("reject", first, "--reason", "off topic").code == 0
    assert cli("approve", second, "--official", "stadt").code == 0
    result = cli("undo")
    assert result.code == 0, result.err
    assert f"{second}: approved undone, pending again" in result.out
    entry = cli.entries()[second]
    assert (entry["status"], entry["moderated_by"], entry["official"], entry["comment_path"]) == ("pending", None,
                                                                                                 None, None)
    assert published(cli) == []
    assert cli.entries()[first]["status"] == "rejected"  # only the last decision


def test_undo_of_a_named_rejection(cli: Cli) -> None:
    first, _ = pulled(cli)
    assert cli("spam", first).code == 0
    assert cli("undo", first).code == 0
    assert cli.entries()[first]["status"] == "pending"
    assert "no decision to undo" in cli("undo", first).err  # pending now: nothing to undo


def test_undo_never_brings_back_an_erased_entry(cli: Cli) -> None:
    first, _ = pulled(cli)
    assert cli("approve", first).code == 0
    assert cli("forget", "person1@example.org").code == 0
    result = cli("undo", first)
    assert result.code == 1 and "erased on request" in result.err
    assert cli.entries()[first]["status"] == "erased" and published(cli) == []
    assert "no decision to undo" in cli("undo").err  # the tombstone is no decision to take back


def test_undo_with_nothing_decided_says_so(cli: Cli) -> None:
    pulled(cli)
    result = cli("undo")
    assert result.code == 1 and "error: no decision to undo" in result.err


def test_undo_takes_an_official_reply_off_and_refuses_under_replies(cli: Cli) -> None:
    first, _ = pulled(cli)
    assert cli("approve", first).code == 0
    assert cli("reply", first, "--as", "stadt", "--name", "Stadt Jena", "--text", "Danke!").code == 0
    reply_id = next(name[:-5] for name in published(cli) if name.startswith("reply-"))
    refused = cli("undo", first)
    assert refused.code == 1 and "undo those first" in refused.err
    assert cli("undo", reply_id).code == 0
    assert published(cli) == [f"{first}.yaml"]
    assert cli("undo", first).code == 0 and published(cli) == []
