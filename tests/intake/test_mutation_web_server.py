"""The review page and its server beyond the guard: what the page shows, the routes, the form limits, the
message shown once, the undo button and the rebuild hint. Written for the mutation run (bench/mutation.py)
of intake/web/{pages,server}.py; the guard over real sockets is test_review_web_guard.py."""

from __future__ import annotations

import io
import re
import signal
import socket
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from intake import comments
from intake.config import load as load_config
from intake.errors import RunError
from intake.inbox import Inbox
from intake.runtime import Runtime
from intake.web import pages, server
from intake.web.actions import digest
from intake.web.guard import Session
from intake_fakes import FakeNetlify, mock_transport, submission
from intake_support import Cli
from review_web_support import ReviewSite, some, served


@pytest.fixture
def web(tmp_path: Path) -> Iterator[ReviewSite]:
    yield from served(tmp_path, 2)


def login(web: ReviewSite) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=web.origin, timeout=10, headers={"Origin": web.origin})
    assert client.get(web.server.url.removeprefix(web.origin)).status_code == 303
    page = client.get("/")
    return client, re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def decide(web: ReviewSite, client: httpx.Client, csrf: str, key: str, action: str = "approved") -> httpx.Response:
    entry = Inbox(web.root / ".inbox").get(key)
    return client.post("/entscheiden", data={"csrf": csrf, "key": key, "action": action, "digest": digest(entry)})


def test_the_style_sheet_needs_no_session_and_every_answer_says_its_length(web: ReviewSite) -> None:
    with httpx.Client(base_url=web.origin, timeout=10) as client:
        css = client.get("/style.css")
        assert css.status_code == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
        assert css.content == server.CSS and css.headers["content-length"] == str(len(server.CSS))
        refused = client.get("/")
        assert refused.status_code == 403 and refused.headers["content-length"] == str(len(refused.content))
        assert refused.headers["content-type"] == "text/html; charset=utf-8"
        assert "Zugangslink, den `python -m intake review --web` im Terminal anzeigt" in refused.text


def test_a_wrong_token_an_unknown_page_and_an_unknown_action_are_named(web: ReviewSite) -> None:
    client, csrf = login(web)
    with closing(client):
        wrong = client.get("/?token=falsch")
        assert wrong.status_code == 403 and "Der Zugangslink ist falsch oder veraltet." in wrong.text
        assert "set-cookie" not in wrong.headers
        missing = client.get("/nirgends")
        assert missing.status_code == 404 and "Diese Adresse gibt es hier nicht." in missing.text
        action = client.post("/loeschen", data={"csrf": csrf})
        assert action.status_code == 404 and "Diese Aktion gibt es nicht." in action.text


def test_a_decision_redirects_then_its_message_shows_once_with_undo_and_the_rebuild_hint(web: ReviewSite) -> None:
    client, csrf = login(web)
    first = web.keys()[0]
    with closing(client):
        page = client.get("/")
        assert "Offene Beiträge: 2" in page.text and "Website neu bauen" not in page.text
        assert "rückgängig machen" not in page.text
        done = decide(web, client, csrf, first)
        assert done.status_code == 303 and done.headers["location"] == "/" and done.content == b""
        after = client.get("/")
        assert "Offene Beiträge: 1" in after.text and f"Freigegeben: Beitrag von Person 1 ({first})." in after.text
        assert f"Letzte Entscheidung rückgängig machen (Freigegeben: {first})" in after.text
        assert "<pre><code>python build.py</code></pre>" in after.text
        again = client.get("/")
        assert "Freigegeben: Beitrag" not in again.text and "rückgängig machen (Freigegeben" in again.text
        undone = client.post("/rueckgaengig", data={"csrf": csrf})
        assert undone.status_code == 303
        last = client.get("/")
        assert "Offene Beiträge: 2" in last.text and "rückgängig machen (" not in last.text
        assert "python build.py" in last.text  # two decisions made in this session: rebuild still needed


def test_a_failed_action_shows_its_error_and_counts_as_no_decision(web: ReviewSite) -> None:
    client, csrf = login(web)
    with closing(client):
        client.post("/rueckgaengig", data={"csrf": csrf})
        page = client.get("/")
        assert 'class="flash error" role="alert"' in page.text
        assert "Es gibt keine Entscheidung, die rückgängig gemacht werden kann." in page.text
        assert "Website neu bauen" not in page.text


def test_an_official_reply_is_published_and_offered_for_undo_as_an_answer(web: ReviewSite) -> None:
    client, csrf = login(web)
    first = web.keys()[0]
    with closing(client):
        decide(web, client, csrf, first)
        page = client.get("/")
        assert "Offiziell antworten" in page.text and f'name="parent" value="{first}"' in page.text
        answer = client.post("/antworten", data={"csrf": csrf, "parent": first, "text": "Danke!", "role": "stadt"})
        assert answer.status_code == 303
        assert "rückgängig machen (Antwort: " in client.get("/").text
    assert len(web.published()) == 2


def test_the_email_button_shows_one_address_and_changes_nothing(web: ReviewSite) -> None:
    client, csrf = login(web)
    first, second = web.keys()
    with closing(client):
        assert '<dd class="email">' not in client.get("/").text
        shown = client.post("/email", data={"csrf": csrf, "key": second})
        assert shown.status_code == 200 and shown.text.count('<dd class="email">') == 1
        email = web.entry(second)["personal"]["email"]
        assert f'<dd class="email">{email}</dd>' in shown.text
        assert '<dd class="email">' not in client.get("/").text  # only on that one answer
    assert all(e["status"] == "pending" for e in web.cli.entries().values())


@pytest.mark.parametrize("kind", ["application/x-www-form-urlencoded; charset=utf-8",
                                  "Application/X-WWW-Form-Urlencoded ;charset=UTF-8"])
def test_the_form_type_may_carry_parameters_and_any_case(web: ReviewSite, kind: str) -> None:
    client, csrf = login(web)
    key = web.keys()[0]
    entry = Inbox(web.root / ".inbox").get(key)
    body = f"csrf={csrf}&key={key}&action=approved&digest={digest(entry)}"
    with closing(client):
        answer = client.post("/entscheiden", content=body.encode(), headers={"Content-Type": kind})
    assert answer.status_code == 303 and web.entry(key)["status"] == "approved"


def test_the_first_of_repeated_fields_counts_and_blank_ones_are_kept(web: ReviewSite) -> None:
    client, csrf = login(web)
    key = web.keys()[0]
    entry = Inbox(web.root / ".inbox").get(key)
    body = f"csrf={csrf}&key={key}&action=rejected&action=approved&reason=&digest={digest(entry)}"
    with closing(client):
        answer = client.post("/entscheiden", content=body.encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 303 and web.entry(key)["status"] == "rejected"


def raw(web: ReviewSite, client: httpx.Client | None, body: bytes, length: str | None,
        kind: str | None = "application/x-www-form-urlencoded", host: str | None = None) -> bytes:
    """A POST with the headers as given (None: left out), over a plain socket; the whole answer."""
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items()) if client else ""
    head = (f"POST /entscheiden HTTP/1.1\r\nHost: {host or f'127.0.0.1:{web.server.guard.port}'}\r\n"
            f"Origin: {web.origin}\r\nCookie: {cookie}\r\nConnection: close\r\n"
            + (f"Content-Type: {kind}\r\n" if kind is not None else "")
            + (f"Content-Length: {length}\r\n" if length is not None else "") + "\r\n")
    with socket.create_connection(("127.0.0.1", web.server.guard.port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def raw_post(web: ReviewSite, client: httpx.Client, body: bytes, length: str | None) -> int:
    return int(raw(web, client, body, length).split(b" ", 2)[1])


TWENTY = b"&".join([b"a=1"] * 19 + [b"csrf=x"])


@pytest.mark.parametrize("body,length,status", [
    (b"csrf=x", None, 400), (b"csrf=x", "-1", 400), (b"csrf=x", "sechs", 400), (b"csrf=\xff", "6", 400),
    (b"a=1&" + TWENTY, str(len(TWENTY) + 4), 400), (TWENTY, str(len(TWENTY)), 403), (b"csrf=x", "6", 403),
    (b"csrf=%ff", "8", 400), (b"", "0", 403)])
def test_a_form_without_a_readable_length_or_text_is_refused(web: ReviewSite, body: bytes, length: str | None,
                                                             status: int) -> None:
    """400: not read as a form (a percent escape that is no UTF-8 too); 403: read (at most 20 fields, or
    none), then refused for its wrong CSRF token."""
    client, _ = login(web)
    with closing(client):
        assert raw_post(web, client, body, length) == status


def test_a_form_of_exactly_the_limit_is_read_one_byte_more_is_not(web: ReviewSite) -> None:
    client, csrf = login(web)
    with closing(client):
        for size, status in ((server.MAX_FORM, 303), (server.MAX_FORM + 1, 400)):
            body = f"csrf={csrf}&key=x&reason=".encode()
            body += b"x" * (size - len(body))
            answer = client.post("/entscheiden", content=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert answer.status_code == status
    assert server.MAX_FORM == 64 * 1024


def test_the_address_holds_the_token_and_the_editor_is_the_servers(web: ReviewSite) -> None:
    assert web.server.url == f"http://127.0.0.1:{web.server.server_address[1]}/?token={web.server.guard.token}"
    who = web.server.editor()
    assert who.by == "Redaktion Web" and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", who.now)


def test_a_port_in_use_is_a_clear_error(web: ReviewSite) -> None:
    port = web.server.guard.port
    with pytest.raises(RunError) as caught:
        server.start(load_config(web.root), "x", port, lambda: "2026-11-30T10:00:00Z")
    assert str(caught.value) == f"cannot listen on 127.0.0.1:{port}: Address already in use; try --port"


def test_the_server_runs_in_a_daemon_thread(web: ReviewSite) -> None:
    """Ctrl-C ends the command even if shutting the server down were to hang."""
    serving = [t for t in threading.enumerate() if t.name.endswith("(serve_forever)")]
    assert serving and all(t.daemon for t in serving)


def sentence(answer: httpx.Response | bytes) -> str:
    text = answer.decode("utf-8") if isinstance(answer, bytes) else answer.text
    return re.findall(r"<h1>Kein Zugang</h1>\n<p>(.*)</p>", text)[0]


def test_every_refusal_says_exactly_why(web: ReviewSite) -> None:
    client, csrf = login(web)
    with closing(client):
        assert sentence(client.get("/?token=falsch")) == "Der Zugangslink ist falsch oder veraltet. " + server.NO_TOKEN
        assert sentence(client.get("/nirgends")) == "Diese Adresse gibt es hier nicht."
        assert sentence(client.post("/loeschen", data={"csrf": csrf})) == "Diese Aktion gibt es nicht."
        assert sentence(client.post("/entscheiden", data={"csrf": "falsch"})) == (
            "Abgelehnt: Das Formular ist ungültig oder veraltet. Bitte Seite neu laden.")
        assert sentence(client.post("/entscheiden", data={"csrf": csrf}, headers={"Origin": "http://evil.example"})) \
            == "Abgelehnt: Die Anfrage kam nicht von dieser Moderationsseite."
        assert sentence(client.post("/entscheiden", json={"csrf": csrf})) == "Ungültige Anfrage."
        assert sentence(raw(web, client, b"csrf=\xff", "6")) == "Ungültige Anfrage."
        assert sentence(client.get("/", headers={"Host": "evil.example"})) == (
            "Abgelehnt: falscher Host. Nur http://127.0.0.1 mit dem Port dieses Servers.")


def test_a_refused_host_gets_one_answer_and_nothing_else(web: ReviewSite) -> None:
    client, csrf = login(web)
    with closing(client):
        answer = raw(web, client, f"csrf={csrf}".encode(), None, host="evil.example")
    assert answer.count(b"HTTP/1.") == 1 and answer.startswith(b"HTTP/1.0 403 ")


def test_a_post_without_a_content_type_is_400(web: ReviewSite) -> None:
    client, csrf = login(web)
    with closing(client):
        answer = raw(web, client, f"csrf={csrf}".encode(), None, kind=None)
    assert answer.startswith(b"HTTP/1.0 400 ") and sentence(answer) == "Ungültige Anfrage."


def test_pages_are_html_and_redirects_plain_text(web: ReviewSite) -> None:
    client, csrf = login(web)
    with closing(client):
        assert client.get("/").headers["content-type"] == "text/html; charset=utf-8"
        moved = client.post("/rueckgaengig", data={"csrf": csrf})
        assert moved.status_code == 303 and moved.headers["content-type"] == "text/plain; charset=utf-8"
        assert moved.headers["content-length"] == "0"


# --- the page itself, rendered directly


def pulled(cli: Cli, *subs: dict) -> Inbox:
    cli.transport = mock_transport(FakeNetlify(list(subs)))
    assert cli("pull").code == 0
    return Inbox(load_config(cli.root).inbox)


def test_counts_per_topic_are_sorted_and_each_card_is_numbered(cli: Cli) -> None:
    pulled(cli, submission(1, topic="verkehr"), submission(2, topic="digital"), submission(3, topic="verkehr"))
    page = pages.queue(load_config(cli.root), Session(csrf="c"))
    assert "<li>digital: 1</li>\n<li>verkehr: 2</li>" in page and "Offene Beiträge: 3" in page
    assert [int(n) for n in re.findall(r'<h3 id="titel-(\d+)">', page)] == [1, 2, 3]


def test_a_reply_card_shows_the_comment_it_answers_or_that_it_is_not_published(cli: Cli) -> None:
    config = load_config(cli.root)
    inbox = pulled(cli, submission(1), submission(2))
    first = next(e for e in inbox.entries() if e.fields.get("name") == "Person 1")
    from intake import publish

    publish.approve(config, inbox, first.key, publish.Decision(by="R", now="2026-11-30T10:00:00Z"))
    reply = inbox.get(next(e.key for e in inbox.entries() if e.fields.get("name") == "Person 2"))
    shown = pages.parent_of(config, reply.with_changes(fields={**reply.fields, "parent": first.key}))
    assert shown == {"id": first.key, "name": "Person 1", "body": first.fields["body"], "missing": False}
    assert pages.parent_of(config, reply.with_changes(fields={**reply.fields, "parent": "netlify-nie"})) == {
        "id": "netlify-nie", "name": "", "body": "", "missing": True}
    assert pages.parent_of(config, reply) is None


def test_only_the_revealed_entry_carries_its_address(cli: Cli) -> None:
    config = load_config(cli.root)
    inbox = pulled(cli, submission(1), submission(2, email=""))
    entries = sorted(inbox.entries(), key=lambda e: e.key)
    cards = pages.cards(config, entries, entries[1].key)
    assert [c.email for c in cards] == [None, entries[1].personal.get("email") or ""]
    assert [c.digest for c in cards] == [digest(e) for e in entries]
    assert all(c.entry is e and c.parent is None for c, e in zip(cards, entries))


def test_the_newest_ten_approved_comments_with_a_file_can_be_answered(cli: Cli) -> None:
    config = load_config(cli.root)
    inbox = pulled(cli, *some(13))
    from intake import publish

    keys = sorted(e.key for e in inbox.entries())
    for n, key in enumerate(reversed(keys[:12])):  # approved last to first: the newest decision has the lowest key
        publish.approve(config, inbox, key, publish.Decision(by="R", now=f"2026-11-30T10:00:{n:02d}Z"))
    gone = comments.comment_file(config.root, "verkehr", keys[0])
    assert gone is not None
    gone.unlink()  # removed by hand: nothing there to answer
    offered = pages.answerable(config, list(inbox.entries()))
    assert [e.key for e in offered] == keys[1:11]
    assert pages.RECENT == 10


def test_a_pending_reply_shows_what_it_answers_on_the_page(cli: Cli) -> None:
    config = load_config(cli.root)
    inbox = pulled(cli, submission(1, name="Erste Person"))
    from intake import publish

    parent = next(iter(inbox.entries())).key
    publish.approve(config, inbox, parent, publish.Decision(by="R", now="2026-11-30T10:00:00Z"))
    pulled(cli, submission(1, name="Erste Person"), submission(2, parent=parent))
    page = pages.queue(config, Session(csrf="c"))
    assert '<p class="who">Erste Person:</p>' in page and "Kommentar Nummer 1 zur Zukunft." in page


def test_names_and_bodies_are_shown_as_the_site_will_show_them(cli: Cli) -> None:
    """A bidi override must not reverse the text an editor judges: the page drops what the build drops."""
    config = load_config(cli.root)
    inbox = pulled(cli, submission(1, name="Erste\u202e Person", body="Gut\u2067 so\u2069 \u200f!"))
    from intake import publish

    parent = next(iter(inbox.entries())).key
    publish.approve(config, inbox, parent, publish.Decision(by="R", now="2026-11-30T10:00:00Z"))
    pulled(cli, submission(1), submission(2, name="\u200bZweite", body="\u202dJa\u202c", parent=parent))
    page = pages.queue(config, Session(csrf="c"))
    assert '<p class="who">Erste Person:</p><p class="text">Gut so \u200f!</p>' in page
    assert ". Zweite zu „verkehr“</h3>" in page and '<p class="text">Ja</p>' in page
    assert not any(c in page for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b")


def test_a_parent_file_that_cannot_be_read_counts_as_not_published(cli: Cli) -> None:
    config = load_config(cli.root)
    inbox = pulled(cli, submission(1))
    entry = next(iter(inbox.entries()))
    broken = config.root / "content" / "kommentare" / "verkehr" / "netlify-kaputt.yaml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    shown = pages.parent_of(config, entry.with_changes(fields={**entry.fields, "parent": "netlify-kaputt"}))
    assert shown == {"id": "netlify-kaputt", "name": "", "body": "", "missing": True}
    bare = broken.with_name("netlify-leer.yaml")
    bare.write_text("topic: verkehr\n", encoding="utf-8")  # an editor emptied it by hand
    shown = pages.parent_of(config, entry.with_changes(fields={**entry.fields, "parent": "netlify-leer"}))
    assert shown == {"id": "netlify-leer", "name": "", "body": "", "missing": False}


def test_a_refusal_page_escapes_its_text() -> None:
    assert "&lt;b&gt;Nein&lt;/b&gt;" in pages.refused("<b>Nein</b>")


def test_the_command_prints_its_address_serves_until_ctrl_c_and_then_closes(web: ReviewSite) -> None:
    """`review --web` in-process: the address with the token on stdout, a visit, then a real SIGINT."""
    out = io.StringIO()
    rt = Runtime(stdout=out, clock=lambda: 1_764_496_800.0)  # 2025-11-30T10:00:00Z
    main, visited = threading.main_thread().ident, []
    key = web.keys()[0]

    def editor() -> None:
        try:
            deadline = time.monotonic() + 30
            while "\n" not in out.getvalue() and time.monotonic() < deadline:
                time.sleep(0.01)
            url = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", out.getvalue()).group(0)
            visited.append(url)
            origin = url.split("/?")[0]
            with httpx.Client(base_url=origin, timeout=10, headers={"Origin": origin}) as client:
                visited.append(client.get(url).status_code)
                csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
                entry = Inbox(web.root / ".inbox").get(key)
                client.post("/entscheiden", data={"csrf": csrf, "key": key, "action": "approved",
                                                  "digest": digest(entry)})
        finally:
            signal.pthread_kill(main, signal.SIGINT)  # Ctrl-C, also when something above failed: no hang

    thread = threading.Thread(target=editor)
    thread.start()
    try:
        assert server.run(load_config(web.root), "Redaktion Web", 0, rt) == 0
    except KeyboardInterrupt:
        pytest.fail("the Ctrl-C came before the server waited for it (see the visitor thread's error)")
    finally:
        thread.join(timeout=30)
    url, status = visited
    assert status == 303
    decided = web.entry(key)  # by this server's editor, at its runtime's time
    assert (decided["status"], decided["moderated_by"], decided["moderated_at"]) == (
        "approved", "Redaktion Web", "2025-11-30T10:00:00Z")
    assert out.getvalue() == (f"Moderation im Browser (nur auf diesem Rechner): {url}\n"
                              "Den Link nicht weitergeben: er ist der Zugang. Beenden mit Strg+C.\n")
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=5)  # closed: the port no longer answers


def send_slowly(web: ReviewSite, client: httpx.Client, parts: list[bytes], pause: float, length: int) -> bytes:
    """A POST whose body comes in parts, a pause before each (the connection stays open after the
    last); the whole answer, up to the server closing the connection."""
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    head = (f"POST /entscheiden HTTP/1.1\r\nHost: 127.0.0.1:{web.server.guard.port}\r\nOrigin: {web.origin}\r\n"
            f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n")
    stop = threading.Event()
    with socket.create_connection(("127.0.0.1", web.server.guard.port), timeout=20) as sock:
        sock.sendall(head.encode())

        def parts_with_pauses() -> None:
            for part in parts:
                if stop.wait(pause):
                    return
                try:
                    sock.sendall(part)
                except OSError:
                    return

        sender = threading.Thread(target=parts_with_pauses)
        sender.start()
        try:
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        finally:
            stop.set()
            sender.join()
    return answer


@pytest.mark.parametrize("parts", [[b"x"] * 40, [b"xxxxx"]], ids=["trickle", "stall"])
def test_a_body_that_trickles_or_stalls_is_cut_off_after_the_time_for_a_whole_form(
        web: ReviewSite, monkeypatch: pytest.MonkeyPatch, parts: list[bytes]) -> None:
    """The socket's timeout bounds one wait only: a byte every few seconds would hold a thread for
    days. After READ_SECONDS in all (a byte every 0.2 s for 8 s, or 5 bytes and then nothing) the
    request is answered 408 and the connection closed, and the server goes on."""
    monkeypatch.setattr(server, "READ_SECONDS", 1.0)
    client, _ = login(web)
    with closing(client):
        answer = send_slowly(web, client, parts, 0.2, 100)
        head, _, page = answer.partition(b"\r\n\r\n")
        assert head.split(b" ", 2)[1] == b"408" and b"\r\nConnection: close" in head
        assert b"\r\nContent-Type: text/html; charset=utf-8\r\n" in head
        assert ">Die Anfrage kam zu langsam oder unvollständig an. Bitte noch einmal senden." in page.decode("utf-8")
        assert client.get("/").status_code == 200  # the server still answers


def test_a_body_in_parts_is_read_whole(web: ReviewSite) -> None:
    """A form that comes in several parts within the time is read to its last byte (the CSRF token)."""
    client, csrf = login(web)
    key = web.keys()[0]
    body = f"key={key}&action=approved&digest={digest(Inbox(web.root / '.inbox').get(key))}&csrf={csrf}".encode()
    with closing(client):
        answer = send_slowly(web, client, [body[:10], body[10:-1], body[-1:]], 0.1, len(body))
    assert answer.split(b" ", 2)[1] == b"303" and web.entry(key)["status"] == "approved"
