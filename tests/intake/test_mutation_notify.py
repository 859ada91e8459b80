"""The editors' notice, its settings and wording checked directly: the gaps the mutation run
(bench/mutation.py) found in intake/notify.py (the notice over a real webhook and SMTP peer is in
test_notify.py)."""

from __future__ import annotations

import json

import httpx
import pytest

from intake import notify
from intake.errors import ConfigError

SMTP = {"host": "mail.example", "from": "intake@example.org", "to": ["r@example.org", "s@example.org"]}


def test_no_settings_mean_no_notice() -> None:
    assert notify.parse(None) == notify.NotifyConfig() and notify.parse({}) == notify.NotifyConfig(None, None)


def test_smtp_settings_and_their_defaults() -> None:
    config = notify.parse({"webhook_env": "HOOK", "smtp": SMTP})
    assert config == notify.NotifyConfig("HOOK", notify.Smtp(host="mail.example", port=587, starttls=True,
                                                              sender="intake@example.org",
                                                              to=("r@example.org", "s@example.org"),
                                                              user_env=None, password_env=None))
    login = notify.parse({"smtp": {**SMTP, "port": 2525, "user_env": "U", "password_env": "P"}}).smtp
    assert login is not None and (login.port, login.user_env, login.password_env) == (2525, "U", "P")


@pytest.mark.parametrize("smtp, message", [
    ({"to": "r@example.org"}, r"^intake.notify.smtp.to: expected a list of e-mail addresses$"),
    ({"to": []}, r"^intake.notify.smtp.to: expected a list"),
    ({"to": ["r@example.org", "kein"]}, r"^intake.notify.smtp.to: expected a list"),
    ({"to": [1]}, r"^intake.notify.smtp.to: expected a list"),
    ({"starttls": "ja"}, r"^intake.notify.smtp.starttls: expected true or false$"),
    ({"host": None}, r"^intake.notify.smtp: host and from are required$"),
    ({"from": None}, r"^intake.notify.smtp: host and from are required$"),
    ({"host": [1]}, r"^intake.notify.smtp.host: "),
    ({"port": 2.5}, r"^intake.notify.smtp.port: "),
    ({"user_env": "U", "starttls": False}, r"^intake.notify.smtp: a login \(user_env\) needs starttls: true; "
                                           r"without it the password would cross the network in clear text$"),
    ({"user_env": "1x"}, r"^intake.notify.smtp.user_env: "),
    ({"password_env": "1x"}, r"^intake.notify.smtp.password_env: "),
    ({"farbe": 1}, r"^intake.notify.smtp.farbe: unknown setting"),
])
def test_wrong_smtp_settings_are_named(smtp: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        notify.parse({"smtp": {**SMTP, **smtp}})


def test_wrong_notify_settings_are_named() -> None:
    with pytest.raises(ConfigError, match=r"^intake.notify.farbe: unknown setting"):
        notify.parse({"farbe": 1})
    with pytest.raises(ConfigError, match=r"^intake.notify.webhook_env: "):
        notify.parse({"webhook_env": "1 x"})


def test_the_message_counts_per_topic_in_order_and_in_the_right_number() -> None:
    assert notify.message({"verkehr": 1}) == "1 neuer Kommentar wartet auf Prüfung: verkehr (1)."
    assert notify.message({"verkehr": 2, "digital": 1}) == ("3 neue Kommentare warten auf Prüfung: digital (1), "
                                                            "verkehr (2).")


def hook(status: int, seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status)
    return httpx.MockTransport(answer)


def test_the_webhook_gets_the_text_and_nothing_is_sent_without_waiting_comments() -> None:
    seen: list[httpx.Request] = []
    config = notify.NotifyConfig("HOOK")
    assert notify.send(config, {}, {"HOOK": "https://h.example/x"}, hook(200, seen)) == [] and seen == []
    assert notify.send(config, {"verkehr": 1}, {"HOOK": " https://h.example/x "}, hook(200, seen)) == []
    assert str(seen[0].url) == "https://h.example/x" and seen[0].method == "POST"
    assert json.loads(seen[0].content) == {"text": "1 neuer Kommentar wartet auf Prüfung: verkehr (1)."}


@pytest.mark.parametrize("env, status, expected", [
    ({}, 200, "notice by webhook not sent: ValueError"),
    ({"HOOK": "ftp://h.example"}, 200, "notice by webhook not sent: ValueError"),
    ({"HOOK": "https://h.example"}, 500, "notice by webhook not sent: HTTPStatusError"),
    ({"HOOK": "https://h.example"}, 302, "notice by webhook not sent: HTTPStatusError"),  # no redirect followed
])
def test_a_webhook_that_fails_is_a_warning_without_its_secret_url(env: dict, status: int, expected: str) -> None:
    assert notify.send(notify.NotifyConfig("HOOK"), {"verkehr": 1}, env, hook(status, [])) == [expected]


def test_a_mail_server_that_cannot_be_reached_is_a_warning() -> None:
    smtp = notify.Smtp(host="127.0.0.1", port=1, starttls=False, sender="a@b.de", to=("c@d.de",), user_env=None,
                       password_env=None)
    problems = notify.send(notify.NotifyConfig(None, smtp), {"verkehr": 1}, {})
    assert len(problems) == 1 and problems[0].startswith("notice by e-mail not sent: ")


def test_a_webhook_alone_is_a_notice_without_mail() -> None:
    assert notify.parse({"webhook_env": "HOOK"}) == notify.NotifyConfig("HOOK", None)
    with pytest.raises(ConfigError, match=r"^intake.notify.smtp.from: "):
        notify.parse({"smtp": {**SMTP, "from": [1]}})


def test_a_webhook_that_redirects_is_not_followed() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "https://elsewhere.example/"})

    problems = notify.send(notify.NotifyConfig("HOOK"), {"verkehr": 1}, {"HOOK": "https://h.example/x"},
                           httpx.MockTransport(answer))
    assert problems == ["notice by webhook not sent: HTTPStatusError"] and len(seen) == 1


def test_smtp_settings_that_are_no_group_are_named() -> None:
    with pytest.raises(ConfigError, match=r"^intake.notify.smtp: expected a mapping, got str$"):
        notify.parse({"smtp": "mail.example"})
