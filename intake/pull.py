"""One pull: fetch every page, store each new submission once, then (optionally) delete at the backend."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterator

from intake import files, privacy, spam, topics, validate
from intake.config import IntakeConfig
from intake.entry import Entry
from intake.http import FetchError
from intake.inbox import Inbox
from intake.sources.base import Source, Submission


@dataclass(frozen=True)
class PullResult:
    """What a pull did; `error` is set when the backend failed and the run stopped early."""

    seen: int
    added: int
    spam: int
    invalid: int
    deleted: int
    error: str | None = None
    waiting: tuple[tuple[str, int], ...] = ()  # new entries waiting for review, per topic (for the notice)
    conflicts: tuple[str, ...] = ()  # keys that arrived again with other content (stored under a derived key)


def to_entry(sub: Submission, config: IntakeConfig, known: set[str], duplicates: dict[str, str], key: bytes,
             received: str) -> Entry:
    """Normalise, validate and spam-check one submission into a new inbox entry."""
    fields, personal, notes = validate.normalise(sub.data)
    problems = list(sub.problems) + notes + validate.check(fields, personal, config.limits, known)
    fingerprint = spam.fingerprint(fields)
    reasons = spam.reasons(fields, personal, sub.date, config.spam, duplicates.get(fingerprint))
    if sub.flagged_spam:
        reasons.insert(0, f"backend: flagged as spam by {sub.source}")
    return Entry(key=sub.key, source=sub.source, source_id=sub.source_id, date=sub.date, received_at=received,
                 status="spam" if reasons else "pending", fields=fields, personal=personal,
                 email_hash=privacy.email_hash(personal.get("email", ""), key), fingerprint=fingerprint,
                 spam_reasons=tuple(reasons), invalid=tuple(problems))


def differs(sub: Submission, stored: Entry) -> bool:
    """Whether a known key came back with other content; erased or purged text cannot be compared, so never."""
    if stored.status == "erased" or not stored.fields:
        return False  # an erasure is final: its key is never "new content"
    fields, personal, _ = validate.normalise(sub.data)
    if fields != dict(stored.fields):
        return True
    return stored.purged_at is None and personal != dict(stored.personal)


def variant(sub: Submission) -> Submission:
    """The same submission under `<key>-v<hash8>` of its content, flagged: one id, two contents."""
    basis = json.dumps(dict(sub.data), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    problem = f"duplicate id: {sub.key} arrived again with different content (check both before publishing)"
    return Submission(key=f"{sub.key[:54]}-v{digest}", source=sub.source, source_id=sub.source_id, date=sub.date,
                      data=sub.data, flagged_spam=sub.flagged_spam, problems=(*sub.problems, problem))


def placed(sub: Submission, stored: Callable[[str], Entry | None]) -> tuple[Submission, bool]:
    """Where sub belongs (itself or its flagged variant) and whether that is already stored."""
    known = stored(sub.key)
    if known is None:
        return sub, False
    if not differs(sub, known):
        return sub, True
    other = variant(sub)
    return other, stored(other.key) is not None


DELETE_BATCH = 500  # submissions per delete request, where the backend takes batches


def pull(config: IntakeConfig, inbox: Inbox, source: Source, key: bytes, now: dt.datetime,
         progress: Callable[[str], None] = lambda line: None) -> PullResult:
    """Exactly once: a page's entries are on disk (one flush for the page) before the next page is read,
    and nothing is deleted at the backend before every page is."""
    received = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    seen = added = flagged = invalid = deleted = 0
    error = None
    conflicts: list[str] = []
    waiting: Counter[str] = Counter()
    with inbox.lock():
        files.clean_temps(inbox.path)
        known = topics.known(config.root)
        duplicates = {e.fingerprint: e.key for e in inbox.entries() if e.fingerprint}
        safe: dict[str, Submission] = {}
        try:
            for page in source.pages():
                fresh: dict[str, Entry] = {}  # this page's new entries, written together at its end

                def stored(k: str) -> Entry | None:
                    return fresh.get(k) or (inbox.get(k) if inbox.has(k) else None)

                for delivered in page:
                    sub, already = placed(delivered, stored)
                    if sub.key in safe:
                        continue  # the same submission on two pages (new ones shifted the offsets)
                    seen += 1
                    if not already:
                        entry = to_entry(sub, config, known, duplicates, key, received)
                        fresh[entry.key] = entry
                        duplicates.setdefault(entry.fingerprint or "", entry.key)
                        flagged += entry.status == "spam"
                        invalid += bool(entry.invalid)
                        if entry.status == "pending" and not entry.invalid:
                            waiting[entry.topic] += 1
                        if sub.key != delivered.key:
                            conflicts.append(delivered.key)
                    safe[sub.key] = sub
                added += inbox.add_many(list(fresh.values()))
                progress(f"{seen} submissions read, {added} new")
            if source.can_delete:
                # Only after every page is read: deleting earlier would shift the pages under us.
                for done in deletions(source, list(safe.values())):
                    deleted += done
        except FetchError as exc:
            error = str(exc)
    return PullResult(seen=seen, added=added, spam=flagged, invalid=invalid, deleted=deleted, error=error,
                      conflicts=tuple(conflicts), waiting=tuple(sorted(waiting.items())))


def deletions(source: Source, subs: list[Submission]) -> Iterator[int]:
    """Delete what is safe on disk, in batches where the source can, else one by one; yields each count."""
    batch = getattr(source, "delete_many", None)
    for i in range(0, len(subs), DELETE_BATCH if batch else 1):
        if batch:
            yield batch(subs[i:i + DELETE_BATCH])
        else:
            source.delete(subs[i])
            yield 1
