"""Unit tests of the small pieces: front matter, schema, markup, dates, calendars, outputs, assets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from sitetest import FIXTURE
from sitegen.core import ical
from sitegen.core.assets import fingerprint
from sitegen.core.dates import event_when, german_date, iso
from sitegen.core.load import load
from sitegen.core.codepoints import strip_forbidden
from sitegen.core.comment_html import comment_to_html
from sitegen.core.outputs import event_jsonld
from sitegen.core.schema import Validator, dotted, text
from sitegen.core.source import SourceError, parse_yaml, split_front_matter
from sitegen.core.threads import count, threads


def test_front_matter_split_and_body_line() -> None:
    head, body, line = split_front_matter("---\ntitle: A\n---\nText\n")
    assert (head, body, line) == ("title: A", "Text\n", 4)
    assert split_front_matter("\ufeff---\n---\n")[0] == ""


def test_yaml_lines_and_safe_loader() -> None:
    value, lines = parse_yaml("a: 1\nb:\n  - c: 2\n", first_line=2)
    assert value == {"a": 1, "b": [{"c": 2}]}
    assert lines[("b", 0, "c")] == 4
    with pytest.raises(SourceError, match="broken YAML"):
        parse_yaml("!!python/object/apply:os.system ['true']\n")


def test_our_loader_reads_what_the_safe_loader_reads(blns: list[str]) -> None:
    import yaml
    from sitegen.core.source import SafeLoader

    docs = ["a: &x hallo\nb: *x\nc: [*x, 1, 2.5, true, null, 2026-01-01, '2026-01-01', !!str 12, !!binary aGk=]\n"
            "d: {<<: {e: 1}, f: g}\n"]
    docs += [yaml.safe_dump({"name": s, "list": [s, {"k": s}]}, allow_unicode=True) for s in blns]
    docs += [f"v: {s}\n" for s in blns]  # unquoted: many are not even YAML

    def load(doc: str, loader: type) -> object:
        try:
            return yaml.load(doc, Loader=loader)
        except yaml.YAMLError as exc:
            return type(exc)

    for doc in docs:
        theirs, ours = load(doc, yaml.SafeLoader), load(doc, SafeLoader)
        assert repr(ours) == repr(theirs), doc


def test_validator_defaults_and_dotted_paths() -> None:
    errors = []
    v = Validator({(): 1}, lambda line, msg, hint: errors.append(msg))
    assert v.mapping({}, {"t": text(default="x")}) == {"t": "x"}
    assert dotted(("documents", 0, "url")) == "documents[1].url"
    assert errors == []


def test_comment_markup_escapes_and_links() -> None:
    html = comment_to_html('<img src=x onerror=alert(1)> https://a.example/x?a=1&b=2.\n\nZwei\nZeilen')
    assert html == ('<p>&lt;img src=x onerror=alert(1)&gt; <a href="https://a.example/x?a=1&amp;b=2" '
                    'rel="nofollow ugc noopener">https://a.example/x?a=1&amp;b=2</a>.</p>\n<p>Zwei<br>\nZeilen</p>')
    assert "<a" not in comment_to_html("javascript:alert(1) data:text/html,x ftp://x")
    assert comment_to_html("<b>ohne Link</b> & 'so'") == "<p>&lt;b&gt;ohne Link&lt;/b&gt; &amp; &#39;so&#39;</p>"
    assert comment_to_html("(siehe https://de.wikipedia.org/wiki/Jena_(Stadt))").count("Jena_(Stadt)</a>)") == 1


def _forbidden(code: int) -> bool:
    """XML 1.0's excluded characters, HTML's controls and noncharacters, spelled out one by one."""
    return (code <= 0x08 or code in (0x0B, 0x0C) or 0x0E <= code <= 0x1F or 0x7F <= code <= 0x9F
            or 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or code % 0x10000 in (0xFFFE, 0xFFFF))


def test_strip_forbidden_drops_exactly_the_forbidden_code_points() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert strip_forbidden(every) == "".join(c for c in every if not _forbidden(ord(c)))
    assert strip_forbidden("Grüße 😀 aus Jena") == "Grüße 😀 aus Jena"
    assert strip_forbidden("a\U0010FFFFb\U0001FFFEc\x00") == "abc"


def test_the_model_pickles_through_its_constructor() -> None:
    """The cache stores topics and comments pickled; every field must come back, in its place."""
    import pickle

    site = load(FIXTURE)
    records = (*site.topics, *site.events, *site.pages, *site.comments)
    assert {type(r).__name__ for r in records} >= {"Topic", "Event", "Page", "Comment"}
    for record in records:
        copy = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == record and type(copy) is type(record)
        assert [getattr(copy, f.name) for f in dataclasses.fields(copy)] == \
            [getattr(record, f.name) for f in dataclasses.fields(record)]


def test_german_dates() -> None:
    start = dt.datetime(2026, 12, 1, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert german_date(dt.date(2026, 3, 5)) == "5. März 2026"
    assert event_when(start, start + dt.timedelta(hours=2)) == "Dienstag, 1. Dezember 2026, 18:00 bis 20:00 Uhr"
    assert iso(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)) == "2026-01-01T00:00:00Z"


def test_ical_folds_at_75_octets_without_splitting_characters() -> None:
    mixed = "aÄ€😀" * 40  # characters of 1, 2, 3 and 4 octets
    for line in ["DESCRIPTION:" + "Ä" * 100, "x" * 75, "x" * 76, "SUMMARY:" + mixed] + \
            ["LOCATION:" + mixed[:n] for n in range(60, 90)]:
        parts = ical.fold(line).split("\r\n")
        assert all(p.startswith(" ") for p in parts[1:])
        chunks = [p[1:] if i else p for i, p in enumerate(parts)]
        assert "".join(chunks) == line
        sizes = [len(c.encode("utf-8")) + (i > 0) for i, c in enumerate(chunks)]
        assert all(size <= 75 for size in sizes)
        # each line is as full as it can be: the next chunk's first character would not have fitted
        assert all(size + len(nxt[0].encode("utf-8")) > 75 for size, nxt in zip(sizes, chunks[1:]))
    assert ical.text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_calendar_has_rfc5545_essentials() -> None:
    site = load(FIXTURE)
    data = ical.calendar(site.events, "T", "https://x.example").decode("utf-8")
    assert data.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and data.endswith("END:VCALENDAR\r\n")
    assert "\n" not in data.replace("\r\n", "")
    assert data.count("BEGIN:VEVENT") == 3 and data.count("BEGIN:VTIMEZONE") == 1
    for key in ("UID:forum@x.example", "DTSTAMP:", "DTSTART;TZID=Europe/Berlin:20261201T180000",
                "DTEND;TZID=Europe/Berlin:20261201T203000", "STATUS:CANCELLED", "STATUS:TENTATIVE",
                "URL:https://x.example/termine/forum/"):
        assert key in data, key
    unfolded = data.replace("\r\n ", "")
    assert "https://x.example/termine/forum/\r\nURL:" in unfolded  # the URL is in DESCRIPTION too
    assert all(len(line.encode()) <= 75 for line in data.split("\r\n"))


def test_jsonld_cannot_close_the_script_element() -> None:
    site = load(FIXTURE)
    event = site.events[0]
    hostile = dataclasses.replace(event, title="</script><script>alert(1)</script>")
    text = str(event_jsonld(site, hostile))
    assert "</script>" not in text and "<" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_threads_nest_and_count() -> None:
    site = load(FIXTURE)
    forest = threads([c for c in site.comments if c.topic == "mobilitaet"])
    assert [t.comment.id for t in forest] == ["k1", "k4"]
    assert forest[0].replies[0].replies[0].comment.id == "k3" and forest[0].replies[0].replies[0].depth == 3
    assert count(forest) == 4


def test_assets_are_fingerprinted_by_content(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("a{}")
    one = fingerprint(tmp_path)
    (tmp_path / "style.css").write_text("b{}")
    two = fingerprint(tmp_path)
    assert one.url("style.css") != two.url("style.css")
    assert one.url("style.css").startswith("/static/style.") and one.url("style.css").endswith(".css")
    with pytest.raises(KeyError):
        one.url("missing.css")


def test_comments_arriving_as_json_give_the_outputs_of_comments_added_whole() -> None:
    """A worker hands back a topic's comments as open-data JSON and publication keys; the feed
    loads the few it shows. Both ways must give the same open data and the same feed."""
    from sitegen.core.model import Comment
    from sitegen.core.outputs import CommentOutputs, public_data, published

    utc = dt.timezone.utc
    by_topic = {topic: tuple(Comment(f"{topic}-{n}", topic, None, f"Name {n}", f"<b>{n}</b> \u2028 \"x\"",
                                     dt.datetime(2026, 1, 1 + n % 7, n % 24, n, tzinfo=utc), None,
                                     dt.datetime(2026, 2, 1, n % 24, n, tzinfo=utc) if n % 2 else None, "r")
                             for n in range(count))
                for topic, count in (("a", 3), ("b", 0), ("c", 24), ("d", 40))}
    whole, parts = CommentOutputs({"title": "T"}, limit=20), CommentOutputs({"title": "T"}, limit=20)
    for topic, comments in by_topic.items():
        whole.add(reversed(comments))  # in any order: open data sorts each topic's comments
        parts.add_public(*public_data(comments), len(comments))
        for c in comments:
            parts.offer(published(c), topic)
    loads: list[str] = []
    assert parts.recent(lambda topic: loads.append(topic) or by_topic[topic]) == whole.recent(by_topic.get)
    assert sorted(loads) == sorted(set(loads))  # each topic loaded once, however many it shows
    everything = [c for comments in by_topic.values() for c in comments]
    assert whole.recent(by_topic.get) == sorted(everything, key=published, reverse=True)[:20]
    assert parts.open_data() == whole.open_data()
    assert parts.open_data_csv() == whole.open_data_csv()
    data = json.loads(whole.buffer.getvalue())
    assert data["count"] == 67 and [c["id"] for c in data["comments"][:3]] == ["a-0", "a-1", "a-2"]


def test_spool_gives_back_what_was_put_by_slug(tmp_path: Path) -> None:
    from sitegen.engine.spool import Spool

    spool = Spool(tmp_path)
    spool.put("b", b"card-b", b"")
    spool.put("a", b"", b"json-a" * 1000)
    spool.put("c", b"card-c", b"json-c")
    assert spool.get("a") == (b"", b"json-a" * 1000) and spool.get("c") == (b"card-c", b"json-c")
    assert spool.get("b") == (b"card-b", b"") and spool.get("x") is None
    spool.close()


def test_paths_in_errors_are_shown_from_the_site_root(tmp_path: Path) -> None:
    """show() takes a shortcut for clean absolute paths under the root; every path shows as abspath
    would make it: relative to the root where it lies inside."""
    import os

    from sitegen.core.errors import Problems

    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    problems = Problems(root)
    base = str(root)
    cases = {
        f"{base}/content/themen/a.md": "content/themen/a.md",
        f"{base}/content/../content/x.md": "content/x.md",
        f"{base}/./content/a.md": "content/a.md",
        f"{base}//content/a.md": "content/a.md",
        f"{base}/content/": "content",
        f"{base}/content/.versteckt.yaml": "content/.versteckt.yaml",
        f"{base}/content/a..b.md": "content/a..b.md",
        f"{base}/content/...": "content/...",
        f"{base}/content/..": ".",
        f"{tmp_path}/elsewhere.md": f"{tmp_path}/elsewhere.md",
    }
    for given, shown in cases.items():
        assert problems.show(given) == shown, given
        assert problems.show(Path(given)) == shown, given
    cwd = os.getcwd()
    try:
        os.chdir(root)
        assert problems.show("content/a.md") == "content/a.md"
    finally:
        os.chdir(cwd)


def test_a_child_is_forked_only_where_it_is_safe_and_a_failed_fork_leaves_the_work_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No fork while another thread runs (it may hold a lock the child would wait for forever);
    a fork that fails gives None, so the caller does the work, and leaves no descriptor open."""
    import os
    import threading

    from sitegen.engine import fork

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not fork.can_fork()
    finally:
        stop.set()
        other.join()
    assert fork.in_child(lambda: [1, "zwei"])() == [1, "zwei"]
    with monkeypatch.context() as m:  # macOS has no affinity call: the machine's cores count
        m.delattr(fork.os, "sched_getaffinity", raising=False)
        m.setattr(fork.threading, "active_count", lambda: 1)  # the suite's own threads aside
        m.setattr(fork.os, "cpu_count", lambda: 2)
        assert fork.can_fork()
        m.setattr(fork.os, "cpu_count", lambda: 1)
        assert not fork.can_fork()
    open_before = len(os.listdir("/proc/self/fd"))

    def no_process() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(fork.os, "fork", no_process)
    assert fork.in_child(lambda: [1])() is None
    assert len(os.listdir("/proc/self/fd")) == open_before


def test_a_cancelled_child_is_stopped_and_gone() -> None:
    """cancel() ends a child whose result is not wanted, however long its work would take, and
    leaves no process and no descriptor behind; the result asked for afterwards is None."""
    import os
    import signal

    from sitegen.engine import fork

    hold_read, hold_write = os.pipe()
    open_before = len(os.listdir("/proc/self/fd"))
    child = fork.in_child(lambda: os.read(hold_read, 1) or 1)  # waits for a byte that never comes
    pid = child.pid

    def stuck(*_: object) -> None:
        os.kill(pid, signal.SIGKILL)  # the test fails, and leaves no process waiting forever
        raise AssertionError("cancel() did not stop the child")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(30)  # a cancel that waits for the child instead of stopping it would wait forever
    try:
        child.cancel()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left
    assert len(os.listdir("/proc/self/fd")) == open_before
    assert child() is None
    child.cancel()  # twice: nothing more to do
    waiting = fork.in_child(lambda: os.read(hold_read, 1) or 1)
    pid = waiting.pid

    real_fdopen = fork.os.fdopen

    class Interrupted:  # Ctrl-C while waiting for the child's result
        def __init__(self, fd: int, mode: str):
            self.pipe = real_fdopen(fd, mode)

        def __enter__(self) -> "Interrupted":
            return self

        def __exit__(self, *_: object) -> None:
            self.pipe.close()

        def read(self) -> bytes:
            raise KeyboardInterrupt

    fork.os.fdopen = Interrupted
    try:
        with pytest.raises(KeyboardInterrupt):
            waiting()
    finally:
        fork.os.fdopen = real_fdopen
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped all the same
    assert len(os.listdir("/proc/self/fd")) == open_before
    os.close(hold_read)
    os.close(hold_write)


@pytest.mark.parametrize("name,shown", [
    ("Stadt\u202e Jena", "Stadt Jena"), ("\u200bStadt\u2066 Jena\u2069\ufeff", "Stadt Jena"),
    ("Jürgen\u200d", "Jürgen"), ("A\u200dB", "AB"), ("\u0627\u200d\u0628", "\u0627\u200d\u0628"),  # joiner between Arabic letters: kept
    ("Plain ASCII", "Plain ASCII")])
def test_invisible_characters_are_dropped_from_names(name: str, shown: str) -> None:
    """The page's expected text in test_blns.py goes through strip_invisible too, so it cannot catch a change in it."""
    from sitegen.core.codepoints import strip_invisible

    assert strip_invisible(name) == shown


@pytest.mark.parametrize("body,shown", [
    ("a\u202ab\u202bc\u202cd\u202de\u202ef", "abcdef"), ("\u2066x\u2067y\u2068z\u2069", "xyz"),
    ("\u05e9\u05dc\u05d5\u05dd\u200f 1\u200e \u061c", "\u05e9\u05dc\u05d5\u05dd\u200f 1\u200e \u061c"),  # marks: kept
    ("\U0001f469\u200d\U0001f4bb und\u200b so", "\U0001f469\u200d\U0001f4bb und\u200b so"),  # joiners and spaces: a body's own
    ("Plain ASCII", "Plain ASCII")])
def test_bidi_embeddings_overrides_and_isolates_are_dropped_from_bodies(body: str, shown: str) -> None:
    """The page's expected text in test_blns.py goes through strip_reordering too, so it cannot catch a change in it."""
    from sitegen.core.codepoints import strip_reordering

    assert strip_reordering(body) == shown
