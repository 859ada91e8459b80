"""The receiver's form decoding and checks, field by field: the gaps the mutation run (bench/mutation.py) found
in intake/receiver/form.py (pure functions; the served form is in test_receiver.py)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from intake.config import Limits
from intake.receiver.form import FIELDS, Refusal, check, decode

GOOD = {"topic": "verkehr", "parent": "", "name": "Anna", "email": "", "website": "", "body": "Text",
        "consent": "ja", "form_loaded_at": "1", "bot-field": "", "_gotcha": ""}
BROKEN = "Das Formular kam unvollständig oder beschädigt an."
LIMITS = Limits(name=5, body=6, email=7, website=8)


def multipart(*parts: tuple[str, str, bytes], boundary: str = "XyZ") -> tuple[bytes, str]:
    body = b"".join(b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; " + disposition.encode()
                    + (b"\r\nContent-Type: " + kind.encode() if kind else b"") + b"\r\n\r\n" + data + b"\r\n"
                    for disposition, kind, data in parts) + b"--" + boundary.encode() + b"--\r\n"
    return body, f"multipart/form-data; boundary={boundary}"


def test_urlencoded_keeps_our_fields_blank_ones_and_the_last_repeat() -> None:
    body = urlencode([("name", "A"), ("name", "Ä B"), ("body", ""), ("farbe", "rot"), ("topic", "t")]).encode()
    assert decode(body, " Application/X-WWW-Form-Urlencoded ; charset=utf-8") == {"name": "Ä B", "body": "",
                                                                                   "topic": "t"}


def test_urlencoded_refuses_bad_utf8_and_too_many_fields() -> None:
    with pytest.raises(Refusal) as bad:
        decode(b"name=%ff&x=\xff", "application/x-www-form-urlencoded")
    assert bad.value == Refusal(400, BROKEN)
    assert decode(b"&".join([b"name=a"] * (len(FIELDS) * 4 - 1)), "application/x-www-form-urlencoded") == {"name": "a"}
    with pytest.raises(Refusal) as many:
        decode(b"&".join([b"name=a"] * (len(FIELDS) * 4 + 1)), "application/x-www-form-urlencoded")
    assert many.value == Refusal(400, BROKEN)


def test_multipart_keeps_text_parts_of_our_fields_only() -> None:
    body, kind = multipart(('name="name"', "", "Jörg".encode()), ('name="body"', "text/plain; charset=utf-8", b"T"),
                           ('name="farbe"', "", b"rot"), ('name="email"; filename="a.txt"', "text/plain", b"x"),
                           ('name="website"', "", b""))
    assert decode(body, kind) == {"name": "Jörg", "body": "T", "website": ""}


def test_multipart_refuses_bad_utf8_and_a_body_that_is_not_multipart() -> None:
    body, kind = multipart(('name="name"', "", b"\xff"))
    with pytest.raises(Refusal) as bad:
        decode(body, kind)
    assert bad.value == Refusal(400, BROKEN)
    with pytest.raises(Refusal) as flat:
        decode(b"name=a", "multipart/form-data")
    assert flat.value == Refusal(400, BROKEN)


def test_other_formats_are_refused() -> None:
    with pytest.raises(Refusal) as other:
        decode(b"{}", "application/json")
    assert other.value == Refusal(400, "Das Formular kam in einem unbekannten Format an.")


def test_a_good_post_keeps_its_non_empty_fields_without_the_honeypots() -> None:
    assert check({**GOOD, "website": "https://a.de"}, Limits()) == {
        "topic": "verkehr", "name": "Anna", "body": "Text", "consent": "ja", "form_loaded_at": "1",
        "website": "https://a.de"}


@pytest.mark.parametrize("trap", ["bot-field", "_gotcha"])
def test_a_filled_honeypot_is_refused_but_blank_space_is_not_filled(trap: str) -> None:
    with pytest.raises(Refusal) as caught:
        check({**GOOD, trap: "x"}, Limits())
    assert caught.value.status == 400 and caught.value.message.startswith("Ein verstecktes Feld, das leer bleiben")
    assert "Browser" in caught.value.message
    assert check({**GOOD, trap: "  "}, Limits())["name"] == "Anna"


@pytest.mark.parametrize("fields", [{"topic": ""}, {"topic": "Verkehr"}, {"topic": "a" * 65}, {"parent": "../x"},
                                    {"parent": "A"}])
def test_a_post_to_no_topic_of_the_site_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(Refusal) as caught:
        check({**GOOD, **fields}, Limits())
    assert caught.value == Refusal(400, "Das Formular gehört zu keinem Thema dieser Seite.")


def test_a_topic_of_64_characters_and_a_valid_parent_are_taken() -> None:
    assert check({**GOOD, "topic": "a" * 64, "parent": "netlify-abc"}, Limits())["parent"] == "netlify-abc"


@pytest.mark.parametrize("name, label", [("name", "Name"), ("body", "Kommentar")])
def test_an_empty_required_field_is_named(name: str, label: str) -> None:
    with pytest.raises(Refusal) as caught:
        check({**GOOD, name: "  "}, Limits())
    assert caught.value == Refusal(400, f"Das Feld „{label}“ ist leer. Bitte füllen Sie es aus.")
    without = {k: v for k, v in GOOD.items() if k != name}
    with pytest.raises(Refusal, match="ist leer"):
        check(without, Limits())


@pytest.mark.parametrize("name, label, limit", [("name", "Name", 5), ("body", "Kommentar", 6),
                                                ("email", "E-Mail-Adresse", 7), ("website", "Webseite", 8)])
def test_each_field_has_its_own_limit_counted_after_stripping(name: str, label: str, limit: int) -> None:
    assert check({**GOOD, name: " " + "x" * limit + " "}, LIMITS)[name] == " " + "x" * limit + " "
    with pytest.raises(Refusal) as caught:
        check({**GOOD, name: "x" * (limit + 1)}, LIMITS)
    assert caught.value == Refusal(413, f"Das Feld „{label}“ ist mit {limit + 1} Zeichen länger als erlaubt "
                                        f"(höchstens {limit}). Bitte kürzen Sie es.")


@pytest.mark.parametrize("consent", ["", "nein", "x"])
def test_consent_is_required(consent: str) -> None:
    with pytest.raises(Refusal) as caught:
        check({**GOOD, "consent": consent}, Limits())
    assert caught.value == Refusal(400, "Bitte bestätigen Sie, dass Ihr Beitrag nach Prüfung veröffentlicht werden "
                                        "darf.")


@pytest.mark.parametrize("consent", [" JA ", "on", "Yes", "true", "1"])
def test_every_consent_word_is_taken_in_any_case(consent: str) -> None:
    assert check({**GOOD, "consent": consent}, Limits())["consent"] == consent


def test_a_form_that_sends_only_the_required_fields_is_taken() -> None:
    """Older form versions send no honeypot, parent or load time: what is missing counts as empty."""
    assert check({"topic": "verkehr", "name": "A", "body": "B", "consent": "ja"}, Limits()) == {
        "topic": "verkehr", "name": "A", "body": "B", "consent": "ja"}


def test_a_form_without_consent_is_refused_not_crashed() -> None:
    with pytest.raises(Refusal) as caught:
        check({"topic": "verkehr", "name": "A", "body": "B"}, Limits())
    assert caught.value.status == 400 and caught.value.message.startswith("Bitte bestätigen Sie")


def test_the_honeypot_refusal_tells_the_visitor_what_to_do() -> None:
    with pytest.raises(Refusal) as caught:
        check({**GOOD, "bot-field": "x"}, Limits())
    assert caught.value.message == ("Ein verstecktes Feld, das leer bleiben muss, wurde ausgefüllt. Falls Ihr Browser "
                                    "Formulare automatisch ausfüllt, schalten Sie das bitte für diese Seite ab.")


def test_a_sloppy_query_and_several_type_parameters_are_still_read() -> None:
    assert decode(b"name=A&junk&body=B", "application/x-www-form-urlencoded; charset=utf-8; x=y") == {
        "name": "A", "body": "B"}


def test_a_form_without_a_topic_is_refused_not_crashed() -> None:
    with pytest.raises(Refusal) as caught:
        check({"name": "A", "body": "B", "consent": "ja"}, Limits())
    assert caught.value == Refusal(400, "Das Formular gehört zu keinem Thema dieser Seite.")
