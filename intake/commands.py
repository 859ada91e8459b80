"""The sub-commands: each takes parsed args, the root and the runtime, and returns an exit code."""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

import httpx

from intake import config as configuration
from intake import display, notify, privacy, publish, topics
from intake import pull as pulling
from intake import review as reviewing
from intake import sources
from intake import undo as undoing
from intake.errors import ConfigError, RunError
from intake.http import Fetcher
from intake.inbox import Inbox
from intake.runtime import Runtime
from intake.validate import controls

REBUILD = "next: rebuild the site (python build.py) and commit content/kommentare/"


def setup(root: Path) -> tuple[configuration.IntakeConfig, Inbox]:
    """Load the config and open the inbox it names."""
    config = configuration.load(root)
    return config, Inbox(config.inbox)


def editor(args: argparse.Namespace, rt: Runtime) -> str:
    """Who is moderating: --by, else $INTAKE_EDITOR, else the login name."""
    name = (getattr(args, "by", None) or rt.env.get("INTAKE_EDITOR") or rt.env.get("USER")
            or rt.env.get("LOGNAME") or "").strip()
    if not name or controls(name) or len(name) > 100:
        raise ConfigError("--by: give the editor's name (or set INTAKE_EDITOR)")
    return name


def pull(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Fetch new submissions; a persistent backend error ends with exit 1, keeping what was stored."""
    config, inbox = setup(root)
    key = privacy.load_key(config, rt.env)
    notice = notify.parse(config.notify_settings)  # a mistake there is a config error before anything is pulled
    with httpx.Client(transport=rt.transport) as client:
        fetcher = Fetcher(client, config.http, sleep=rt.sleep, clock=rt.clock, rng=random.Random())
        source = sources.make(config, fetcher, rt.env, rt.now())
        result = pulling.pull(config, inbox, source, key, rt.now())
    rt.say(f"pull from {config.source}: {result.seen} read, {result.added} new "
           f"({result.spam} spam, {result.invalid} invalid), {result.deleted} deleted at the backend, "
           f"{fetcher.retried} retries; inbox: {config.inbox}")
    for conflict in result.conflicts:
        rt.warn(f"warning: {conflict} arrived again with different content; stored apart, marked invalid")
    for problem in notify.send(notice, dict(result.waiting), rt.env):
        rt.warn(f"warning: {problem}")
    if result.error:
        rt.warn(f"error: {result.error}")
        rt.warn(f"kept the {result.added} new entries; run `python -m intake pull` again to continue")
        return 1
    return 0


def listing(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """One line per entry."""
    _, inbox = setup(root)
    shown = [e for e in inbox.entries()
             if (args.status == "all") or (e.status == args.status if args.status else e.status != "erased")]
    for entry in shown:
        rt.say(display.line(entry))
    rt.say(f"{len(shown)} entr{'y' if len(shown) == 1 else 'ies'}")
    return 0


def show(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """The full entry."""
    _, inbox = setup(root)
    rt.say(display.card(inbox.get(args.id)))
    return 0


def decide(args: argparse.Namespace, root: Path, rt: Runtime, status: str) -> int:
    """Apply one decision to several ids; report each, fail (1) if any failed."""
    config, inbox = setup(root)
    by = editor(args, rt)
    with inbox.lock(wait=publish.LOCK_WAIT):  # once for the batch: a forget waits for all, not between two
        failed = 0
        for key in args.ids:
            decision = publish.Decision(by=by, now=rt.stamp(), official=getattr(args, "official", None),
                                        reason=getattr(args, "reason", None), force=getattr(args, "force", False))
            failed += not decide_one(config, inbox, key, status, decision, rt)
    if failed < len(args.ids):
        rt.say(REBUILD)
    return 1 if failed else 0


def decide_one(config: configuration.IntakeConfig, inbox: Inbox, key: str, status: str,
               decision: publish.Decision, rt: Runtime) -> bool:
    """One decision of a batch; False (reported) when it failed."""
    try:
        if status == "approved":
            message = publish.approve(config, inbox, key, decision)
        else:
            message = publish.decline(config, inbox, key, status, decision)
    except RunError as exc:
        rt.warn(f"error: {exc}")
        return False
    rt.say(message)
    return True


def approve(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Publish."""
    return decide(args, root, rt, "approved")


def reject(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Reject."""
    return decide(args, root, rt, "rejected")


def spam(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Mark as spam."""
    return decide(args, root, rt, "spam")


def review(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Interactive review on the runtime's stdin/stdout, or (--web) in the browser."""
    config, inbox = setup(root)
    by = editor(args, rt)
    if getattr(args, "web", False):
        from intake.web.server import run

        return run(config, by, args.port, rt)
    with reviewing.single_keys(rt.stdin) as read:
        tally = reviewing.review(config, inbox, by=by, read=read, out=rt.stdout, now=rt.stamp)
    if tally["approved"] or tally["rejected"] or tally["spam"]:
        rt.say(REBUILD)
    return 0


def reply(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Write an official reply straight to content/."""
    config, inbox = setup(root)
    by = editor(args, rt)
    text = args.text
    if text is None:
        if rt.stdin.isatty():
            rt.warn("type the reply, end with Ctrl-D:")
        text = rt.stdin.read()
    path = publish.reply(config, inbox, args.id, text,
                         publish.Decision(by=by, now=rt.stamp(), official=args.role, name=args.name, force=args.force))
    rt.say(f"published reply -> {path.relative_to(config.root)}")
    rt.say(REBUILD)
    return 0


def undo(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Undo one decision (the last when no id is given), or take an official reply off."""
    config, inbox = setup(root)
    rt.say(undoing.undo_any(config, inbox, args.id, publish.Decision(by="", now=rt.stamp())))
    rt.say(REBUILD)
    return 0


def forget(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Erase a person's submissions and comments, listing each removal."""
    config, inbox = setup(root)
    key = privacy.load_key(config, rt.env)
    removed = privacy.forget(config, inbox, args.email, key, rt.stamp())
    if not removed:
        rt.say("nothing found for that address (inbox and content/ checked)")
        return 0
    for item in removed:
        rt.say(f"removed {item}")
    rt.say(f"{len(removed)} removal(s). {REBUILD}; also delete the submission at the form backend if it "
           "is kept there")
    if any(item.startswith("published comment") for item in removed):
        rt.say("a comment that was committed stays in git history (and in clones and backups): "
               "see docs/intake.md, 'Erasing a comment from git history'")
    return 0


def purge(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Drop personal data past retention."""
    config, inbox = setup(root)
    purged = privacy.purge(config, inbox, rt.now())
    for item in purged:
        rt.say(f"purged {item}")
    rt.say(f"{len(purged)} entr{'y' if len(purged) == 1 else 'ies'} purged "
           f"(personal data older than {config.retention_days} days)")
    return 0


def stats(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Counts only: statuses, sources, topics, rules; never a name, address or text."""
    config, inbox = setup(root)
    entries = list(inbox.entries())
    groups: dict[str, Counter[str]] = {"status": Counter(), "source": Counter(), "topic": Counter(),
                                       "spam rule": Counter(), "invalid field": Counter()}
    for entry in entries:
        groups["status"][entry.status] += 1
        groups["source"][entry.source] += 1
        if entry.status != "erased" and entry.topic and entry.topic in topics.known(config.root):
            groups["topic"][entry.topic] += 1
        groups["spam rule"].update({r.split(":", 1)[0] for r in entry.spam_reasons})
        groups["invalid field"].update({r.split(":", 1)[0] for r in entry.invalid})
    published = Counter(p.parent.name for p in (config.content / "kommentare").glob("*/*.yaml"))
    groups["published"] = published
    rt.say(f"entries: {len(entries)}; holding personal data: {sum(bool(e.personal) for e in entries)}")
    for title, counts in groups.items():
        rt.say(f"{title}: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"))
    return 0


def receive(args: argparse.Namespace, root: Path, rt: Runtime) -> int:
    """Serve the receiver until interrupted (Ctrl-C or the service manager's stop)."""
    from intake.receiver.serve import run

    config = configuration.load(root)
    run(config, rt.env, args.host, args.port)
    return 0
