"""Decisions against erasures, half-done writes, closed topics and the inbox's permissions."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from intake import review as reviewing
from intake.config import load as load_config
from intake.inbox import Inbox
from intake_fakes import BASE_TIME, FakeNetlify, mock_transport, submission
from intake_support import REPO, Cli

PERSON = "person7@example.org"


def key(i: int) -> str:
    return f"netlify-{submission(i)['id']}"


def published(cli: Cli) -> set[str]:
    return {p.stem for p in (cli.root / "content" / "kommentare").glob("*/*.yaml")}


def pull(cli: Cli, *subs: dict) -> None:
    cli.transport = mock_transport(FakeNetlify(list(subs)))
    result = cli("pull")
    assert result.code == 0, result.err


def test_review_card_open_during_forget_cannot_publish_the_erased_comment(cli: Cli) -> None:
    pull(cli, submission(7))
    config = load_config(cli.root)
    keys = iter("a")

    def read() -> str:
        # The editor looks at the card; meanwhile the data protection officer runs forget.
        if not getattr(read, "forgot", False):
            read.forgot = True  # type: ignore[attr-defined]
            assert cli("forget", PERSON).code == 0
        return next(keys, "")

    out = io.StringIO()
    done = reviewing.review(config, Inbox(config.inbox), by="Redaktion", read=read, out=out,
                            now=lambda: "2026-11-30T10:00:00Z")
    assert done["approved"] == 0 and done["decided elsewhere"] == 1
    assert "erased on request" in out.getvalue()
    assert published(cli) == set()
    entry = cli.entries()[key(7)]
    assert entry["status"] == "erased" and entry["personal"] == {} and entry["fields"] == {}


def run_intake(root: Path, env: dict[str, str], *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "intake", *argv, "--root", str(root)], cwd=REPO,
                            env={"PATH": os.environ.get("PATH", ""), **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_bulk_approve_racing_forget_never_republishes(cli: Cli, tmp_path: Path) -> None:
    """Two processes at once, several times: whichever wins, the erased person's comments stay gone."""
    subs = [submission(i, email=PERSON) if i % 2 else submission(i) for i in range(1, 41)]
    theirs = {key(i) for i in range(1, 41) if i % 2}
    for attempt in range(4):
        root = tmp_path / f"race{attempt}"
        os.system(f"cp -r {cli.root} {root}")
        racer = Cli(root, cli.env)
        pull(racer, *subs)
        approve = run_intake(root, cli.env, "approve", *sorted({key(i) for i in range(1, 41)}))
        forget = run_intake(root, cli.env, "forget", PERSON)
        for child in (approve, forget):
            child.communicate(timeout=120)
        assert forget.returncode == 0
        assert not published(racer) & theirs, f"attempt {attempt}: an erased comment is published"
        for k in theirs:
            entry = racer.entries()[k]
            assert entry["status"] == "erased" and not entry["personal"] and not entry["fields"]
        # and afterwards, approving them again is refused
        again = racer("approve", *sorted(theirs))
        assert again.code == 1 and "erased on request" in again.err
        assert not published(racer) & theirs


LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, like a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
from intake.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_approve_that_fails_writing_the_inbox_leaves_nothing_public(cli: Cli) -> None:
    pull(cli, submission(1))
    comment_size = 400  # the comment file fits, the inbox entry (with personal data) does not
    child = subprocess.run([sys.executable, "-c", LIMITED, str(comment_size + 200), "approve", key(1),
                            "--root", str(cli.root)], cwd=REPO, capture_output=True, text=True, timeout=60,
                           env={"PATH": os.environ.get("PATH", ""), **cli.env})
    assert child.returncode == 1
    assert "Traceback" not in child.stderr and child.stderr.startswith("error: File too large")
    assert published(cli) == set()  # the comment file was taken off again
    assert cli.entries()[key(1)]["status"] == "pending"
    assert [p for p in cli.inbox.iterdir() if p.name.startswith(".tmp-")] == []
    assert cli("approve", key(1)).code == 0 and published(cli) == {key(1)}


@pytest.mark.parametrize("decision", ["reject", "spam", "forget"])
def test_an_orphaned_comment_file_is_removed_whatever_the_inbox_says(cli: Cli, decision: str) -> None:
    """A comment file published while its entry still says pending (approve killed between writes)."""
    pull(cli, submission(7))
    assert cli("approve", key(7)).code == 0
    entry_file = cli.inbox / f"{key(7)}.yaml"
    data = yaml.safe_load(entry_file.read_text(encoding="utf-8"))
    data.update(status="pending", comment_path=None)
    entry_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert published(cli) == {key(7)}
    result = cli(decision, PERSON if decision == "forget" else key(7))
    assert result.code == 0, result.err
    assert published(cli) == set()


def test_approve_after_the_comment_file_went_missing_publishes_again(cli: Cli) -> None:
    pull(cli, submission(1))
    assert cli("approve", key(1)).code == 0
    (cli.root / "content" / "kommentare" / "verkehr" / f"{key(1)}.yaml").unlink()
    again = cli("approve", key(1))
    assert again.code == 0 and "already approved" not in again.out
    assert published(cli) == {key(1)}


@pytest.mark.parametrize("front_matter, refusal", [("comments: closed", "comments: closed"),
                                                    ("draft: true", "is a draft")])
def test_no_comment_goes_into_a_closed_or_draft_topic(cli: Cli, front_matter: str, refusal: str) -> None:
    pull(cli, submission(1))
    topic = cli.root / "content" / "themen" / "verkehr.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("comments: open", front_matter), encoding="utf-8")
    result = cli("approve", key(1))
    assert result.code == 1 and refusal in result.err
    assert published(cli) == set() and cli.entries()[key(1)]["status"] == "pending"
    assert cli("reject", key(1)).code == 0


def test_reply_into_a_draft_topic_is_refused(cli: Cli) -> None:
    pull(cli, submission(1))
    assert cli("approve", key(1)).code == 0
    topic = cli.root / "content" / "themen" / "verkehr.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("comments: open", "draft: true"), encoding="utf-8")
    result = cli("reply", key(1), "--as", "stadt", "--text", "Danke!")
    assert result.code == 1 and "is a draft" in result.err
    assert published(cli) == {key(1)}


def test_an_inbox_made_with_wide_permissions_is_made_private(cli: Cli) -> None:
    cli.inbox.mkdir(mode=0o755)
    os.chmod(cli.inbox, 0o755)
    pull(cli, submission(1))
    assert stat.S_IMODE(cli.inbox.stat().st_mode) == 0o700
    assert stat.S_IMODE((cli.inbox / ".lock").stat().st_mode) == 0o600
    assert stat.S_IMODE((cli.inbox / f"{key(1)}.yaml").stat().st_mode) == 0o600


def test_a_decision_waits_for_a_short_lock_instead_of_failing(cli: Cli) -> None:
    pull(cli, submission(1))
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from intake.inbox import Inbox; from pathlib import Path\n"
        "with Inbox(Path(sys.argv[1])).lock():\n    print('held', flush=True); time.sleep(1.0)\n"),
        str(cli.inbox)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    result = cli("approve", key(1))
    holder.communicate(timeout=60)
    assert result.code == 0, result.err
    assert published(cli) == {key(1)}


def test_forget_points_to_the_git_history_procedure(cli: Cli) -> None:
    pull(cli, submission(7))
    assert cli("approve", key(7)).code == 0
    result = cli("forget", PERSON)
    assert "stays in git history" in result.out
    assert "Erasing a comment from git history" in (REPO / "docs" / "intake.md").read_text(encoding="utf-8")


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_an_alias_bomb_in_site_yaml_is_a_config_error_at_once(cli: Cli) -> None:
    """Nine lines of YAML aliases unfold to 9**9 values: refused with the line, never expanded."""
    path = cli.root / "content" / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8") + BOMB + "bomb: *i\n", encoding="utf-8")
    child = subprocess.run([sys.executable, "-c", LIMITED.replace("RLIMIT_FSIZE", "RLIMIT_AS"), str(1 << 30),
                            "stats", "--root", str(cli.root)], cwd=REPO, capture_output=True, text=True, timeout=60,
                           env={"PATH": os.environ.get("PATH", ""), **cli.env})
    assert child.returncode == 2, child.stderr
    assert re.search(r"site\.yaml:\d+: YAML alias '\*a' is not allowed", child.stderr)


def old_version_date(cli: Cli, k: str, date: str) -> None:
    """An entry as a version before the date checks wrote it."""
    path = cli.inbox / f"{k}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["date"] = date
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_purge_and_approve_survive_a_date_an_old_version_stored(cli: Cli) -> None:
    pull(cli, submission(1), submission(2))
    old_version_date(cli, key(1), "500-01-01T00:00:00Z")
    approve = cli("approve", key(1))
    assert approve.code == 1 and "its date '500-01-01T00:00:00Z' is unreadable" in approve.err
    assert published(cli) == set()
    cli.clock = lambda: (BASE_TIME + dt.timedelta(days=10)).timestamp()  # within retention for entry 2
    purge = cli("purge")
    assert purge.code == 0, purge.err
    assert cli.entries()[key(1)]["personal"] == {}  # unreadable: treated as past retention
    assert cli.entries()[key(2)]["personal"] != {}


def test_a_reply_with_an_undecodable_byte_is_refused_in_one_line(cli: Cli) -> None:
    pull(cli, submission(1))
    assert cli("approve", key(1)).code == 0
    before = published(cli)
    result = cli("reply", key(1), "--as", "stadt", "--text", "Danke \udcff!")  # how Python passes a stray byte
    assert result.code == 1 and "valid text" in result.err and "Traceback" not in result.err
    assert published(cli) == before
