"""Every CLI command: its output and exit code, in-process with injected streams."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from intake_support import Cli, intake_section, make_site
from intake.cli import main
from intake_fakes import FakeNetlify, mock_transport, submission

COMMANDS = ("pull", "list", "show", "approve", "reject", "spam", "review", "reply", "forget", "purge", "stats")


def key(i: int) -> str:
    return f"netlify-{submission(i)['id']}"


@pytest.fixture
def pulled(cli: Cli) -> Cli:
    """An inbox with three clean submissions, one with links (spam) and one for an unknown topic."""
    subs = [submission(1), submission(2), submission(3, topic="digital"),
            submission(4, body="Billig! https://a.example https://b.example"), submission(5, topic="gibtsnicht")]
    cli.transport = mock_transport(FakeNetlify(subs))
    assert cli("pull").code == 0
    return cli


def comment(cli: Cli, topic: str, cid: str) -> dict:
    return yaml.safe_load((cli.root / "content" / "kommentare" / topic / f"{cid}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    assert f"usage: python -m intake {command}" in capsys.readouterr().out


def test_usage_errors_exit_2(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert cli("approve", "x", "--official", "kaiser").code == 2
    assert cli("reply", "x").code == 2  # --as is required
    assert "required" in capsys.readouterr().err


def test_pull_output(pulled: Cli) -> None:
    again = pulled("pull")
    assert again.code == 0
    assert again.out.startswith("pull from netlify: 5 read, 0 new (0 spam, 0 invalid)")


def test_list_and_status_filter(pulled: Cli) -> None:
    everything = pulled("list")
    assert everything.code == 0 and everything.out.strip().endswith("5 entries")
    assert key(1) in everything.out and "Person 1" in everything.out and "person1@" not in everything.out
    spam = pulled("list", "--status", "spam")
    assert spam.out.count("\n") == 2 and key(4) in spam.out and "spam:1" in spam.out
    assert pulled("list", "--status", "approved").out.strip() == "0 entries"


def test_show_prints_reasons_and_unknown_ids_fail(pulled: Cli) -> None:
    shown = pulled("show", key(5))
    assert shown.code == 0 and "invalid:   topic: unknown topic 'gibtsnicht'" in shown.out
    assert "person5@example.org" in shown.out  # editors see the address; it never leaves the inbox
    assert "spam:      links: 2 links" in pulled("show", key(4)).out
    missing = pulled("show", "netlify-doesnotexist")
    assert missing.code == 1 and "no such submission" in missing.err
    assert pulled("show", "../../etc/passwd").code == 1


def test_approve_writes_exactly_the_public_keys(pulled: Cli) -> None:
    result = pulled("approve", key(1), "--by", "Anna")
    assert result.code == 0 and f"{key(1)}: approved -> content/kommentare/verkehr/{key(1)}.yaml" in result.out
    data = comment(pulled, "verkehr", key(1))
    assert list(data) == ["id", "topic", "parent", "name", "body", "date", "official", "moderated_at", "moderated_by"]
    assert data["id"] == key(1) and data["parent"] is None and data["official"] is None
    assert data["moderated_by"] == "Anna" and data["date"] == "2026-11-26T08:01:00Z"
    assert pulled("approve", key(1)).out.startswith(f"{key(1)}: already approved")
    assert pulled("show", key(1)).out.count("moderated: ") == 1


def test_approve_refuses_invalid_and_unknown_but_does_the_rest(pulled: Cli) -> None:
    result = pulled("approve", key(2), key(5), "nope-1", "--official", "stadt")
    assert result.code == 1
    assert "cannot be published: topic: unknown topic" in result.err and "nope-1: no such submission" in result.err
    assert comment(pulled, "verkehr", key(2))["official"] == "stadt"
    assert not (pulled.root / "content" / "kommentare" / "gibtsnicht").exists()


def test_spam_flagged_entry_can_still_be_approved_by_an_editor(pulled: Cli) -> None:
    assert pulled("approve", key(4)).code == 0
    assert comment(pulled, "verkehr", key(4))["moderated_by"] == "Redaktion Test"


def test_reject_and_spam_keep_it_out_and_take_published_ones_off(pulled: Cli) -> None:
    assert pulled("approve", key(1)).code == 0
    rejected = pulled("reject", key(1), key(2), "--reason", "off topic")
    assert rejected.code == 0 and "(removed content/kommentare/verkehr/" in rejected.out
    assert list((pulled.root / "content" / "kommentare").rglob("*.yaml")) == []
    assert pulled.entries()[key(2)]["reason"] == "off topic"
    assert pulled("spam", key(3)).code == 0 and pulled.entries()[key(3)]["status"] == "spam"
    assert pulled("spam", "x--").code == 1


def test_replies_need_a_published_parent_and_nest_at_most_3_deep(cli: Cli) -> None:
    chain = [submission(1)] + [submission(i, parent=f"netlify-{submission(i - 1)['id']}") for i in range(2, 6)]
    other = submission(9, topic="digital", parent=key(1))
    cli.transport = mock_transport(FakeNetlify(chain + [other]))
    assert cli("pull").code == 0
    early = cli("approve", key(2))
    assert early.code == 1 and "not published in topic verkehr" in early.err
    assert cli("approve", key(1), key(2), key(3)).code == 0
    too_deep = cli("approve", key(4))
    assert too_deep.code == 1 and "at most 3 deep" in too_deep.err
    assert cli("approve", key(9)).code == 1  # the parent is in another topic
    blocked = cli("reject", key(2))
    assert blocked.code == 1 and "has 1 published replies" in blocked.err


def test_review_with_single_keys(pulled: Cli) -> None:
    result = pulled("review", "--by", "Ben", stdin="a\nrxs?an")
    assert result.code == 0
    assert "4 pending submission(s)" in result.out  # the link-heavy one waits under spam
    assert "cannot do that: " in result.out and "cannot be published: topic" in result.out
    assert "a approve and publish" in result.out.split("1 rejected")[0]  # unknown keys show the help
    statuses = {k: e["status"] for k, e in pulled.entries().items()}
    assert statuses[key(1)] == "approved" and statuses[key(2)] == "rejected"
    assert "review finished: 1 approved, 1 rejected, 1 spam, 1 skipped" in result.out
    assert pulled.entries()[key(1)]["moderated_by"] == "Ben"
    quit = pulled("review", stdin="")  # end of input quits cleanly
    assert quit.code == 0 and "review finished: nothing decided" in quit.out


def test_review_escapes_terminal_control_sequences(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1, name="Evil\x1b[2J", body="x\u202eabc")]))
    assert cli("pull").code == 0
    out = cli("review", stdin="q").out
    assert "\x1b" not in out and "\\x1b[2J" in out and "\u202e" not in out


def test_reply_as_stadt_and_themenpate(pulled: Cli) -> None:
    assert pulled("approve", key(1)).code == 0
    stadt = pulled("reply", key(1), "--as", "stadt", "--text", "Danke für den Hinweis!")
    assert stadt.code == 0 and "published reply -> content/kommentare/verkehr/reply-" in stadt.out
    pate = pulled("reply", key(1), "--as", "themenpate", stdin="Gute Frage.\nWir prüfen das.\n")
    assert pate.code == 0
    replies = sorted((pulled.root / "content" / "kommentare" / "verkehr").glob("reply-*.yaml"))
    loaded = sorted((yaml.safe_load(p.read_text(encoding="utf-8")) for p in replies), key=lambda d: d["official"])
    assert [(d["official"], d["name"], d["parent"]) for d in loaded] == [
        ("stadt", "Stadt", key(1)), ("themenpate", "Erika Pate", key(1))]
    assert loaded[1]["body"] == "Gute Frage.\nWir prüfen das."
    unpublished = pulled("reply", key(2), "--as", "stadt", "--text", "x")
    assert unpublished.code == 1 and "no published comment" in unpublished.err
    assert pulled("reply", key(1), "--as", "stadt", "--text", "  ").code == 1


def test_forget_removes_inbox_entries_and_published_comments(cli: Cli) -> None:
    subs = [submission(1, email="Wer@Example.org"), submission(2), submission(3, email="wer@example.org ",
                                                                              parent="")]
    subs.append(submission(4, parent=f"netlify-{subs[0]['id']}"))
    cli.transport = mock_transport(FakeNetlify(subs))
    assert cli("pull").code == 0
    assert cli("approve", key(1), key(2), key(4)).code == 0
    assert cli("purge").code == 0
    result = cli("forget", "WER@example.org")
    assert result.code == 0
    assert f"removed published comment content/kommentare/verkehr/{key(1)}.yaml" in result.out
    assert f"removed inbox entry {key(1)} (approved" in result.out and f"removed inbox entry {key(3)}" in result.out
    assert f"re-parented reply {key(4)}" in result.out
    assert comment(cli, "verkehr", key(4))["parent"] is None  # someone else's reply stays, one level up
    entries = cli.entries()
    assert entries[key(1)]["status"] == "erased" and entries[key(1)]["fields"] == {}
    assert "Person 1" not in (cli.inbox / f"{key(1)}.yaml").read_text(encoding="utf-8")
    assert cli("pull").out.count(" 0 new") == 1  # the tombstone keeps a pull from bringing it back
    assert cli("forget", "wer@example.org").out.startswith("nothing found")


def test_forget_matches_after_purge_through_the_keyed_hash(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1, email="alt@example.org")]))
    assert cli("pull").code == 0
    cli.clock = lambda: dt.datetime(2028, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    purged = cli("purge")
    assert purged.code == 0 and f"purged {key(1)} (pending" in purged.out and "1 entry purged" in purged.out
    assert "alt@example.org" not in (cli.inbox / f"{key(1)}.yaml").read_text(encoding="utf-8")
    assert cli("purge").out.strip() == "0 entries purged (personal data older than 180 days)"
    assert f"removed inbox entry {key(1)}" in cli("forget", "ALT@example.org").out


def test_purge_respects_retention_and_clears_rejected_text(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1), submission(2)]))
    assert cli("pull").code == 0
    assert cli("reject", key(2)).code == 0
    cli.clock = lambda: dt.datetime(2027, 5, 1, tzinfo=dt.timezone.utc).timestamp()  # 156 days later
    assert cli("purge").out.startswith("0 entries purged")
    cli.clock = lambda: dt.datetime(2027, 6, 1, tzinfo=dt.timezone.utc).timestamp()
    assert cli("purge").code == 0
    entries = cli.entries()
    assert entries[key(1)]["personal"] == {} and entries[key(1)]["fields"]["name"] == "Person 1"
    assert entries[key(2)]["fields"] == {} and entries[key(2)]["email_hash"]


def test_stats_has_counts_and_no_personal_data(pulled: Cli) -> None:
    assert pulled("approve", key(1)).code == 0
    result = pulled("stats")
    assert result.code == 0
    assert "entries: 5; holding personal data: 5" in result.out
    assert "status: approved 1, pending 3, spam 1" in result.out
    assert "spam rule: links 1" in result.out and "invalid field: topic 1" in result.out
    assert "published: verkehr 1" in result.out and "gibtsnicht" not in result.out
    for i in range(1, 6):
        assert f"Person {i}" not in result.out and f"person{i}@" not in result.out


def test_configuration_errors_exit_2_naming_the_key(site: Path, env: dict[str, str]) -> None:
    cli = Cli(site, env)
    make_site(site, intake_section(spam={"max_links": "zwei"}))
    bad = cli("list")
    assert bad.code == 2 and "intake.spam.max_links" in bad.err
    make_site(site, intake_section())
    cli.env = {k: v for k, v in env.items() if k != "NETLIFY_AUTH_TOKEN"}
    no_token = cli("pull")
    assert no_token.code == 2 and "NETLIFY_AUTH_TOKEN (intake.netlify.token_env) is not set" in no_token.err
    (site / "content" / "site.yaml").unlink()
    assert "site.yaml: not found" in cli("stats").err
