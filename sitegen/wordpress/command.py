"""`python build.py import-wordpress`: plan, write (or only show), sort the comments, report."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Mapping, TextIO

from intake import privacy, validate
from intake.config import IntakeConfig, load
from intake.entry import Entry
from intake.errors import ConfigError, RunError
from intake.inbox import Inbox
from intake.publish import LOCK_WAIT
from sitegen.core.contract import comment_yaml

from .comments import Sorted, sort_comments
from .plan import Options, Plan, make_plan
from .report import REPORT_NAME
from .writing import put
from .wxr import Comment, ExportError, read_export


def run(root: Path, export: Path, options: Options, env: Mapping[str, str], out: TextIO) -> int:
    """Import export into root; 0 when done, 1 with one line on stderr-worthy failure (returned text)."""
    try:
        plan = make_plan(read_export(export), options)
        config = load(root)
        inbox = Inbox(config.inbox)
        with contextlib.nullcontext() if options.dry_run else inbox.lock(wait=LOCK_WAIT):
            clashed = write_files(root, plan, options.dry_run)
            for slug, rel, item in plan.topics:
                if rel in clashed:
                    plan.report.comments.append(f"{slug}: {len(item.comments)} comments not imported "
                                                "(the topic's file clashed)")
                    continue
                place_comments(Placing(root, config, inbox, plan, env, options.dry_run),
                               sort_comments(slug, item.comments))
    except (ExportError, ConfigError, RunError) as exc:
        message = str(exc)
        raise ImportFailed(message if message.startswith("error") else f"error: {message}") from None
    text = plan.report.markdown()
    if not options.dry_run:
        (root / REPORT_NAME).write_text(text, encoding="utf-8")
    out.write(text)
    out.write(("\n" if options.dry_run else f"\nReport written to {root / REPORT_NAME}\n"))
    return 0


class ImportFailed(Exception):
    """An import that could not start or finish; str() is the one line for the user."""


def write_files(root: Path, plan: Plan, dry_run: bool) -> set[str]:
    """Write the pages and copy the uploads; the pages that clashed with files already there."""
    clashed = set()
    for rel, text in plan.texts.items():
        result = put(root / rel, text.encode("utf-8"), dry_run)
        plan.report.file(rel, result)
        if result == "clash":
            clashed.add(rel)
    for rel, source in plan.copies.items():
        plan.report.file(rel, put(root / rel, source.read_bytes(), dry_run))
    return clashed


class Placing:
    """Where one topic's comments go: the root, the intake's config and inbox, the report."""

    def __init__(self, root: Path, config: IntakeConfig, inbox: Inbox, plan: Plan, env: Mapping[str, str],
                 dry_run: bool) -> None:
        self.root, self.config, self.inbox, self.report = root, config, inbox, plan.report
        self.env, self.dry_run = env, dry_run
        self.topics = {slug for slug, _, _ in plan.topics} | existing_topics(root)
        self._key: bytes | None = None

    def hash_key(self) -> bytes:
        """The intake's e-mail hash key, read only when an entry is stored."""
        if self._key is None:
            self._key = privacy.load_key(self.config, self.env)
        return self._key

    def entry(self, comment: Comment, fields: Mapping[str, object], status: str) -> Entry:
        """The inbox entry of a comment, with its personal data (kept under the retention rules)."""
        personal = {k: v for k, v in (("email", comment.email), ("website", comment.url), ("ip", comment.ip),
                                      ("user_agent", comment.agent)) if v}
        public = {k: str(fields[k]) for k in ("topic", "parent", "name", "body") if fields.get(k)}
        problems = validate.check(public, personal, self.config.limits, self.topics) if status == "pending" else []
        # sent through the old site's form to be published there: its terms applied, not the new checkbox
        problems = [p for p in problems if not p.startswith("consent:")]
        return Entry(key=str(fields["id"]), source="wordpress", source_id=comment.id, date=str(fields["date"]),
                     status=status, fields=public, personal=personal, invalid=tuple(problems),
                     email_hash=privacy.email_hash(comment.email, self.hash_key()) if comment.email else None,
                     moderated_by="WordPress" if status == "approved" else None,
                     comment_path=f"content/kommentare/{public['topic']}/{fields['id']}.yaml"
                     if status == "approved" else None)


def existing_topics(root: Path) -> set[str]:
    """The topic slugs already in content/themen/."""
    return {p.stem for p in (root / "content" / "themen").glob("*.md")}


def place_comments(where: Placing, sorted_: Sorted) -> None:
    """Publish the approved comments, hold the pending ones in the inbox; an inbox decision wins."""
    report = where.report
    before = report.counts.copy()
    for comment, fields in sorted_.approved:
        key = str(fields["id"])
        if where.inbox.has(key) and where.inbox.get(key).status != "approved":
            report.counts["kept"] += 1  # rejected, spam or erased since: never published again
            continue
        rel = f"content/kommentare/{fields['topic']}/{key}.yaml"
        report.file(rel, put(where.root / rel, comment_yaml(fields).encode("utf-8"), where.dry_run))
        report.counts["published"] += 1
        if not where.dry_run:
            where.inbox.add(where.entry(comment, fields, "approved"))
    for comment, fields in sorted_.pending:
        if where.inbox.has(str(fields["id"])):
            report.counts["kept"] += 1
        elif not where.dry_run:
            where.inbox.add(where.entry(comment, fields, "pending"))
            report.counts["inbox"] += 1
        else:
            report.counts["inbox"] += 1
    for what, number in sorted_.counts.items():
        if what not in ("approved", "pending"):
            report.counts[what] += number
    report.comments += sorted_.notes
    done = report.counts - before
    report.comments.append(f"{sorted_.topic}: " + ", ".join(f"{n} {what}" for what, n in sorted(done.items()))
                           if done else f"{sorted_.topic}: no comments")
