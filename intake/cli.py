"""Command line: argument parsing, one handler per sub-command, and exit codes (0 ok, 1 failed, 2 usage)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Sequence

from intake import commands
from intake.entry import STATUSES
from intake.errors import ConfigError, RunError
from intake.runtime import Runtime
from sitegen.core.contract import OFFICIAL


def parser() -> argparse.ArgumentParser:
    """The `python -m intake` parser with every sub-command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                        help="site root holding content/site.yaml (default: current directory)")
    top = argparse.ArgumentParser(prog="python -m intake", parents=[common],
                                  description="Pull comment submissions into the private inbox, review and "
                                              "publish them. Exit codes: 0 ok, 1 failed run, 2 usage or config.")
    subs = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def sub(name: str, text: str) -> argparse.ArgumentParser:
        return subs.add_parser(name, parents=[common], help=text, description=text)

    sub("pull", "fetch new submissions from the form backend into the inbox (exactly once)")
    listing = sub("list", "list inbox entries, oldest first")
    listing.add_argument("--status", choices=STATUSES + ("all",),
                         help="only entries with this status (default: all but erased)")
    sub("show", "show one entry in full, with its spam and validation reasons").add_argument("id")
    by = argparse.ArgumentParser(add_help=False)
    by.add_argument("--by", help="editor name recorded as moderated_by (default: $INTAKE_EDITOR or $USER)")
    force = argparse.ArgumentParser(add_help=False)
    force.add_argument("--force", action="store_true", help="publish although the topic's comments_until has passed")
    approve = subs.add_parser("approve", parents=[common, by, force], help="publish entries to content/kommentare/",
                              description="publish entries to content/kommentare/ (rebuild and commit after)")
    approve.add_argument("ids", nargs="+", metavar="ID")
    approve.add_argument("--official", choices=OFFICIAL, help="show an official badge")
    reject = subs.add_parser("reject", parents=[common, by], help="reject entries (kept out of content/)",
                             description="reject entries; a published one is taken off again")
    reject.add_argument("ids", nargs="+", metavar="ID")
    reject.add_argument("--reason", help="why, for the record in the inbox")
    subs.add_parser("spam", parents=[common, by], help="mark entries as spam",
                    description="mark entries as spam; a published one is taken off again"
                    ).add_argument("ids", nargs="+", metavar="ID")
    review_and_undo(subs, common, by)
    reply = subs.add_parser("reply", parents=[common, by, force], help="publish an official reply to a comment",
                            description="publish an official reply (text from --text or stdin)")
    reply.add_argument("id", help="id of the published comment to answer")
    reply.add_argument("--as", dest="role", required=True, choices=OFFICIAL)
    reply.add_argument("--text", help="the reply; read from stdin when missing")
    reply.add_argument("--name", help="display name (default: intake.official_names or the topic's Themenpate)")
    sub("forget", "erase every submission and published comment of an e-mail address").add_argument("email")
    sub("purge", "remove personal data older than intake.retention_days")
    sub("stats", "counts by status, source, topic and rule, without personal data")
    receive = sub("receive", "run the comment receiver the city hosts (form endpoint and pull API)")
    receive.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: "
                                                             "put the city's reverse proxy with TLS in front)")
    receive.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    return top


def review_and_undo(subs: argparse._SubParsersAction, common: argparse.ArgumentParser,
                    by: argparse.ArgumentParser) -> None:
    """The `review` (terminal or --web) and `undo` sub-commands."""
    review = subs.add_parser("review", parents=[common, by], help="decide pending entries one by one with single keys",
                             description="interactive review: a approve, r reject, s spam, n next, q quit; "
                                         "--web: the same in the browser, on 127.0.0.1 only")
    review.add_argument("--web", action="store_true", help="serve the review page on 127.0.0.1 (prints its address)")
    review.add_argument("--port", type=int, default=8765, help="--web: port on 127.0.0.1 (default 8765, 0: any)")
    undo = subs.add_parser("undo", parents=[common], help="undo a decision (the last one when no ID is given)",
                           description="put an approved, rejected or spam entry back to pending (its comment file "
                                       "is taken off), or take an official reply (reply-…) off again; never an "
                                       "erased entry")
    undo.add_argument("id", nargs="?", help="entry or reply id (default: the entry decided last)")


HANDLERS = {"pull": commands.pull, "list": commands.listing, "show": commands.show, "approve": commands.approve,
            "reject": commands.reject, "spam": commands.spam, "review": commands.review,
            "reply": commands.reply, "undo": commands.undo, "forget": commands.forget, "purge": commands.purge,
            "stats": commands.stats, "receive": commands.receive}


def main(argv: Sequence[str] | None = None, runtime: Runtime | None = None) -> int:
    """Run one command; returns the exit code."""
    import os

    rt = runtime or Runtime(env=os.environ)
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 after --help
        return int(exc.code or 0)
    root = getattr(args, "root", None) or Path(".")
    try:
        return HANDLERS[args.command](args, root.resolve(), rt)
    except ConfigError as exc:
        rt.warn(f"configuration error: {exc}")
        return 2
    except RunError as exc:
        rt.warn(f"error: {exc}")
        return 1
    except OSError as exc:  # a full disk, a folder that is not writable: one line, not a traceback
        where = f" ({exc.filename})" if exc.filename else ""
        rt.warn(f"error: {exc.strerror or exc}{where}; every file written before this is complete "
                "(writes are atomic): fix the cause and run the command again")
        return 1
    except KeyboardInterrupt:
        rt.warn("interrupted; everything written so far is complete (writes are atomic)")
        return 1
