"""The city's own receiver over real HTTP (waitress on 127.0.0.1): the form post, refusals, the pull API."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import yaml

from intake_support import Cli, intake_section, make_site
from receiver_support import BASE, FORM, Running

TOKEN = "receiver-test-token-0123456789"


def receiver_site(root: Path, **settings: Any) -> Path:
    section = {"url": "http://127.0.0.1:1", "database": str(root / "data" / "receiver.sqlite3"),
               "token_env": "RECEIVER_TOKEN", **settings}
    return make_site(root, intake_section(source="receiver", receiver=section))


@pytest.fixture
def receiver(tmp_path: Path, env: dict[str, str]) -> Iterator[Running]:
    env["RECEIVER_TOKEN"] = TOKEN
    running = Running(receiver_site(tmp_path / "site", rate_limit={"count": 3, "seconds": 600}), env)
    yield running
    running.close()


def test_a_form_post_is_stored_and_answered_with_a_redirect_to_the_thank_you_page(receiver: Running) -> None:
    answer = receiver.post()
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{BASE}/danke/?thema=verkehr"
    assert "set-cookie" not in answer.headers
    stored = receiver.stored()
    assert len(stored) == 1 and stored[0]["name"] == "Erika" and stored[0]["email"] == "erika@example.org"
    assert "bot-field" not in stored[0]  # empty honeypot: not kept


def test_a_multipart_post_is_taken_too(receiver: Running) -> None:
    answer = receiver.post(files={k: (None, v) for k, v in FORM.items()}, data={})
    assert answer.status_code == 303 and receiver.stored()[0]["body"] == "Mehr Radwege!"


REFUSALS = [
    ("long name", {**FORM, "name": "x" * 81}, {}, 413, "Name"),
    ("empty body", {**FORM, "body": "  "}, {}, 400, "Kommentar"),
    ("no consent", {k: v for k, v in FORM.items() if k != "consent"}, {}, 400, "veröffentlicht werden darf"),
    ("honeypot", {**FORM, "bot-field": "http://spam.example"}, {}, 400, "verstecktes Feld"),
    ("foreign origin", FORM, {"Origin": "https://evil.example"}, 403, "nicht von unserer Seite"),
    ("foreign referer", FORM, {"Origin": "", "Referer": "https://evil.example/x"}, 403, "nicht von unserer Seite"),
    ("unknown topic", {**FORM, "topic": "../etc"}, {}, 400, "keinem Thema"),
    ("bad parent", {**FORM, "parent": "A/B"}, {}, 400, "keinem Thema"),
]


@pytest.mark.parametrize("case, data, headers, status, says", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_every_refusal_is_a_german_page_with_its_status_and_nothing_is_stored(
        receiver: Running, case: str, data: dict[str, str], headers: dict[str, str], status: int, says: str) -> None:
    answer = receiver.post(data, headers=headers)
    assert answer.status_code == status, case
    assert '<html lang="de">' in answer.text and says in answer.text
    assert receiver.stored() == []


def test_a_body_over_the_limit_is_refused_with_413(receiver: Running) -> None:
    answer = receiver.post({**FORM, "body": "x" * (70 * 1024)})
    assert answer.status_code == 413 and receiver.stored() == []


def test_other_content_types_are_refused(receiver: Running) -> None:
    answer = httpx.post(receiver.url + "/kommentar", content=b'{"topic": "verkehr"}',
                        headers={"Content-Type": "application/json", "Origin": BASE}, timeout=10)
    assert answer.status_code == 400 and receiver.stored() == []


def test_the_rate_limit_refuses_with_429_and_stores_nothing(receiver: Running) -> None:
    codes = [receiver.post().status_code for _ in range(4)]
    assert codes == [303, 303, 303, 429]
    assert len(receiver.stored()) == 3


def test_forwarded_addresses_count_only_from_trusted_proxies(tmp_path: Path, env: dict[str, str]) -> None:
    env["RECEIVER_TOKEN"] = TOKEN
    for trusted, expected in (([], [303, 429, 429]), (["127.0.0.1"], [303, 303, 303])):
        root = receiver_site(tmp_path / f"site{len(trusted)}", trusted_proxies=trusted,
                             rate_limit={"count": 1, "seconds": 600})
        running = Running(root, env)
        try:
            codes = [running.post(headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(3)]
        finally:
            running.close()
        assert codes == expected, trusted


def test_the_rate_limit_counts_an_ipv6_visitor_by_the_64_their_line_gets(tmp_path: Path, env: dict[str, str]) -> None:
    """One home line gets a whole IPv6 /64: counted per address, every post would be a fresh visitor."""
    env["RECEIVER_TOKEN"] = TOKEN
    root = receiver_site(tmp_path / "site", trusted_proxies=["127.0.0.1"], rate_limit={"count": 1, "seconds": 600})
    running = Running(root, env)
    sent = ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:3::1", "198.51.100.7",
            "::ffff:198.51.100.7"]
    try:
        codes = [running.post(headers={"X-Forwarded-For": address}).status_code for address in sent]
    finally:
        running.close()
    assert codes == [303, 429, 303, 303, 429]


def test_get_on_the_form_address_is_405_and_health_answers(receiver: Running) -> None:
    assert httpx.get(receiver.url + "/kommentar", timeout=10).status_code == 405
    health = httpx.get(receiver.url + "/health", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok", "waiting": 0}


@pytest.mark.parametrize("header", [None, "Bearer wrong-token-0123456789", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_the_pull_api_wants_the_token(receiver: Running, header: str | None) -> None:
    receiver.post()
    headers = {"Authorization": header} if header else {}
    answer = httpx.get(receiver.url + "/api/submissions", headers=headers, timeout=10)
    assert answer.status_code == 401 and "Erika" not in answer.text
    assert httpx.delete(receiver.url + "/api/submissions/" + "a" * 24, headers=headers, timeout=10).status_code == 401
    assert len(receiver.stored()) == 1


def test_pull_from_the_receiver_stores_each_submission_once_then_deletes_it_there(
        tmp_path: Path, env: dict[str, str]) -> None:
    env["RECEIVER_TOKEN"] = TOKEN
    root = receiver_site(tmp_path / "site", rate_limit={"count": 0}, per_page=7)
    running = Running(root, env)
    try:
        for i in range(20):
            assert running.post({**FORM, "name": f"Person {i}"}).status_code == 303
        settings = yaml.safe_load((root / "content" / "site.yaml").read_text(encoding="utf-8"))
        settings["intake"]["receiver"]["url"] = running.url
        (root / "content" / "site.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
        cli = Cli(root, env)
        first = cli("pull")
        assert first.code == 0, first.err
        assert "20 new" in first.out and "20 deleted at the backend" in first.out
        entries = cli.entries()
        assert len(entries) == 20 and all(re.match(r"^receiver-[0-9a-f]{24}$", k) for k in entries)
        assert {e["fields"]["name"] for e in entries.values()} == {f"Person {i}" for i in range(20)}
        assert all(e["status"] == "pending" and e["personal"]["email"] == "erika@example.org"
                   for e in entries.values())
        assert running.stored() == []
        assert running.post({**FORM, "name": "Nachzügler"}).status_code == 303
        second = cli("pull")
        assert second.code == 0 and "1 new" in second.out and len(cli.entries()) == 21
    finally:
        running.close()


def test_receive_refuses_to_start_without_a_token(tmp_path: Path, env: dict[str, str]) -> None:
    root = receiver_site(tmp_path / "site")
    result = Cli(root, env)("receive", "--port", "0")
    assert result.code == 2 and "RECEIVER_TOKEN" in result.err


def test_the_receiver_needs_the_sites_base_url(tmp_path: Path, env: dict[str, str]) -> None:
    env["RECEIVER_TOKEN"] = TOKEN
    root = receiver_site(tmp_path / "site")
    site = yaml.safe_load((root / "content" / "site.yaml").read_text(encoding="utf-8"))
    site["base_url"] = None
    (root / "content" / "site.yaml").write_text(yaml.safe_dump(site), encoding="utf-8")
    result = Cli(root, env)("receive", "--port", "0")
    assert result.code == 2 and re.search(r"base_url", result.err)


def test_the_receive_command_serves_and_a_kill_loses_no_acknowledged_submission(
        tmp_path: Path, env: dict[str, str]) -> None:
    """The real `python -m intake receive` process, killed with SIGKILL right after answering."""
    import os
    import signal
    import subprocess
    import sys

    from intake_support import REPO

    env["RECEIVER_TOKEN"] = TOKEN
    root = receiver_site(tmp_path / "site", rate_limit={"count": 0})
    child = subprocess.Popen([sys.executable, "-m", "intake", "receive", "--port", "0", "--root", str(root)],
                             cwd=REPO, env={"PATH": os.environ.get("PATH", ""), **env}, stderr=subprocess.PIPE,
                             text=True)
    try:
        line = child.stderr.readline()  # the start-up line names the port the OS chose
        port = re.search(r"http://127\.0\.0\.1:(\d+)/kommentar", line)
        assert port, line
        url = f"http://127.0.0.1:{port.group(1)}/kommentar"
        acknowledged = [i for i in range(25)
                        if httpx.post(url, data={**FORM, "name": f"P{i}"}, headers={"Origin": BASE},
                                      timeout=10).status_code == 303]
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        logged = child.stderr.read()
    finally:
        if child.poll() is None:
            child.kill()
    assert len(acknowledged) == 25
    assert "erika@example.org" not in logged and "P1" not in logged and "127.0.0.1" not in logged.split("\n", 1)[-1]
    with sqlite3.connect(root / "data" / "receiver.sqlite3") as db:
        names = [yaml.safe_load(row[0])["name"] for row in db.execute("SELECT data FROM submissions")]
    assert sorted(names) == sorted(f"P{i}" for i in range(25))


def test_a_database_restored_from_a_backup_never_reuses_a_pulled_key(tmp_path: Path, env: dict[str, str]) -> None:
    """Ids are random, not row numbers: a post after a restore is new, not mistaken for one pulled before."""
    env["RECEIVER_TOKEN"] = TOKEN
    root = receiver_site(tmp_path / "site", rate_limit={"count": 0})
    running = Running(root, env)
    try:
        settings = yaml.safe_load((root / "content" / "site.yaml").read_text(encoding="utf-8"))
        settings["intake"]["receiver"]["url"] = running.url
        (root / "content" / "site.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
        cli = Cli(root, env)
        assert running.post({**FORM, "name": "Vor der Sicherung"}).status_code == 303
        backup = tmp_path / "backup.sqlite3"
        with sqlite3.connect(running.settings.database) as live, sqlite3.connect(backup) as copy:
            live.backup(copy)
        assert running.post({**FORM, "name": "Nach der Sicherung"}).status_code == 303
        assert cli("pull").code == 0 and len(cli.entries()) == 2
        with sqlite3.connect(backup) as copy, sqlite3.connect(running.settings.database) as live:
            copy.backup(live)  # the operator restores the backup
        assert running.post({**FORM, "name": "Nach der Wiederherstellung"}).status_code == 303
        again = cli("pull")
        assert again.code == 0, again.err
    finally:
        running.close()
    names = sorted(e["fields"]["name"] for e in cli.entries().values())
    assert names == ["Nach der Sicherung", "Nach der Wiederherstellung", "Vor der Sicherung"]
