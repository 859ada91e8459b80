"""A hostile backend's data: endless pagination, impossible dates, re-used ids, odd bodies and URLs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from intake_fakes import FakeNetlify, formspree_item, mock_transport, submission
from intake_support import Cli, intake_section, make_site
from intake.config import Limits
from intake.entry import KEY
from intake.validate import check

Handler = Callable[[httpx.Request], httpx.Response]


def query(request: httpx.Request) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(str(request.url)).query).items()}


def bounded(answer: Callable[[httpx.Request, int], httpx.Response], limit: int = 40) -> tuple[Handler, list[int]]:
    """A handler that answers as told, but only `limit` times (so the old, looping code still ends)."""
    calls = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        calls[0] += 1
        if calls[0] > limit:
            return httpx.Response(200, json=[] if "netlify" in str(request.url) else {"submissions": []})
        return answer(request, calls[0])

    return handler, calls


def netlify_cli(cli: Cli, handler: Handler) -> Cli:
    make_site(cli.root, intake_section(netlify={"api_base": "http://netlify.test/api/v1", "form_id": "form-1",
                                                "per_page": 5, "include_spam": False}))
    cli.transport = httpx.MockTransport(handler)
    return cli


def json_cli(cli: Cli, handler: Handler, **settings: Any) -> Cli:
    make_site(cli.root, intake_section(source="json", json={"url": "http://feed.test/feed", **settings},
                                       http={"retries": 0, "max_pages": 5}))
    cli.transport = httpx.MockTransport(handler)
    return cli


def item(i: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"s-{i}", "created_at": "2026-11-26T08:00:00Z", "topic": "verkehr", "name": f"Person {i}",
            "body": f"Beitrag {i}", "consent": "ja", **extra}


def test_netlify_same_short_page_with_link_next_is_a_loop(cli: Cli) -> None:
    handler, calls = bounded(lambda r, n: httpx.Response(
        200, json=[submission(1), submission(2)], headers={"link": '</x?page=2>; rel="next"'}))
    result = netlify_cli(cli, handler)("pull")
    assert result.code == 1 and "page 4 repeats only submissions already read, 3 pages in a row" in result.err
    assert calls[0] == 4 and len(cli.entries()) == 2  # PageGuard.REPEATS pages after the first, then it stops


def test_netlify_page_that_does_not_advance_is_a_loop(cli: Cli) -> None:
    full = [submission(i) for i in range(1, 6)]
    handler, calls = bounded(lambda r, n: httpx.Response(200, json=full))  # no Link: full pages go on
    result = netlify_cli(cli, handler)("pull")
    assert result.code == 1 and "does not advance" in result.err and calls[0] == 4


def test_formspree_same_full_page_is_a_loop(cli: Cli) -> None:
    page = [formspree_item(i) for i in range(1, 4)]
    handler, calls = bounded(lambda r, n: httpx.Response(200, json={"submissions": page}))
    make_site(cli.root, intake_section(source="formspree", formspree={"api_base": "http://fs.test",
                                                                      "form_id": "xyzabc", "limit": 3}))
    cli.transport = httpx.MockTransport(handler)
    result = cli("pull")
    assert result.code == 1 and "offset 9 repeats only submissions already read" in result.err
    assert calls[0] == 4 and len(cli.entries()) == 3


def test_formspree_shifted_offsets_repeating_some_keys_are_no_loop(cli: Cli) -> None:
    items = [formspree_item(i) for i in range(1, 12)][::-1]  # newest first

    def answer(request: httpx.Request, n: int) -> httpx.Response:
        if n == 2:
            items.insert(0, formspree_item(50))  # a new one arrives mid-pull: the next page repeats one key
        offset, limit = int(query(request)["offset"]), int(query(request)["limit"])
        return httpx.Response(200, json={"submissions": items[offset:offset + limit]})

    handler, _ = bounded(answer)
    make_site(cli.root, intake_section(source="formspree", formspree={"api_base": "http://fs.test",
                                                                      "form_id": "xyzabc", "limit": 4}))
    cli.transport = httpx.MockTransport(handler)
    assert cli("pull").code == 0
    assert len(cli.entries()) == 11  # one key came twice, which is no loop; the newcomer waits for the next pull
    assert cli("pull").code == 0 and len(cli.entries()) == 12


def test_json_same_items_under_new_urls_is_a_loop(cli: Cli) -> None:
    handler, calls = bounded(lambda r, n: httpx.Response(200, json={"items": [item(1)], "next": f"/feed?p={n}"}))
    result = json_cli(cli, handler)("pull")
    assert result.code == 1 and "repeats only submissions already read" in result.err and calls[0] == 4


def test_json_page_limit_is_an_error_not_a_silent_stop(cli: Cli) -> None:
    handler, calls = bounded(lambda r, n: httpx.Response(200, json={"items": [item(n)], "next": f"/feed?p={n}"}))
    result = json_cli(cli, handler)("pull")
    assert result.code == 1 and "more than intake.http.max_pages (5) pages" in result.err
    assert calls[0] == 6 and len(cli.entries()) == 5  # what was read is kept


@pytest.mark.parametrize("body", [{"items": [item(1), item(2)]}, {"submissions": [item(1), item(2)]},
                                  [item(1), item(2)]])
def test_json_default_items_finds_items_submissions_or_a_bare_list(cli: Cli, body: Any) -> None:
    result = json_cli(cli, lambda r: httpx.Response(200, json=body))("pull")
    assert result.code == 0, result.err
    assert set(cli.entries()) == {"json-s-1", "json-s-2"}


BAD_DATES = {"overflow": "0001-01-01T00:00:00+01:00", "year500": "0500-01-01T00:00:00Z",
             "top": "9999-12-31T23:59:59-01:00", "future": "3000-01-01T00:00:00Z", "text": "gestern",
             "epoch": 10 ** 20, "nested": {"date": "2026-01-01"}}


def test_impossible_dates_are_kept_as_invalid_with_the_received_time(cli: Cli) -> None:
    subs = [dict(submission(i), created_at=value) for i, value in enumerate(BAD_DATES.values(), 1)]
    subs.append(submission(20))
    cli.transport = httpx.MockTransport(lambda r: httpx.Response(200, json=subs if "spam" not in str(r.url) else []))
    make_site(cli.root, intake_section(netlify={"api_base": "http://netlify.test/api/v1", "form_id": "form-1"}))
    cli.clock = lambda: dt.datetime(2026, 11, 30, 12, tzinfo=dt.timezone.utc).timestamp()
    result = cli("pull")
    assert result.code == 0 and "Traceback" not in result.err, result.err
    entries = {e["fields"]["name"]: e for e in cli.entries().values()}
    for i in range(1, len(BAD_DATES) + 1):
        entry = entries[f"Person {i}"]
        assert entry["date"] == "2026-11-30T12:00:00Z"
        assert [p for p in entry["invalid"] if p.startswith("date: ")], entry["invalid"]
    assert entries["Person 20"]["date"] == "2026-11-26T08:20:00Z" and not entries["Person 20"]["invalid"]
    for command in ("pull", "list", "stats", "purge"):
        assert cli(command).code == 0
    assert cli("spam", next(iter(cli.entries()))).code == 0


def test_a_date_with_an_offset_is_stored_in_utc_with_four_digit_year(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([dict(submission(1), created_at="1999-12-31T23:30:00-01:00")]))
    assert cli("pull").code == 0
    (entry,) = cli.entries().values()
    assert entry["date"] == "2000-01-01T00:30:00Z" and not entry["invalid"]


def test_same_id_with_different_content_is_kept_apart_and_flagged(cli: Cli) -> None:
    first = submission(1)
    backend = FakeNetlify([first])
    cli.transport = mock_transport(backend)
    assert cli("pull").code == 0
    changed = dict(first, data={**first["data"], "body": "Ganz anderer Text."})
    backend.items = [changed]
    result = cli("pull")
    assert result.code == 0 and "arrived again with different content" in result.err
    entries = cli.entries()
    assert len(entries) == 2
    (derived,) = [k for k in entries if k != f"netlify-{first['id']}"]
    assert KEY.match(derived) and derived.startswith(f"netlify-{first['id']}-v")
    assert entries[derived]["fields"]["body"] == "Ganz anderer Text."
    assert any(p.startswith("duplicate id:") for p in entries[derived]["invalid"])
    assert entries[f"netlify-{first['id']}"]["fields"]["body"] == first["data"]["body"]
    again = cli("pull")  # a re-delivery of either version adds nothing
    backend.items = [first, changed]
    assert again.code == 0 and cli("pull").code == 0 and len(cli.entries()) == 2


def test_same_id_twice_on_one_page_with_different_content(cli: Cli) -> None:
    first = submission(1)
    twin = dict(first, data={**first["data"], "name": "Jemand Anderes"})
    cli.transport = mock_transport(FakeNetlify([first, twin, first]))
    assert cli("pull").code == 0
    assert sorted(e["fields"]["name"] for e in cli.entries().values()) == ["Jemand Anderes", "Person 1"]


def test_long_ids_get_a_derived_key_that_is_still_a_key(cli: Cli) -> None:
    first = dict(submission(1), id="a" * 55)
    backend = FakeNetlify([first])
    cli.transport = mock_transport(backend)
    assert cli("pull").code == 0
    backend.items = [dict(first, data={**first["data"], "body": "anders"})]
    assert cli("pull").code == 0
    assert len(cli.entries()) == 2 and all(KEY.match(k) for k in cli.entries())


def test_an_erased_or_purged_entry_never_comes_back_under_any_key(cli: Cli) -> None:
    gone, kept = submission(1), submission(2, name="Bleibt")
    backend = FakeNetlify([gone, kept])
    cli.transport = mock_transport(backend)
    assert cli("pull").code == 0
    assert cli("forget", gone["data"]["email"]).code == 0
    assert cli("reject", f"netlify-{kept['id']}").code == 0
    cli.clock = lambda: dt.datetime(2028, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    assert cli("purge").code == 0  # the rejected entry loses its text
    before = cli.entries()
    backend.items = [dict(s, data={**s["data"], "body": "neu"}) for s in (gone, kept)]
    assert cli("pull").code == 0 and cli.entries() == before
    backend.items = [gone, kept]
    assert cli("pull").code == 0 and cli.entries() == before


class SinceFormspree:
    """Formspree filtering by `since`, newest first, recording each query."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = sorted(items, key=lambda i: i["_date"], reverse=True)
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        q = query(request)
        self.queries.append(q)
        since = q.get("since", "")
        wanted = [i for i in self.items if i["_date"] >= since]
        offset, limit = int(q["offset"]), int(q["limit"])
        return httpx.Response(200, json={"submissions": wanted[offset:offset + limit]})


def test_formspree_since_is_sent_on_every_page_and_order_does_not_matter(cli: Cli) -> None:
    fake = SinceFormspree([formspree_item(i) for i in range(1, 31)])
    since = formspree_item(11)["_date"]
    make_site(cli.root, intake_section(source="formspree", formspree={
        "api_base": "http://fs.test", "form_id": "xyzabc", "limit": 4, "since": since}))
    cli.transport = httpx.MockTransport(fake)
    assert cli("pull").code == 0
    assert {q["since"] for q in fake.queries} == {since}
    assert [int(q["offset"]) for q in fake.queries] == [0, 4, 8, 12, 16, 20]
    listed = cli("list").out.splitlines()[:-1]
    assert [line for line in listed if "Person" in line] == listed and len(listed) == 20
    names = [n for line in listed for n in [f"Person {i}" for i in range(11, 31)] if n + " " in line + " "]
    assert names == [f"Person {i}" for i in range(11, 31)]  # oldest first, though delivered newest first


@pytest.mark.parametrize("url", ["//evil.example/x", "/\\evil.example/", "https://\\evil.example",
                                 "https:/\\evil.example", "https://good.example@evil.example", "https://[::1",
                                 "javascript:alert(1)"])
def test_website_must_be_a_plain_absolute_http_url(url: str) -> None:
    problems = check({"topic": "verkehr", "name": "A", "body": "B", "consent": "ja"}, {"website": url}, Limits(),
                     {"verkehr"})
    assert problems == ["website: not an http(s) URL"]


def test_a_website_that_breaks_the_url_parser_is_data_not_a_crash(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1, website="https://[::1")]))
    result = cli("pull")
    assert result.code == 0, result.err
    (entry,) = cli.entries().values()
    assert "website: not an http(s) URL" in entry["invalid"]



def test_a_page_shifted_whole_by_new_arrivals_is_no_loop(cli: Cli) -> None:
    """As many submissions arrive after page 1 as a page holds: page 2 repeats page 1, and the pull goes on."""
    make_site(cli.root, intake_section(netlify={"api_base": "http://netlify.test/api/v1", "site_id": "site-1",
                                                "per_page": 2, "include_spam": False}))
    backend = FakeNetlify([submission(i) for i in range(1, 6)])
    arrived = {"done": False}

    def arrive(n: int) -> None:
        if n == 3 and not arrived["done"]:  # after the forms lookup and page 1
            arrived["done"] = True
            backend.items[:0] = sorted([submission(6), submission(7)], key=lambda s: s["created_at"], reverse=True)

    backend.on_request = arrive
    cli.transport = mock_transport(backend)
    result = cli("pull")
    assert result.code == 0, result.err
    assert "5 read, 5 new" in result.out  # everything that was there when the pull began
    again = cli("pull")
    assert again.code == 0 and "2 new" in again.out and len(cli.entries()) == 7
