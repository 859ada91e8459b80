"""Properties over any input (Hypothesis): the inbox key of any backend id, and exactly once over any paging."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.entry import KEY
from intake.sources import stable_key
from intake_fakes import TOKEN, FakeNetlify, Reply, mock_transport, submission
from intake_support import Cli, intake_section, make_site

SOURCES = st.sampled_from(["netlify", "formspree", "json"])
IDS = st.one_of(st.text(), st.integers(), st.from_regex(r"[a-z0-9][a-z0-9-]{0,70}", fullmatch=True),
                st.just("h" + "0" * 24))
ITEMS = st.dictionaries(st.text(max_size=5), st.one_of(st.text(max_size=10), st.integers(), st.none()), max_size=3)


@settings(max_examples=200)
@given(SOURCES, st.one_of(st.none(), IDS), ITEMS)
def test_any_backend_id_gives_a_valid_deterministic_key(source: str, raw_id: Any, item: dict[str, Any]) -> None:
    key = stable_key(source, raw_id, item)
    assert KEY.match(key) and key.startswith(source + "-")
    assert stable_key(source, raw_id, dict(item)) == key
    if raw_id not in (None, ""):
        assert stable_key(source, raw_id, {"other": "content"}) == key  # an id wins over the content


@settings(max_examples=200)
@given(SOURCES, st.lists(st.one_of(st.text(min_size=1), st.from_regex(r"[a-z0-9][a-z0-9-]{0,70}", fullmatch=True)),
                         min_size=2, max_size=2, unique=True))
def test_distinct_ids_give_distinct_keys(source: str, ids: list[str]) -> None:
    assert stable_key(source, ids[0], {}) != stable_key(source, ids[1], {})


@settings(max_examples=100)
@given(SOURCES, ITEMS, ITEMS)
def test_without_an_id_the_content_decides(source: str, a: dict[str, Any], b: dict[str, Any]) -> None:
    assert (stable_key(source, None, a) == stable_key(source, None, b)) == (a == b)


class Moving(FakeNetlify):
    """Netlify whose list changes after each page served: new submissions arrive, others are deleted
    by someone else (an editor in the Netlify UI), as the schedule says."""

    def __init__(self, items: list[dict[str, Any]], schedule: list[tuple[int, int]], seed: int) -> None:
        super().__init__(items)
        self.schedule, self.rng, self.next = list(schedule), random.Random(seed), 1000
        self.gone: set[str] = set()

    def answer(self, method: str, path: str, query: dict[str, str]) -> Reply:
        reply = super().answer(method, path, query)
        if method == "GET" and path.endswith("/submissions") and self.schedule:
            arrive, leave = self.schedule.pop(0)
            with self.lock:
                for _ in range(arrive):
                    self.next += 1
                    self.items.insert(0, submission(self.next))
                for _ in range(min(leave, len(self.items))):
                    self.gone.add(self.items.pop(self.rng.randrange(len(self.items)))["id"])
        return reply


NOT_ADVANCING = "pagination does not advance"


@settings(max_examples=50)
@given(st.integers(0, 20), st.integers(1, 8), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), max_size=6),
       st.booleans(), st.integers(0, 100))
def test_exactly_once_whatever_arrives_or_leaves_between_pages(count: int, per_page: int,
                                                               schedule: list[tuple[int, int]], delete: bool,
                                                               seed: int) -> None:
    """A pull may stop early (see NOT_ADVANCING below), never store or delete twice; run again, it ends
    with everything at the backend in the inbox once."""
    backend = Moving([submission(i) for i in range(1, count + 1)], schedule, seed)
    with tempfile.TemporaryDirectory() as tmp:
        site = make_site(Path(tmp) / "site", intake_section(netlify={
            "api_base": "http://netlify.test/api/v1", "site_id": "site-1", "per_page": per_page,
            "delete_after_pull": delete, "include_spam": False}))
        cli = Cli(site, {"NETLIFY_AUTH_TOKEN": TOKEN, "INTAKE_HASH_KEY": "k"}, transport=mock_transport(backend))
        first = cli("pull")
        stored = set(cli.entries())
        assert f": {len(stored)} read, {len(stored)} new" in first.out  # nothing read twice
        # When as many new submissions arrive between requests as a page holds, the next page repeats the
        # last one whole; three such pages in a row look like a loop to the page guard: the pull stops
        # early, keeping what it stored, and deletes nothing.
        assert first.code == 0 or (NOT_ADVANCING in first.err and backend.deleted == []), first.err
        deleted = [f"netlify-{sid}" for sid in backend.deleted]
        assert len(deleted) == len(set(deleted)) and set(deleted) <= stored  # deleted only once it was on disk
        gone = {f"netlify-{sid}" for sid in backend.gone}  # taken away by someone else (a delete finds nothing)
        if delete and first.code == 0:
            assert stored - gone <= set(deleted)
        backend.schedule = []  # the list holds still now: whatever the first pull missed comes now
        again = cli("pull")
        assert again.code == 0, again.err
        everything = set(cli.entries())
        assert {f"netlify-{s['id']}" for s in backend.items} <= everything and stored <= everything
        assert not gone & (everything - stored)
        deleted = [f"netlify-{sid}" for sid in backend.deleted]
        assert len(deleted) == len(set(deleted)) and set(deleted) <= everything
        if delete:
            assert backend.items == [] and everything - gone <= set(deleted)
