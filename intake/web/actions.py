"""What the review page's buttons do: the CLI's own decision, reply and undo functions, under the same lock.

Every form carries the status and a digest of the entry as the editor saw it; the entry is read
again under the lock, and a changed one (another editor, a `forget`, a `purge`) is refused with a
clear German message before anything is written, so nothing is done twice and nothing erased returns.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Mapping

from intake import publish
from intake import undo as undoing
from intake.config import IntakeConfig
from intake.entry import Entry
from intake.errors import RunError
from intake.inbox import Inbox
from sitegen.core.contract import OFFICIAL

ACTIONS = {"approved": "Freigegeben", "rejected": "Abgelehnt", "spam": "Als Spam markiert"}
STATUS_DE = {"pending": "offen", "approved": "freigegeben", "rejected": "abgelehnt", "spam": "Spam",
             "erased": "auf Antrag gelöscht"}
ERASED = "Dieser Beitrag wurde auf Antrag gelöscht; das ist endgültig. Es wurde nichts geändert."
REASON_MAX = 500


@dataclass(frozen=True)
class Outcome:
    """What a button did: ok or error, a German sentence, and what undo would take back."""

    kind: str  # ok | error
    text: str
    last: tuple[str, str] | None = None  # (entry key or reply id, status set or "reply")


@dataclass(frozen=True)
class Editor:
    """Who decides and when: the parts every action records."""

    by: str
    now: str


def digest(entry: Entry) -> str:
    """A short fingerprint of everything stored for an entry: any change since the page was shown alters it."""
    data = json.dumps(entry.to_dict(), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(data.encode("ascii")).hexdigest()[:20]


def refusal(entry: Entry, status: str | None, seen: str | None) -> str | None:
    """Why a decision on what the editor saw may not run on the entry as it is now, or None."""
    if entry.status == "erased":
        return ERASED
    if entry.status != status or (seen is not None and seen != digest(entry)):
        return (f"Dieser Beitrag wurde inzwischen anderswo bearbeitet (jetzt: {STATUS_DE.get(entry.status, entry.status)})."
                " Es wurde nichts geändert; die Liste zeigt den aktuellen Stand.")
    return None


def decide(config: IntakeConfig, inbox: Inbox, form: Mapping[str, str], who: Editor) -> Outcome:
    """Approve (optionally as stadt/themenpate), reject with a reason, or mark as spam."""
    action, key = form.get("action", ""), form.get("key", "")
    official = form.get("official") or None
    reason = (form.get("reason") or "").strip() or None
    if action not in ACTIONS or (official is not None and official not in OFFICIAL):
        return Outcome("error", "Unbekannte Aktion; es wurde nichts geändert.")
    if reason is not None and len(reason) > REASON_MAX:
        return Outcome("error", f"Der Grund ist zu lang (höchstens {REASON_MAX} Zeichen); nichts geändert.")
    decision = publish.Decision(by=who.by, now=who.now, official=official if action == "approved" else None,
                                reason=reason if action == "rejected" else None, expected="pending")
    try:
        with inbox.lock(wait=publish.LOCK_WAIT):
            entry = inbox.get(key)
            refused = refusal(entry, "pending", form.get("digest", ""))
            if refused:
                return Outcome("error", refused)
            if action == "approved":
                publish.approve(config, inbox, key, decision)
            else:
                publish.decline(config, inbox, key, action, decision)
    except RunError as exc:
        return Outcome("error", f"Nicht möglich, es wurde nichts geändert. Grund: {exc}")
    badge = f" (als {official})" if official and action == "approved" else ""
    return Outcome("ok", f"{ACTIONS[action]}{badge}: Beitrag von {entry.name or 'ohne Namen'} ({key}).",
                   last=(key, action))


def reply(config: IntakeConfig, inbox: Inbox, form: Mapping[str, str], who: Editor) -> Outcome:
    """Publish an official reply to a published comment."""
    role = form.get("role", "")
    if role not in OFFICIAL:
        return Outcome("error", "Bitte wählen Sie, als wer Sie antworten (Stadt oder Themenpate).")
    decision = publish.Decision(by=who.by, now=who.now, official=role, name=(form.get("name") or "").strip() or None)
    try:
        path = publish.reply(config, inbox, form.get("parent", ""), form.get("text", ""), decision)
    except RunError as exc:
        return Outcome("error", f"Nicht möglich, es wurde nichts geändert. Grund: {exc}")
    return Outcome("ok", f"Antwort veröffentlicht ({path.stem}).", last=(path.stem, "reply"))


def undo(config: IntakeConfig, inbox: Inbox, last: tuple[str, str] | None, who: Editor) -> Outcome:
    """Take back this browser's last decision or reply; an entry erased or decided again since is left alone."""
    if last is None:
        return Outcome("error", "Es gibt keine Entscheidung, die rückgängig gemacht werden kann.")
    key, status = last
    try:
        if status == "reply":
            undoing.retract_reply(config, inbox, key)
            return Outcome("ok", f"Antwort zurückgenommen ({key}).")
        with inbox.lock(wait=publish.LOCK_WAIT):
            refused = refusal(inbox.get(key), status, None)
            if refused:
                return Outcome("error", refused)
            undoing.undo(config, inbox, key, publish.Decision(by=who.by, now=who.now, expected=status))
    except RunError as exc:
        return Outcome("error", f"Nicht möglich, es wurde nichts geändert. Grund: {exc}")
    return Outcome("ok", f"Rückgängig gemacht: {key} ist wieder offen.")
