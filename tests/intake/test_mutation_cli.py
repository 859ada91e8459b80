"""The command side word for word: what each command prints and returns, who the editor is, how a failure
becomes one line (written for the mutation run of intake/cli.py, commands.py and runtime.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from intake.cli import main, parser
from intake.runtime import Runtime
from intake_fakes import Faults, FakeNetlify, mock_transport, submission
from intake_support import Cli, intake_section, make_site

REBUILD = "next: rebuild the site (python build.py) and commit content/kommentare/"


def key(i: int) -> str:
    return f"netlify-{submission(i)['id']}"


def pull(cli: Cli, *subs: dict, faults: Faults = Faults()) -> None:
    cli.transport = mock_transport(FakeNetlify(list(subs), faults=faults))
    assert cli("pull").code == 0


def test_the_pull_summary_names_every_count_and_the_inbox(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1), submission(2, body="a https://a.x https://b.x"),
                                                submission(3, topic="gibtsnicht")]))
    result = cli("pull")
    assert (result.code, result.err) == (0, "")
    assert result.out == (f"pull from netlify: 3 read, 3 new (1 spam, 1 invalid), 0 deleted at the backend, "
                          f"0 retries; inbox: {cli.root / '.inbox'}\n")


def test_a_submission_that_changed_at_the_backend_is_a_warning(cli: Cli) -> None:
    pull(cli, submission(1))
    cli.transport = mock_transport(FakeNetlify([submission(1, body="Geänderter Text, gleiche ID.")]))
    result = cli("pull")
    assert result.code == 0
    assert result.err == (f"warning: {key(1)} arrived again with different content; stored apart, "
                          "marked invalid\n")


def test_a_failed_pull_says_what_it_kept_and_exits_1(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1)], faults=Faults(fail_rate=1.0, kinds=("500",))))
    result = cli("pull")
    assert result.code == 1
    assert result.out.startswith("pull from netlify: 0 read, 0 new (0 spam, 0 invalid), 0 deleted at the backend, "
                                 "8 retries; inbox: ")
    errors = result.err.splitlines()
    assert errors[0].startswith("error: ") and len(errors) == 2
    assert errors[1] == "kept the 0 new entries; run `python -m intake pull` again to continue"
    assert len(cli.sleeps) == 8  # each back-off on the runtime's sleep, not the real one


def test_the_pull_deadline_runs_on_the_runtimes_clock(cli: Cli) -> None:
    readings = iter(range(0, 10 ** 9, 1000))  # every reading 1000 s later: past the 900 s deadline at once
    cli.clock = lambda: float(next(readings))
    cli.transport = mock_transport(FakeNetlify([submission(1)]))
    result = cli("pull")
    assert result.code == 1 and "deadline" in result.err


def test_a_failed_notice_is_a_warning_and_the_pull_still_succeeds(site: Path, env: dict[str, str]) -> None:
    make_site(site, intake_section(notify={"webhook_env": "HOOK_URL"}))
    cli = Cli(site, env)  # HOOK_URL unset: the notice cannot go out
    cli.transport = mock_transport(FakeNetlify([submission(1)]))
    result = cli("pull")
    assert result.code == 0 and result.err.startswith("warning: ") and result.err.count("\n") == 1


@pytest.mark.parametrize(("by", "login", "name"), [
    (("--by", " Ben "), {"INTAKE_EDITOR": "Ed", "USER": "u", "LOGNAME": "l"}, "Ben"),
    ((), {"INTAKE_EDITOR": "Ed", "USER": "u", "LOGNAME": "l"}, "Ed"),
    ((), {"INTAKE_EDITOR": "", "USER": "u", "LOGNAME": "l"}, "u"),
    ((), {"LOGNAME": "l"}, "l"),
    ((), {"USER": "x" * 100}, "x" * 100),
])
def test_the_editor_is_by_then_intake_editor_then_the_login(cli: Cli, by: tuple, login: dict, name: str) -> None:
    pull(cli, submission(1))
    cli.env = {k: v for k, v in cli.env.items() if k != "INTAKE_EDITOR"} | login
    assert cli("reject", key(1), *by).code == 0
    assert cli.entries()[key(1)]["moderated_by"] == name


@pytest.mark.parametrize("login", [{}, {"USER": "  "}, {"USER": "Ed\x1b[2J"}, {"USER": "x" * 101}])
def test_no_usable_editor_name_is_a_configuration_error(cli: Cli, login: dict) -> None:
    pull(cli, submission(1))
    cli.env = {k: v for k, v in cli.env.items() if k != "INTAKE_EDITOR"} | login
    result = cli("approve", key(1))
    assert (result.code, result.out) == (2, "")
    assert result.err == "configuration error: --by: give the editor's name (or set INTAKE_EDITOR)\n"
    assert cli.entries()[key(1)]["status"] == "pending"


def test_list_counts_in_words_and_shows_erased_only_when_asked(cli: Cli) -> None:
    pull(cli, submission(1, email="weg@example.org"), submission(2))
    assert cli("forget", "weg@example.org").code == 0
    listed = cli("list")
    assert listed.out.splitlines()[-1] == "1 entry" and key(2) in listed.out and key(1) not in listed.out
    assert cli("list", "--status", "all").out.splitlines()[-1] == "2 entries"
    erased = cli("list", "--status", "erased").out.splitlines()
    assert erased[-1] == "1 entry" and erased[0].startswith(key(1))
    assert cli("list", "--status", "pending").out.splitlines()[-1] == "1 entry"


def test_show_prints_the_card(cli: Cli) -> None:
    pull(cli, submission(1))
    shown = cli("show", key(1))
    assert shown.code == 0 and shown.out.startswith(f"key:       {key(1)}\nstatus:    pending\n")
    assert shown.out.endswith("  Kommentar Nummer 1 zur Zukunft.\n")


def test_a_decision_tells_to_rebuild_only_when_one_was_made(cli: Cli) -> None:
    pull(cli, submission(1), submission(2))
    failed = cli("approve", "netlify-unbekannt")
    assert (failed.code, failed.out) == (1, "")
    assert failed.err == f"error: netlify-unbekannt: no such submission in {cli.root / '.inbox'}\n"
    mixed = cli("approve", key(1), "netlify-unbekannt")
    assert mixed.code == 1 and mixed.out.splitlines()[-1] == REBUILD
    assert cli("reject", "netlify-unbekannt", key(2)).code == 1  # a failure early in the batch still counts
    assert cli("undo", key(2)).code == 0
    assert mixed.out.splitlines()[0].startswith(f"{key(1)}: approved -> ") and mixed.err.count("\n") == 1
    assert cli("spam", key(2)).out.splitlines()[-1] == REBUILD
    rejected = cli("reject", key(1), "--reason", "doppelt")
    assert rejected.code == 0 and rejected.out.splitlines()[-1] == REBUILD
    assert cli.entries()[key(1)]["reason"] == "doppelt" and cli.entries()[key(2)]["status"] == "spam"


def test_approve_records_the_badge_and_force_passes_the_window(cli: Cli) -> None:
    pull(cli, submission(1))
    topic = cli.root / "content" / "themen" / "verkehr.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("comments: open", "comments: open\n"
                                                                                 "comments_until: 2020-01-01"),
                     encoding="utf-8")
    refused = cli("approve", key(1), "--official", "stadt")
    assert refused.code == 1 and "participation window ended on 2020-01-01" in refused.err
    assert cli("approve", key(1), "--official", "stadt", "--force").code == 0
    assert cli.entries()[key(1)]["official"] == "stadt"


def test_review_tells_to_rebuild_only_after_a_decision(cli: Cli) -> None:
    pull(cli, submission(1), submission(2))
    nothing = cli("review", stdin="nq")
    assert nothing.code == 0 and REBUILD not in nothing.out
    for press in ("a", "r", "s"):
        pull(cli, submission(1), submission(2), submission(3))
        decided = cli("review", stdin=press + "q")
        assert decided.code == 0 and decided.out.splitlines()[-1] == REBUILD, press
        assert cli("undo").code == 0


class Terminal(io.StringIO):
    """Standard input as a terminal: the reply command asks for the text."""

    def isatty(self) -> bool:
        return True


def test_reply_reads_the_text_from_stdin_and_prompts_only_a_terminal(cli: Cli) -> None:
    pull(cli, submission(1))
    assert cli("approve", key(1)).code == 0
    piped = cli("reply", key(1), "--as", "stadt", "--name", "Bürgeramt", "--by", "Ben", stdin="Danke!\n")
    assert (piped.code, piped.err) == (0, "")
    lines = piped.out.splitlines()
    assert lines[0].startswith("published reply -> content/kommentare/verkehr/reply-") and lines[1] == REBUILD
    out, err = io.StringIO(), io.StringIO()
    rt = Runtime(env=cli.env, stdin=Terminal("Noch eine Antwort.\n"), stdout=out, stderr=err)
    assert main(["reply", key(1), "--as", "themenpate", "--root", str(cli.root)], rt) == 0
    assert err.getvalue() == "type the reply, end with Ctrl-D:\n"
    bodies = sorted(p.read_text(encoding="utf-8") for p in (cli.root / "content" / "kommentare" / "verkehr").glob("reply-*"))
    assert any("name: Bürgeramt" in b and "Danke!" in b and "moderated_by: Ben\n" in b for b in bodies)
    assert any("Noch eine Antwort." in b and "moderated_by: Redaktion Test\n" in b for b in bodies)
    assert any("Noch eine Antwort." in b and "name: Erika Pate" in b for b in bodies)


def test_undo_names_what_it_did_and_tells_to_rebuild(cli: Cli) -> None:
    pull(cli, submission(1))
    assert cli("approve", key(1)).code == 0
    undone = cli("undo")
    assert undone.code == 0 and undone.out.splitlines()[-1] == REBUILD and key(1) in undone.out.splitlines()[0]
    assert cli.entries()[key(1)]["status"] == "pending"
    assert cli("undo", key(1)).code == 1


def test_forget_lists_each_removal_and_warns_of_git_history_only_for_published_comments(cli: Cli) -> None:
    pull(cli, submission(1, email="a@example.org"), submission(2, email="b@example.org"))
    nothing = cli("forget", "niemand@example.org")
    assert (nothing.code, nothing.out) == (0, "nothing found for that address (inbox and content/ checked)\n")
    cli.clock = lambda: dt.datetime(2026, 12, 24, 18, 0, tzinfo=dt.timezone.utc).timestamp()
    inbox_only = cli("forget", "a@example.org").out.splitlines()
    assert inbox_only[0].startswith(f"removed inbox entry {key(1)}")
    assert inbox_only[1] == (f"1 removal(s). {REBUILD}; also delete the submission at the form backend if it is "
                             "kept there")
    assert len(inbox_only) == 2
    assert cli.entries()[key(1)]["purged_at"] == "2026-12-24T18:00:00Z"  # the tombstone's time is the command's
    assert cli("approve", key(2)).code == 0
    published = cli("forget", "b@example.org").out.splitlines()
    assert published[-2].startswith("2 removal(s). ")
    assert published[-1] == ("a comment that was committed stays in git history (and in clones and backups): "
                             "see docs/intake.md, 'Erasing a comment from git history'")


def test_purge_counts_in_words(cli: Cli) -> None:
    pull(cli, submission(1), submission(2))
    cli.clock = lambda: dt.datetime(2028, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    purged = cli("purge").out.splitlines()
    assert [line.split(" (")[0] for line in purged[:2]] == [f"purged {key(1)}", f"purged {key(2)}"]
    assert purged[2] == "2 entries purged (personal data older than 180 days)"


def test_stats_lines_in_full(cli: Cli) -> None:
    pull(cli, submission(1), submission(2, topic="digital"), submission(3, topic="gibtsnicht"),
         submission(4, body="a https://a.x https://b.x", email="weg@example.org"))
    assert cli("approve", key(1)).code == 0
    assert cli("forget", "weg@example.org").code == 0
    assert cli("stats").out.splitlines() == [
        "entries: 4; holding personal data: 3",
        "status: approved 1, erased 1, pending 2",
        "source: netlify 4",
        "topic: digital 1, verkehr 1",  # unknown and erased topics left out
        "spam rule: -",  # the erased one took its reasons along
        "invalid field: topic 1",
        "published: verkehr 1"]


def test_stats_count_each_rule_and_field_by_its_name(site: Path, env: dict[str, str]) -> None:
    make_site(site, intake_section(spam={"disallowed_words": ["https:"]}))  # a banned word may hold a colon
    cli = Cli(site, env)
    late = submission(3, body="Siehe https://a.example")
    late["created_at"] = "2099-01-01T00:00:00.000Z"  # a date with colons in its problem
    pull(cli, submission(1, body="https://x.example"), submission(2), late)
    lines = cli("stats").out.splitlines()
    assert "topic: verkehr 3" in lines
    assert "spam rule: disallowed-word 3" in lines and "invalid field: date 1" in lines  # the referrer has https:


def test_stats_of_an_empty_inbox(cli: Cli) -> None:
    assert cli("stats").out.splitlines() == ["entries: 0; holding personal data: 0", "status: -", "source: -",
                                             "topic: -", "spam rule: -", "invalid field: -", "published: -"]


def test_a_failing_disk_is_one_line_with_the_path_not_a_traceback(site: Path, env: dict[str, str]) -> None:
    (site / "blocker").write_text("a file where the inbox's parent folder belongs", encoding="utf-8")
    make_site(site, intake_section(inbox="blocker/inbox"))
    result = Cli(site, env)("approve", "netlify-x")
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"error: Not a directory ({site / 'blocker' / 'inbox'}); every file written before this "
                          "is complete (writes are atomic): fix the cause and run the command again\n")


class Interrupted(io.StringIO):
    """Standard input where the editor presses Ctrl-C."""

    def read(self, size: int | None = -1) -> str:
        raise KeyboardInterrupt


def test_ctrl_c_is_one_line_and_exit_1(cli: Cli) -> None:
    pull(cli, submission(1))
    assert cli("approve", key(1)).code == 0
    out, err = io.StringIO(), io.StringIO()
    rt = Runtime(env=cli.env, stdin=Interrupted(), stdout=out, stderr=err)
    assert main(["reply", key(1), "--as", "stadt", "--root", str(cli.root)], rt) == 1
    assert err.getvalue() == "interrupted; everything written so far is complete (writes are atomic)\n"


class HungUp(io.StringIO):
    """Standard input of a terminal that went away (an SSH session dropped): EIO, an error without a file name."""

    def read(self, size: int | None = -1) -> str:
        raise OSError(errno.EIO, "Input/output error")


def test_an_error_without_a_file_name_is_one_line_without_empty_brackets(cli: Cli) -> None:
    pull(cli, submission(1))
    assert cli("approve", key(1)).code == 0
    out, err = io.StringIO(), io.StringIO()
    rt = Runtime(env=cli.env, stdin=HungUp(), stdout=out, stderr=err)
    assert main(["reply", key(1), "--as", "stadt", "--root", str(cli.root)], rt) == 1
    assert err.getvalue() == ("error: Input/output error; every file written before this is complete (writes are "
                              "atomic): fix the cause and run the command again\n")


def test_without_a_runtime_the_process_environment_and_its_current_streams_are_used(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The streams of the moment, not those of import time: a caller's redirect_stdout is honoured."""
    pull(cli, submission(1))
    monkeypatch.setenv("INTAKE_EDITOR", "Aus der Umgebung")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["reject", key(1), "--root", str(cli.root)]) == 0
        assert main(["show", "netlify-unbekannt", "--root", str(cli.root)]) == 1
    assert cli.entries()[key(1)]["moderated_by"] == "Aus der Umgebung"
    assert out.getvalue().splitlines()[-1] == REBUILD
    assert err.getvalue().startswith("error: netlify-unbekannt: no such submission")


def test_without_root_the_current_folder_is_the_site(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    pull(cli, submission(1))
    monkeypatch.chdir(cli.root)
    out, err = io.StringIO(), io.StringIO()
    assert main(["list"], Runtime(env=cli.env, stdout=out, stderr=err)) == 0
    assert out.getvalue().endswith("1 entry\n")


def test_usage_errors_and_help_exit_as_argparse_says(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert main(["list", "--status", "weg"]) == 2
    assert main(["receive", "--port", "achtzig", "--root", "/nonexistent"]) == 2


def test_the_receiver_and_the_web_review_listen_locally_by_default() -> None:
    receive = parser().parse_args(["receive"])
    assert (receive.host, receive.port) == ("127.0.0.1", 8080)
    assert parser().parse_args(["receive", "--port", "8081"]).port == 8081  # a number, not the text
    assert parser().parse_args(["review", "--port", "0"]).port == 0
    review = parser().parse_args(["review", "--web"])
    assert (review.web, review.port, review.by) == (True, 8765, None)
    assert parser().parse_args(["review"]).web is False
    assert not hasattr(parser().parse_args(["stats"]), "root")  # so --root may stand before or after the command
    assert parser().parse_args(["--root", "/x", "stats"]).root == Path("/x")
    assert parser().parse_args(["stats", "--root", "/y"]).root == Path("/y")
    undo = parser().parse_args(["undo"])
    assert undo.id is None
    approve = parser().parse_args(["approve", "a", "b", "--official", "themenpate", "--force", "--by", "E"])
    assert (approve.ids, approve.official, approve.force, approve.by) == (["a", "b"], "themenpate", True, "E")
    reply = parser().parse_args(["reply", "c", "--as", "stadt"])
    assert (reply.role, reply.text, reply.name, reply.force) == ("stadt", None, None, False)


def test_the_runtime_stamps_its_clock_in_utc() -> None:
    out, err = io.StringIO(), io.StringIO()
    rt = Runtime(stdout=out, stderr=err, clock=lambda: dt.datetime(2026, 11, 29, 8, 0, 5,
                                                                  tzinfo=dt.timezone.utc).timestamp())
    assert rt.now() == dt.datetime(2026, 11, 29, 8, 0, 5, tzinfo=dt.timezone.utc)
    assert rt.stamp() == "2026-11-29T08:00:05Z"
    rt.say("a")
    rt.warn("b")
    assert (out.getvalue(), err.getvalue()) == ("a\n", "b\n")


HELP = Path(__file__).parent / "golden_help.txt"
COMMANDS = ("pull", "list", "show", "approve", "reject", "spam", "review", "undo", "reply", "forget", "purge",
            "stats", "receive")


def test_the_help_of_every_command_is_as_recorded(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                                  request: pytest.FixtureRequest) -> None:
    """The command line's own documentation; a changed wording is a conscious act (pytest --update-golden)."""
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps to the terminal's width
    pages = []
    for argv in ([], *([command] for command in COMMANDS)):
        assert main([*argv, "--help"]) == 0
        pages.append(capsys.readouterr().out)
    got = "\f\n".join(pages)
    if request.config.getoption("--update-golden"):
        HELP.write_text(got, encoding="utf-8")
    assert got == HELP.read_text(encoding="utf-8")


class WebTerminal(io.StringIO):
    """The terminal of `review --web`: once the address is shown, a browser opens it and the editor presses
    Ctrl-C (a real SIGINT, sent only while the command waits for it)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[int] = []
        self.visitor: threading.Thread | None = None

    def flush(self) -> None:
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", self.getvalue())
        if found and self.visitor is None:
            self.visitor = threading.Thread(target=self.visit, args=(found.group(0), threading.main_thread()))
            self.visitor.start()

    def visit(self, url: str, waiting: threading.Thread) -> None:
        try:
            with httpx.Client(timeout=10) as client:
                base = url.split("/?")[0]
                self.answers.append(client.get(url).status_code)
                page = client.get(base + "/")
                self.answers.append(page.status_code)
                seen = dict(re.findall(r'name="(csrf|key|digest)" value="([^"]*)"', page.text))
                decided = client.post(base + "/entscheiden", data={**seen, "action": "rejected"},
                                      headers={"Origin": base})
                self.answers.append(decided.status_code)
        finally:  # Ctrl-C also when the visit failed, or the command would wait forever
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                frame = sys._current_frames().get(waiting.ident)
                if frame is not None and frame.f_code.co_name == "wait":  # blocked until Ctrl-C
                    os.kill(os.getpid(), signal.SIGINT)
                    break
                time.sleep(0.01)


def test_review_web_serves_on_127_0_0_1_until_ctrl_c(cli: Cli) -> None:
    pull(cli, submission(1))
    out, err = WebTerminal(), io.StringIO()
    rt = Runtime(env=cli.env, stdin=io.StringIO(), stdout=out, stderr=err)
    # Ctrl-C as in a terminal, also where the tests run in the background (there SIGINT starts out ignored)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert main(["review", "--web", "--port", "0", "--root", str(cli.root)], rt) == 0
    finally:
        signal.signal(signal.SIGINT, before)
    assert out.visitor is not None
    out.visitor.join(30)
    assert out.answers == [303, 200, 303]  # the token opens a session, the page is served, a decision taken
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Moderation im Browser (nur auf diesem Rechner): http://127.0.0.1:")
    assert lines[1:] == ["Den Link nicht weitergeben: er ist der Zugang. Beenden mit Strg+C."]
    assert err.getvalue() == "" and cli.entries()[key(1)]["status"] == "rejected"
    assert cli.entries()[key(1)]["moderated_by"] == "Redaktion Test"  # the editor the command was started as
