"""The form backends' paging, parsing and settings: the gaps the mutation run (bench/mutation.py) found in
intake/sources/ (each backend against httpx.MockTransport answering from a script)."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any, Callable

import httpx
import pytest

from intake.config import HttpPolicy
from intake.errors import ConfigError
from intake.http import Fetcher, FetchError
from intake.sources import base, formspree, jsonapi, netlify, receiver
from intake.sources.base import PageGuard, Submission, dig, flatten, stable_key

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
ENV = {"NETLIFY_AUTH_TOKEN": "tok", "FORMSPREE_API_KEY": "tok", "INTAKE_RECEIVER_TOKEN": "tok", "J": "jt"}
Answer = Callable[[httpx.Request], httpx.Response]


def fetcher(answer: Answer, max_pages: int = 50) -> tuple[Fetcher, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    policy = HttpPolicy(retries=0, max_pages=max_pages)
    return Fetcher(client, policy, sleep=lambda s: None, rng=random.Random(1)), seen


def item(n: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"id{n}", "created_at": "2026-11-29T08:00:00Z", "data": {"name": f"P{n}", "body": "b"}, **extra}


def pages(source: Any) -> list[list[str]]:
    return [[s.key for s in page] for page in source.pages()]


# --- base ---------------------------------------------------------------------------------------------------

def test_a_key_is_source_and_id_only_while_it_fits_a_comment_id() -> None:
    assert stable_key("netlify", 12, {}) == "netlify-12"
    assert stable_key("json", "a" * 59, {}) == "json-" + "a" * 59  # 64 characters: fits
    assert stable_key("json", "a" * 60, {}).startswith("json-h")
    assert len(stable_key("json", "a" * 60, {})) == len("json-h") + 24
    assert stable_key("json", "A", {}).startswith("json-h")  # not a comment id (capital)
    assert stable_key("x", None, {"b": 1, "a": "ü"}) == stable_key("x", None, {"a": "ü", "b": 1})
    assert stable_key("x", "", {"a": 1}) == stable_key("x", None, {"a": 1}) != stable_key("x", None, {"a": 2})
    assert stable_key("x", "\ud800", {}).startswith("x-h")  # a lone surrogate is hashed, not an error


def test_a_form_value_is_flattened_to_text() -> None:
    assert [flatten(v) for v in (None, True, False, 3, 1.5, "t")] == ["", "ja", "", "3", "1.5", "t"]
    assert flatten(["a", None, ["b", True]]) == "a, , b, ja"
    assert flatten({"z": "ü", "a": dt.date(2026, 1, 2)}) == '{"a": "2026-01-02", "z": "ü"}'


def test_dig_follows_dotted_paths_into_mappings_only() -> None:
    assert dig({"a": {"b": {"c": 1}}}, "a.b.c") == 1
    assert dig({"a": [1]}, "a.b") is None and dig({"a": 1}, "x") is None


def test_the_page_guard_stops_after_three_repeat_only_pages_and_at_max_pages() -> None:
    subs = [Submission(key=f"k{n}", source="t", source_id=None, date="d") for n in range(3)]
    guard = PageGuard("http://x", max_pages=6)
    guard.check(subs, "page 1")
    guard.check(subs[:1], "page 2")
    guard.check(subs[1:], "page 3")
    guard.check([], "page 4")  # an empty page is no repeat
    guard.check(subs[:2], "page 5")
    guard.check([], "page 6")
    with pytest.raises(FetchError, match=r"^http://x: more than intake.http.max_pages \(6\) pages"):
        guard.check([], "page 7")
    loop = PageGuard("http://y", max_pages=100)
    loop.check(subs, "page 1")
    loop.check(subs, "page 2")
    loop.check(subs + [Submission(key="new", source="t", source_id=None, date="d")], "page 3")  # resets
    loop.check(subs, "page 4")
    loop.check(subs, "page 5")
    with pytest.raises(FetchError, match=r"^http://y: page 6 repeats only submissions already read, 3 pages in a "
                                         r"row; the pagination does not advance"):
        loop.check(subs, "page 6")


def test_a_token_comes_only_from_the_named_environment_variable() -> None:
    assert base.token({}, "w", "NETLIFY_AUTH_TOKEN", {"NETLIFY_AUTH_TOKEN": " t "}) == "t"
    assert base.token({"token_env": "J"}, "w", "NETLIFY_AUTH_TOKEN", ENV) == "jt"
    assert base.token({}, "w", None, ENV) is None
    with pytest.raises(ConfigError, match=r"^environment variable X \(w.token_env\) is not set; export the API"):
        base.token({"token_env": "X"}, "w", None, {"X": "  "})


# --- netlify -------------------------------------------------------------------------------------------------

def netlify_source(answer: Answer, **settings: Any) -> tuple[netlify.Netlify, list[httpx.Request]]:
    f, seen = fetcher(answer)
    return netlify.build({"site_id": "s1", "api_base": "http://n.test/api/", **settings}, f, ENV, NOW), seen


def netlify_api(forms: Any, ham: list[list[dict]], spam: list[list[dict]] = (), link: bool = False) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/forms"):
            return httpx.Response(200, json=forms)
        if request.method == "DELETE":
            return httpx.Response(204)
        pool = spam if request.url.params.get("state") == "spam" else ham
        n = int(request.url.params["page"])
        headers = {"Link": '<http://n.test/next>; rel="next"'} if link and n < len(pool) else (
            {"Link": '<http://n.test/prev>; rel="prev"'} if link else {})
        return httpx.Response(200, json=pool[n - 1] if n <= len(pool) else [], headers=headers)
    return answer


def test_netlify_finds_the_form_by_name_and_reads_ham_then_spam_until_a_short_page() -> None:
    forms = [{"id": 7, "name": "andere"}, "kaputt", {"id": 9, "name": "kommentare"}]
    source, seen = netlify_source(netlify_api(forms, [[item(1), item(2)], [item(3)]], [[item(4, data=None)]]),
                                  per_page=2)
    got = list(source.pages())
    assert [[s.key for s in p] for p in got] == [["netlify-id1", "netlify-id2"], ["netlify-id3"], ["netlify-id4"]]
    assert [str(r.url) for r in seen] == [
        "http://n.test/api/sites/s1/forms", "http://n.test/api/forms/9/submissions?page=1&per_page=2",
        "http://n.test/api/forms/9/submissions?page=2&per_page=2",
        "http://n.test/api/forms/9/submissions?page=1&per_page=2&state=spam"]
    assert seen[0].headers["authorization"] == "Bearer tok"
    assert seen[0].headers["user-agent"] == "zukunftsthemen-intake"
    assert [s.flagged_spam for p in got for s in p] == [False, False, False, True]
    assert got[2][0].data == {} and got[0][0].data == {"name": "P1", "body": "b"} and got[0][0].source_id == "id1"
    assert got[0][0].date == "2026-11-29T08:00:00Z" and got[0][0].problems == () and got[0][0].source == "netlify"


def test_netlify_follows_a_link_header_over_short_pages_and_stops_without_next() -> None:
    source, seen = netlify_source(netlify_api([], [[item(1)], [item(2)]], link=True), form_id="f", per_page=5,
                                  include_spam=False)
    assert pages(source) == [["netlify-id1"], ["netlify-id2"]]
    assert len(seen) == 2 and "state" not in seen[0].url.params


def test_netlify_stops_on_an_empty_page_even_with_a_next_link() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[], headers={"Link": '<http://n.test/next>; rel="next"'})
    source, seen = netlify_source(answer, form_id="f", include_spam=False)
    assert pages(source) == [[]] and len(seen) == 1


def test_netlify_names_the_forms_there_when_the_name_is_wrong() -> None:
    source, _ = netlify_source(netlify_api([{"id": 1, "name": "b"}, {"id": 2, "name": "a"}], []))
    with pytest.raises(FetchError, match=r"^no form named 'kommentare' on site s1 \(forms there: a, b\); check "
                                         r"intake.netlify.form_name$"):
        pages(source)
    source, _ = netlify_source(netlify_api([], []))
    with pytest.raises(FetchError, match=r"\(forms there: none\)"):
        pages(source)
    source, _ = netlify_source(netlify_api({"forms": []}, []))
    with pytest.raises(FetchError, match=r"^http://n.test/api/sites/s1/forms: expected a list of forms$"):
        pages(source)


def test_netlify_refuses_an_answer_that_is_no_list_or_holds_no_objects() -> None:
    source, _ = netlify_source(lambda r: httpx.Response(200, json={"a": 1}), form_id="f")
    with pytest.raises(FetchError, match=r"^http://n.test/api/forms/f/submissions page 1: expected a list"):
        pages(source)
    source, _ = netlify_source(lambda r: httpx.Response(200, json=["x"]), form_id="f")
    with pytest.raises(FetchError, match=r"^unexpected submission in Netlify response: str$"):
        pages(source)


def test_netlify_keeps_an_impossible_date_as_a_problem_and_a_missing_id_as_none() -> None:
    source, _ = netlify_source(lambda r: httpx.Response(200, json=[]), form_id="f")
    sub = source.parse({"created_at": "gestern", "data": {"name": "x"}}, False)
    assert sub.source_id is None and sub.key.startswith("netlify-h") and len(sub.problems) == 1


def test_netlify_deletes_by_id_only_where_there_is_one() -> None:
    source, seen = netlify_source(lambda r: httpx.Response(204), form_id="f", delete_after_pull=True)
    assert source.can_delete
    source.delete(Submission(key="k", source="netlify", source_id=None, date="d"))
    source.delete(Submission(key="k", source="netlify", source_id="abc", date="d"))
    assert [(r.method, str(r.url)) for r in seen] == [("DELETE", "http://n.test/api/submissions/abc")]


@pytest.mark.parametrize("settings, message", [
    ({"site_id": None}, r"^intake.netlify.site_id: required \(or give intake.netlify.form_id directly\)$"),
    ({"per_page": 0}, r"^intake.netlify.per_page: expected 1..1000, got 0$"),
    ({"per_page": 1001}, r"^intake.netlify.per_page: expected 1..1000, got 1001$"),
    ({"include_spam": "ja"}, r"^intake.netlify.include_spam: expected true or false, got 'ja'$"),
    ({"delete_after_pull": 1}, r"^intake.netlify.delete_after_pull: expected true or false, got 1$"),
])
def test_netlify_settings_are_checked(settings: dict, message: str) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=message):
        netlify.build({"site_id": "s1", **settings}, f, ENV, NOW)


def test_netlify_defaults() -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    source = netlify.build({"form_id": "f", "per_page": 1000}, f, ENV, NOW)
    assert (source.api, source.form_name, source.per_page, source.include_spam, source.can_delete) == (
        "https://api.netlify.com/api/v1", "kommentare", 1000, True, False)
    assert netlify.build({"site_id": "s", "per_page": 1}, f, ENV, NOW).per_page == 1
    assert netlify.build({"site_id": "s"}, f, ENV, NOW).per_page == 100


# --- formspree -----------------------------------------------------------------------------------------------

def formspree_source(answer: Answer, **settings: Any) -> tuple[formspree.Formspree, list[httpx.Request]]:
    f, seen = fetcher(answer)
    return formspree.build({"form_id": "abc", "api_base": "http://f.test/", **settings}, f, ENV, NOW), seen


def test_formspree_pages_by_offset_with_since_until_a_short_page() -> None:
    data = [{"_date": "2026-11-29T08:00:00Z", "name": f"P{n}", "_hidden": "x", "_gotcha": "", "n": n}
            for n in range(5)]

    def answer(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return httpx.Response(200, json={"submissions": data[offset:offset + limit]})

    source, seen = formspree_source(answer, limit=2, since="2026-11-01")
    got = list(source.pages())
    assert [len(p) for p in got] == [2, 2, 1]
    assert [str(r.url) for r in seen][:2] == [
        "http://f.test/api/0/forms/abc/submissions?limit=2&offset=0&since=2026-11-01",
        "http://f.test/api/0/forms/abc/submissions?limit=2&offset=2&since=2026-11-01"]
    first = got[0][0]
    assert first.data == {"name": "P0", "_gotcha": "", "n": "0"} and first.source_id is None
    assert first.date == "2026-11-29T08:00:00Z" and first.key.startswith("formspree-h") and not first.problems
    assert seen[0].headers["authorization"] == "Bearer tok" and not source.can_delete
    source.delete(first)  # not supported: nothing is sent
    assert len(seen) == 3


def test_formspree_without_since_sends_none_and_an_exact_page_asks_once_more() -> None:
    source, seen = formspree_source(lambda r: httpx.Response(200, json={"submissions": [{"a": 1}] if
                                                                        r.url.params["offset"] == "0" else []}),
                                    limit=1)
    assert [len(p) for p in source.pages()] == [1, 0]
    assert "since" not in seen[0].url.params


def test_formspree_refuses_what_is_not_its_answer() -> None:
    for body in ([], {"submissions": {}}):
        source, _ = formspree_source(lambda r, body=body: httpx.Response(200, json=body))
        with pytest.raises(FetchError, match=r"^http://f.test/api/0/forms/abc/submissions: expected an object "
                                             r"with a `submissions` list$"):
            pages(source)
    source, _ = formspree_source(lambda r: httpx.Response(200, json={"submissions": [3]}))
    with pytest.raises(FetchError, match=r"^unexpected submission in Formspree response: int$"):
        pages(source)


@pytest.mark.parametrize("settings, message", [
    ({"form_id": None}, r"^intake.formspree.form_id: required \(the hashid in your form's endpoint URL\)$"),
    ({"limit": 0}, r"^intake.formspree.limit: expected 1..1000, got 0$"),
    ({"limit": 1001}, r"^intake.formspree.limit: expected 1..1000, got 1001$"),
])
def test_formspree_settings_are_checked(settings: dict, message: str) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=message):
        formspree.build({"form_id": "abc", **settings}, f, ENV, NOW)


def test_formspree_defaults() -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    source = formspree.build({"form_id": "abc"}, f, ENV, NOW)
    assert (source.url, source.limit, source.since) == ("https://formspree.io/api/0/forms/abc/submissions", 100, None)
    assert formspree.build({"form_id": "abc", "limit": 1000}, f, ENV, NOW).limit == 1000
    assert formspree.build({"form_id": "abc", "limit": 1}, f, ENV, NOW).limit == 1


# --- json ----------------------------------------------------------------------------------------------------

def json_source(answer: Answer, **settings: Any) -> tuple[jsonapi.JsonEndpoint, list[httpx.Request]]:
    f, seen = fetcher(answer)
    return jsonapi.build({"url": "http://j.test/subs", **settings}, f, ENV, NOW), seen


def test_json_follows_next_in_the_body_then_a_link_header_on_the_same_origin() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/subs":
            return httpx.Response(200, json={"submissions": [item(1)], "next": "/subs2"})
        if path == "/subs2":
            return httpx.Response(200, json={"items": [item(2)]}, headers={"Link": '</subs3>; rel="next"'})
        return httpx.Response(200, json=[item(3)])

    source, seen = json_source(answer, token_env="J")
    assert pages(source) == [["json-id1"], ["json-id2"], ["json-id3"]]
    assert [str(r.url) for r in seen] == ["http://j.test/subs", "http://j.test/subs2", "http://j.test/subs3"]
    assert seen[0].headers["authorization"] == "Bearer jt" and seen[0].headers["user-agent"] == "zukunftsthemen-intake"


def test_json_without_a_token_sends_none_and_an_empty_page_ends() -> None:
    source, seen = json_source(lambda r: httpx.Response(200, json={"submissions": [], "next": "/more"}))
    assert pages(source) == [[]] and len(seen) == 1 and "authorization" not in seen[0].headers


def test_json_refuses_a_loop_and_another_host() -> None:
    source, _ = json_source(lambda r: httpx.Response(200, json={"submissions": [item(1)], "next": "/subs"}))
    with pytest.raises(FetchError, match=r"^http://j.test/subs: pagination loops back to a page already read$"):
        pages(source)
    source, _ = json_source(lambda r: httpx.Response(200, json={"submissions": [item(1)],
                                                                "next": "http://evil.test/subs"}))
    with pytest.raises(FetchError, match=r"^http://j.test/subs: the next page is on another host "
                                         r"\(http://evil.test/subs\); not followed"):
        pages(source)


def test_json_items_path_and_field_mapping() -> None:
    body = {"result": {"rows": [{"uid": 5, "when": {"at": "2026-11-29T08:00:00Z"}, "who": {"n": "Ann"},
                                 "text": "T", "topic": None}]}}
    source, _ = json_source(lambda r: httpx.Response(200, json=body), items="result.rows", id_field="uid",
                            date_field="when.at", fields={"name": "who.n", "body": "text"})
    (sub,), = list(source.pages())
    assert (sub.key, sub.source_id, sub.date, sub.problems) == ("json-5", "5", "2026-11-29T08:00:00Z", ())
    assert sub.data == {"name": "Ann", "body": "T"}
    source, _ = json_source(lambda r: httpx.Response(200, json={"result": {}}), items="result.rows")
    with pytest.raises(FetchError, match=r"^http://j.test/subs: no list of submissions \(check intake.json.items\)$"):
        pages(source)
    source, _ = json_source(lambda r: httpx.Response(200, json=[1]))
    with pytest.raises(FetchError, match=r"^unexpected submission in JSON response: int$"):
        pages(source)


def test_json_without_an_id_hashes_the_item() -> None:
    source, _ = json_source(lambda r: httpx.Response(200, json=[{"name": "x"}]))
    (sub,), = list(source.pages())
    assert sub.source_id is None and sub.key.startswith("json-h")
    assert (sub.date, sub.problems) == ("2026-11-30T10:00:00Z", ())  # no date: the time of the pull


@pytest.mark.parametrize("settings, message", [
    ({"url": None}, r"^intake.json.url: required, an http\(s\) URL$"),
    ({"url": "ftp://j.test"}, r"^intake.json.url: required, an http\(s\) URL$"),
    ({"fields": {"farbe": "x"}}, r"^intake.json.fields.farbe: unknown field \(ours are: topic, parent, name, "),
])
def test_json_settings_are_checked(settings: dict, message: str) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=message):
        jsonapi.build({"url": "https://j.test", **settings}, f, ENV, NOW)


def test_json_defaults() -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    source = jsonapi.build({"url": "https://j.test", "fields": {"name": None}}, f, ENV, NOW)
    assert (source.items, source.id_field, source.date_field, source.next_field) == (None, "id", "created_at", "next")
    assert source.fields == {name: name for name in jsonapi.OUR_FIELDS} and not source.can_delete


# --- receiver ------------------------------------------------------------------------------------------------

RID = "0123456789abcdef01234567"


def rec(seq: int, rid: str = RID, **extra: Any) -> dict[str, Any]:
    return {"id": rid[:-2] + f"{seq:02d}", "seq": seq, "received_at": "2026-11-29T08:00:00Z",
            "data": {"name": "R", "n": seq}, **extra}


def receiver_source(answer: Answer, **settings: Any) -> tuple[receiver.Receiver, list[httpx.Request]]:
    f, seen = fetcher(answer)
    return receiver.build({"url": "http://r.test/", **settings}, f, ENV, NOW), seen


def test_the_receiver_pages_by_the_last_seq_until_no_next() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params["after"])
        rows = [rec(n) for n in range(after + 1, min(after + 3, 6))]
        return httpx.Response(200, json={"submissions": rows, "next": bool(rows) and rows[-1]["seq"] < 5})

    source, seen = receiver_source(answer, per_page=2)
    got = list(source.pages())
    assert [[s.source_id[-2:] for s in p] for p in got] == [["01", "02"], ["03", "04"], ["05"]]
    assert [str(r.url) for r in seen] == [f"http://r.test/api/submissions?after={a}&limit=2" for a in (0, 2, 4)]
    assert got[0][0].key == f"receiver-{RID[:-2]}01" and got[0][0].data == {"name": "R", "n": "1"}
    assert got[0][0].date == "2026-11-29T08:00:00Z" and got[0][0].source == "receiver"
    assert seen[0].headers["authorization"] == "Bearer tok"


def test_the_receiver_must_advance_its_cursor() -> None:
    source, _ = receiver_source(lambda r: httpx.Response(200, json={"submissions": [rec(0)], "next": True}))
    with pytest.raises(FetchError, match=r"^http://r.test/api/submissions: the page after 0 does not advance$"):
        pages(source)
    source, seen = receiver_source(lambda r: httpx.Response(200, json={"submissions": [], "next": True}))
    assert pages(source) == [[]] and len(seen) == 1


@pytest.mark.parametrize("row", [rec(1, rid="x" * 24), {**rec(1), "data": []}, {**rec(1), "seq": "1"},
                                 {**rec(1), "seq": True}, "row"])
def test_the_receiver_refuses_a_row_it_did_not_write(row: Any) -> None:
    source, _ = receiver_source(lambda r: httpx.Response(200, json={"submissions": [row]}))
    with pytest.raises(FetchError, match=r"^http://r.test: unexpected submission in the receiver's answer$"):
        pages(source)
    source, _ = receiver_source(lambda r: httpx.Response(200, json=[row]))
    with pytest.raises(FetchError, match=r"expected an object with a `submissions` list$"):
        pages(source)


def test_the_receiver_deletes_in_one_batch_or_one_by_one() -> None:
    source, seen = receiver_source(lambda r: httpx.Response(200, json={}))
    subs = [Submission(key="k", source="receiver", source_id=s, date="d") for s in ("a1", "b2")]
    assert source.delete_many(subs) == 2
    source.delete(subs[0])
    assert [(r.method, str(r.url)) for r in seen] == [("POST", "http://r.test/api/submissions/delete"),
                                                       ("DELETE", "http://r.test/api/submissions/a1")]
    assert json.loads(seen[0].content) == {"ids": ["a1", "b2"]}


@pytest.mark.parametrize("settings, message", [
    ({"url": "r.test"}, r"^intake.receiver.url: required for `pull`"),
    ({"delete_after_pull": "ja"}, r"^intake.receiver.delete_after_pull: expected true or false, got 'ja'$"),
    ({"per_page": 0}, r"^intake.receiver.per_page: expected 1..5000, got 0$"),
    ({"per_page": 5001}, r"^intake.receiver.per_page: expected 1..5000, got 5001$"),
    ({"per_page": True}, r"^intake.receiver.per_page: expected 1..5000, got True$"),
    ({"per_page": 2.0}, r"^intake.receiver.per_page: expected 1..5000, got 2.0$"),
])
def test_the_receiver_settings_are_checked(settings: dict, message: str) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=message):
        receiver.build({"url": "https://r.test", **settings}, f, ENV, NOW)


def test_the_receiver_defaults() -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    source = receiver.build({"url": "https://r.test//"}, f, ENV, NOW)
    assert (source.url, source.per_page, source.can_delete) == ("https://r.test", 500, True)
    assert receiver.build({"url": "http://r.test", "per_page": 5000}, f, ENV, NOW).per_page == 5000
    assert receiver.build({"url": "http://r.test", "per_page": 1}, f, ENV, NOW).per_page == 1


def test_keys_are_the_same_in_every_version() -> None:
    """A submission without an id is known again only by its content's hash: a later pull must compute the same."""
    import hashlib
    assert stable_key("json", "A", {"x": 1}) == "json-h" + hashlib.sha256(b"A").hexdigest()[:24]
    content = {"name": "Jörg", "a": 1}
    basis = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    assert stable_key("formspree", None, content) == "formspree-h" + hashlib.sha256(basis).hexdigest()[:24]


def test_a_token_variable_that_is_missing_or_named_wrongly_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"^environment variable NETLIFY_AUTH_TOKEN \(w.token_env\) is not set; "
                                          r"export the API token there$"):
        base.token({}, "w", "NETLIFY_AUTH_TOKEN", {})
    with pytest.raises(ConfigError, match=r"^intake.netlify.token_env: expected a non-empty string, got \[1\]$"):
        base.token({"token_env": [1]}, "intake.netlify", None, ENV)


def test_the_page_guard_sees_the_same_page_again_and_again_and_remembers_every_page() -> None:
    subs = [Submission(key=f"k{n}", source="t", source_id=None, date="d") for n in range(3)]
    same = PageGuard("http://z", max_pages=100)
    for n in range(1, 4):
        same.check(subs, f"page {n}")
    with pytest.raises(FetchError, match="page 4 repeats only submissions already read"):
        same.check(subs, "page 4")
    old = PageGuard("http://z", max_pages=100)
    old.check(subs[:2], "page 1")
    old.check(subs[2:], "page 2")
    for n in range(3, 5):
        old.check(subs[:1], f"page {n}")  # read two pages ago: still a repeat
    with pytest.raises(FetchError, match="page 5 repeats only"):
        old.check(subs[:1], "page 5")


def test_more_pages_than_max_pages_is_worded_for_the_editor() -> None:
    guard = PageGuard("http://x", max_pages=1)
    guard.check([], "page 1")
    with pytest.raises(FetchError) as caught:
        guard.check([], "page 2")
    assert str(caught.value) == ("http://x: more than intake.http.max_pages (1) pages; the backend's pagination "
                                 "does not end (what was read so far is stored)")


def test_netlify_sends_the_token_with_every_request_and_reads_spam_after_a_linked_last_page() -> None:
    source, seen = netlify_source(netlify_api([], [[item(1)], [item(2)]], [[item(3)]], link=True), form_id="f",
                                  per_page=5, delete_after_pull=True)
    assert pages(source) == [["netlify-id1"], ["netlify-id2"], ["netlify-id3"]]
    source.delete(Submission(key="k", source="netlify", source_id="abc", date="d"))
    assert [r.headers.get("authorization") for r in seen] == ["Bearer tok"] * 4


def test_netlify_names_the_looping_page_and_its_state() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[item(1)], headers={"Link": '<http://n.test/next>; rel="next"'})
    source, _ = netlify_source(answer, form_id="f")
    with pytest.raises(FetchError, match=r"^http://n.test/api/forms/f/submissions: page 4 repeats only"):
        pages(source)
    source, _ = netlify_source(lambda r: httpx.Response(
        200, json=[] if "state" not in r.url.params else [item(1)],
        headers={"Link": '<http://n.test/next>; rel="next"'}), form_id="f")
    with pytest.raises(FetchError, match=r"^http://n.test/api/forms/f/submissions: page 4 \(spam\) repeats only"):
        pages(source)


def test_netlify_submissions_without_an_id_are_told_apart_by_content() -> None:
    source, _ = netlify_source(lambda r: httpx.Response(200, json=[]), form_id="f")
    a = source.parse({"data": {"name": "a"}}, False)
    b = source.parse({"data": {"name": "b"}}, False)
    assert a.key != b.key


@pytest.mark.parametrize("key, value", [("site_id", [1]), ("form_id", [1]), ("api_base", [1]), ("form_name", [1]),
                                        ("per_page", 2.5), ("token_env", [1])])
def test_netlify_settings_of_the_wrong_type_name_their_key(key: str, value: object) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=f"^intake.netlify.{key}: "):
        netlify.build({"site_id": "s1", key: value}, f, ENV, NOW)


def test_formspree_submissions_carry_their_source_and_date_problem_and_differ_by_content() -> None:
    source, seen = formspree_source(lambda r: httpx.Response(200, json={"submissions": [
        {"_date": "gestern", "name": "a"}, {"name": "b"}]}))
    (a, b), = list(source.pages())
    assert (a.source, b.source) == ("formspree", "formspree") and a.key != b.key
    assert len(a.problems) == 1 and b.problems == () and isinstance(b.problems, tuple)
    assert seen[0].headers["user-agent"] == "zukunftsthemen-intake"


def test_formspree_names_the_looping_page_by_its_offset() -> None:
    source, _ = formspree_source(lambda r: httpx.Response(200, json={"submissions": [{"name": "a"}]}), limit=1)
    with pytest.raises(FetchError, match=r"^http://f.test/api/0/forms/abc/submissions: the page at offset 3 repeats "
                                         r"only submissions already read"):
        pages(source)


@pytest.mark.parametrize("key, value", [("form_id", [1]), ("api_base", [1]), ("limit", 2.5), ("since", [1]),
                                        ("token_env", [1])])
def test_formspree_settings_of_the_wrong_type_name_their_key(key: str, value: object) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=f"^intake.formspree.{key}: "):
        formspree.build({"form_id": "abc", key: value}, f, ENV, NOW)


def test_json_follows_a_configured_next_field() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/subs":
            return httpx.Response(200, json={"submissions": [item(1)], "weiter": "/subs2", "next": "/falsch"})
        return httpx.Response(200, json={"submissions": []})
    source, seen = json_source(answer, next_field="weiter")
    assert pages(source) == [["json-id1"], []] and str(seen[1].url) == "http://j.test/subs2"


def test_json_names_a_loop_of_new_addresses_by_the_page_and_a_foreign_next_in_full() -> None:
    source, _ = json_source(lambda r: httpx.Response(200, json={"submissions": [item(1)],
                                                                "next": f"{r.url.path}x"}))
    with pytest.raises(FetchError, match=r"^http://j.test/subs: http://j.test/subsxxx repeats only submissions"):
        pages(source)
    source, _ = json_source(lambda r: httpx.Response(200, json={"submissions": [item(1)], "next": "http://b.test/"}))
    with pytest.raises(FetchError) as caught:
        pages(source)
    assert str(caught.value) == ("http://j.test/subs: the next page is on another host (http://b.test/); not followed, "
                                 "the token goes only to the configured host")


def test_json_without_a_list_under_either_usual_name_says_so() -> None:
    source, _ = json_source(lambda r: httpx.Response(200, json={"submissions": {}, "foo": []}))
    with pytest.raises(FetchError, match="no list of submissions"):
        pages(source)


def test_json_submissions_carry_source_date_problem_and_content_keys() -> None:
    source, _ = json_source(lambda r: httpx.Response(200, json=[{"name": "a", "created_at": "gestern"},
                                                                {"name": "b"}]))
    (a, b), = list(source.pages())
    assert (a.source, b.source) == ("json", "json") and a.key != b.key and len(a.problems) == 1


@pytest.mark.parametrize("settings, key", [({"url": [1]}, "url"), ({"fields": "x"}, "fields"),
                                           ({"fields": {"name": [1]}}, "fields.name"), ({"token_env": [1]}, "token_env"),
                                           ({"items": [1]}, "items"), ({"id_field": [1]}, "id_field"),
                                           ({"date_field": [1]}, "date_field"), ({"next_field": [1]}, "next_field")])
def test_json_settings_of_the_wrong_type_name_their_key(settings: dict, key: str) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=f"^intake.json.{key}: "):
        jsonapi.build({"url": "https://j.test", **settings}, f, ENV, NOW)


def test_the_receiver_sends_token_and_agent_everywhere_and_keeps_date_problems() -> None:
    rows = [rec(1), {**rec(2), "received_at": "gestern"}]
    source, seen = receiver_source(lambda r: httpx.Response(200, json={"submissions": rows, "next": False}))
    (a, b), = list(source.pages())
    assert a.problems == () and len(b.problems) == 1
    source.delete(a)
    assert [(r.headers["authorization"], r.headers["user-agent"]) for r in seen] == [
        ("Bearer tok", "zukunftsthemen-intake")] * 2


def test_the_receiver_names_a_page_that_repeats_only_what_was_read() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params["after"])
        return httpx.Response(200, json={"submissions": [{**rec(1), "seq": after + 1}], "next": True})
    source, _ = receiver_source(answer)
    with pytest.raises(FetchError, match=r"^http://r.test/api/submissions: the page after 3 repeats only"):
        pages(source)


@pytest.mark.parametrize("settings, message", [
    ({"url": None}, r"^intake.receiver.url: required for `pull`: the receiver's address, e.g. "
                    r"https://kommentare.stadt.example$"),
    ({"url": [1]}, r"^intake.receiver.url: expected a non-empty string"),
    ({"token_env": [1]}, r"^intake.receiver.token_env: ")])
def test_the_receiver_settings_name_their_key(settings: dict, message: str) -> None:
    f, _ = fetcher(lambda r: httpx.Response(200))
    with pytest.raises(ConfigError, match=message):
        receiver.build({"url": "https://r.test", **settings}, f, ENV, NOW)
