"""The review page's buttons checked directly (no browser): the stale check, erasure final, the German
outcomes and what undo takes back. The gaps a mutation run (bench/mutation.py) finds in intake/web/actions.py."""

from __future__ import annotations

import pytest
import yaml

from intake import publish
from intake.config import IntakeConfig
from intake.config import load as load_config
from intake.inbox import Inbox
from intake.web import actions
from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli

WHO = actions.Editor(by="Redaktion Web", now="2026-11-30T10:00:00Z")


def key(i: int) -> str:
    return f"netlify-{submission(i)['id']}"


def setup(cli: Cli, *subs: dict) -> tuple[IntakeConfig, Inbox]:
    """Pull the submissions into the fixture site's inbox; the config and inbox the buttons act on."""
    cli.transport = mock_transport(FakeNetlify(list(subs)))
    assert cli("pull").code == 0
    config = load_config(cli.root)
    return config, Inbox(config.inbox)


def form(inbox: Inbox, i: int, action: str, **more: str) -> dict[str, str]:
    """The form as the page sends it for entry i, with the digest of the entry as shown."""
    return {"action": action, "key": key(i), "digest": actions.digest(inbox.get(key(i))), **more}


def test_the_digest_changes_with_any_stored_field_and_has_20_hex_digits(cli: Cli) -> None:
    _, inbox = setup(cli, submission(1))
    entry = inbox.get(key(1))
    before = actions.digest(entry)
    assert len(before) == 20 and int(before, 16) >= 0 and before == actions.digest(inbox.get(key(1)))
    assert actions.digest(entry.with_changes(reason="x")) != before


def test_approve_as_official_records_it_and_says_who_with_the_badge(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    out = actions.decide(config, inbox, form(inbox, 1, "approved", official="stadt", reason="ignored"), WHO)
    assert out == actions.Outcome("ok", f"Freigegeben (als stadt): Beitrag von Person 1 ({key(1)}).",
                                  last=(key(1), "approved"))
    entry = inbox.get(key(1))
    assert (entry.status, entry.official, entry.reason, entry.moderated_by, entry.moderated_at) == (
        "approved", "stadt", None, "Redaktion Web", WHO.now)


def test_reject_keeps_the_stripped_reason_and_no_badge(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1, name=""))
    out = actions.decide(config, inbox, form(inbox, 1, "rejected", official="stadt", reason="  off topic "), WHO)
    assert out == actions.Outcome("ok", f"Abgelehnt: Beitrag von ohne Namen ({key(1)}).", last=(key(1), "rejected"))
    entry = inbox.get(key(1))
    assert (entry.status, entry.reason, entry.official) == ("rejected", "off topic", None)


def test_spam_and_an_approval_without_badge(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1), submission(2))
    assert actions.decide(config, inbox, form(inbox, 1, "spam", reason="   "), WHO).text.startswith(
        "Als Spam markiert: Beitrag von Person 1")
    assert inbox.get(key(1)).reason is None
    out = actions.decide(config, inbox, form(inbox, 2, "approved", official=""), WHO)
    assert out.text == f"Freigegeben: Beitrag von Person 2 ({key(2)})." and inbox.get(key(2)).official is None


@pytest.mark.parametrize("changes", [{"action": "erased"}, {"action": ""}, {"official": "buergermeister"}])
def test_an_unknown_action_or_badge_changes_nothing(cli: Cli, changes: dict[str, str]) -> None:
    config, inbox = setup(cli, submission(1))
    out = actions.decide(config, inbox, {**form(inbox, 1, "approved"), **changes}, WHO)
    assert out == actions.Outcome("error", "Unbekannte Aktion; es wurde nichts geändert.")
    assert inbox.get(key(1)).status == "pending"


def test_a_reason_of_500_characters_is_kept_and_501_refused(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1), submission(2))
    out = actions.decide(config, inbox, form(inbox, 1, "rejected", reason="x" * 501), WHO)
    assert out == actions.Outcome("error", "Der Grund ist zu lang (höchstens 500 Zeichen); nichts geändert.")
    assert inbox.get(key(1)).status == "pending"
    assert actions.decide(config, inbox, form(inbox, 2, "rejected", reason="y" * 500), WHO).kind == "ok"
    assert inbox.get(key(2)).reason == "y" * 500


def test_a_changed_entry_is_refused_with_its_status_now(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1), submission(2))
    shown = form(inbox, 1, "approved")
    publish.decline(config, inbox, key(1), "rejected", publish.Decision(by="CLI", now=WHO.now, expected="pending"))
    out = actions.decide(config, inbox, shown, WHO)
    assert out == actions.Outcome("error", "Dieser Beitrag wurde inzwischen anderswo bearbeitet (jetzt: abgelehnt)."
                                           " Es wurde nichts geändert; die Liste zeigt den aktuellen Stand.")
    stale = {**form(inbox, 2, "approved"), "digest": "0" * 20}  # pending still, but not as it was shown
    assert actions.decide(config, inbox, stale, WHO).kind == "error" and inbox.get(key(2)).status == "pending"
    assert actions.decide(config, inbox, {**stale, "digest": ""}, WHO).kind == "error"


def test_an_erased_entry_is_final_for_decide_and_undo(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    shown = form(inbox, 1, "approved")
    out = actions.decide(config, inbox, shown, WHO)
    assert cli("forget", "person1@example.org").code == 0
    assert actions.decide(config, inbox, shown, WHO) == actions.Outcome("error", actions.ERASED)
    assert actions.undo(config, inbox, out.last, WHO) == actions.Outcome("error", actions.ERASED)
    assert inbox.get(key(1)).status == "erased"


def test_undo_takes_back_this_browsers_last_decision_only_as_it_set_it(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    assert actions.undo(config, inbox, None, WHO) == actions.Outcome(
        "error", "Es gibt keine Entscheidung, die rückgängig gemacht werden kann.")
    out = actions.decide(config, inbox, form(inbox, 1, "spam"), WHO)
    assert actions.undo(config, inbox, (key(1), "approved"), WHO).text.startswith(
        "Dieser Beitrag wurde inzwischen anderswo bearbeitet (jetzt: Spam).")
    assert actions.undo(config, inbox, out.last, WHO) == actions.Outcome(
        "ok", f"Rückgängig gemacht: {key(1)} ist wieder offen.")
    assert inbox.get(key(1)).status == "pending"
    again = actions.undo(config, inbox, out.last, WHO)
    assert again.kind == "error" and "(jetzt: offen)" in again.text


def test_a_reply_needs_a_role_and_its_undo_takes_it_off(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    actions.decide(config, inbox, form(inbox, 1, "approved"), WHO)
    said = actions.reply(config, inbox, {"parent": key(1), "text": "Danke!", "role": "buerger"}, WHO)
    assert said == actions.Outcome("error", "Bitte wählen Sie, als wer Sie antworten (Stadt oder Themenpate).")
    out = actions.reply(config, inbox, {"parent": key(1), "text": "Danke!", "role": "stadt", "name": "  "}, WHO)
    assert out.kind == "ok" and out.last is not None and out.last[1] == "reply"
    assert out.text == f"Antwort veröffentlicht ({out.last[0]})."
    replies = sorted((cli.root / "content" / "kommentare" / "verkehr").glob("reply-*.yaml"))
    assert [p.stem for p in replies] == [out.last[0]]
    assert actions.undo(config, inbox, out.last, WHO) == actions.Outcome("ok", f"Antwort zurückgenommen ({out.last[0]}).")
    assert not replies[0].exists()
    gone = actions.undo(config, inbox, out.last, WHO)
    assert gone.kind == "error" and gone.text.startswith("Nicht möglich, es wurde nichts geändert. Grund: reply-")


def test_a_reply_to_nothing_published_and_a_refused_decision_say_why(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    out = actions.reply(config, inbox, {"parent": "netlify-none", "text": "x", "role": "stadt"}, WHO)
    assert out.kind == "error" and out.text.startswith("Nicht möglich, es wurde nichts geändert. Grund: ")
    missing = actions.decide(config, inbox, {"action": "spam", "key": "netlify-none", "digest": ""}, WHO)
    assert missing.kind == "error" and missing.text.startswith("Nicht möglich, es wurde nichts geändert. Grund: ")


def test_a_form_missing_its_key_digest_or_reason(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1), submission(2))
    out = actions.decide(config, inbox, {"action": "spam", "digest": ""}, WHO)
    assert out.text == "Nicht möglich, es wurde nichts geändert. Grund: '' is not a valid inbox key"
    no_digest = {"action": "approved", "key": key(1)}  # a page that sent no digest has not shown the entry
    assert actions.decide(config, inbox, no_digest, WHO).text.startswith("Dieser Beitrag wurde inzwischen")
    assert inbox.get(key(1)).status == "pending"
    shown = form(inbox, 2, "rejected")
    assert actions.decide(config, inbox, shown, WHO).kind == "ok" and inbox.get(key(2)).reason is None


def test_the_digest_of_any_text_is_ascii_json(cli: Cli) -> None:
    _, inbox = setup(cli, submission(1, name="Jörg Müller", body="Grüße 🚲 und \u202e"))
    assert len(actions.digest(inbox.get(key(1)))) == 20


def test_a_status_without_german_name_is_shown_as_it_is(cli: Cli) -> None:
    _, inbox = setup(cli, submission(1))
    said = actions.refusal(inbox.get(key(1)).with_changes(status="archived"), "pending", None)
    assert said is not None and "(jetzt: archived)." in said


def test_a_reply_records_role_name_and_editor_or_the_default_name(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    actions.decide(config, inbox, form(inbox, 1, "approved"), WHO)
    named = actions.reply(config, inbox, {"parent": key(1), "text": "Danke!", "role": "themenpate",
                                          "name": " Frau Pate "}, WHO)
    plain = actions.reply(config, inbox, {"parent": key(1), "text": "Noch etwas.", "role": "stadt"}, WHO)
    folder = cli.root / "content" / "kommentare" / "verkehr"
    first = yaml.safe_load((folder / f"{named.last[0]}.yaml").read_text(encoding="utf-8"))  # type: ignore[index]
    second = yaml.safe_load((folder / f"{plain.last[0]}.yaml").read_text(encoding="utf-8"))  # type: ignore[index]
    assert (first["official"], first["name"], first["moderated_by"]) == ("themenpate", "Frau Pate", "Redaktion Web")
    assert (second["official"], second["name"]) == ("stadt", publish.official_name(config, "stadt", "verkehr"))


def test_a_reply_form_missing_its_parent_or_text_publishes_nothing(cli: Cli) -> None:
    config, inbox = setup(cli, submission(1))
    actions.decide(config, inbox, form(inbox, 1, "approved"), WHO)
    no_parent = actions.reply(config, inbox, {"text": "x", "role": "stadt"}, WHO)
    assert no_parent.text == ("Nicht möglich, es wurde nichts geändert. Grund: : no published comment with this id"
                              " (approve it first)")
    no_text = actions.reply(config, inbox, {"parent": key(1), "role": "stadt"}, WHO)
    assert no_text.kind == "error" and "Grund: reply text must be" in no_text.text
    assert [p.name for p in (cli.root / "content" / "kommentare" / "verkehr").glob("*.yaml")] == [f"{key(1)}.yaml"]
