"""Each source against a real local HTTP server with faults on the wire; the 1,000-submission acceptance run."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from intake_support import Cli, intake_section, make_site
from intake_fakes import Backend, Faults, FakeFormspree, FakeNetlify, Reply, as_json, formspree_item, serve, submission

WIRE_FAULTS = Faults(seed=11, fail_rate=0.25, rate_limit_every=6, slow_every=23, slow_seconds=0.4)
FAST_HTTP = {"timeout": 0.2, "connect_timeout": 1, "retries": 8, "backoff_base": 0.001, "backoff_max": 0.004}


@pytest.fixture
def server_for() -> Iterator:
    """Start a real server for a backend; stopped at the end of the test."""
    running = []

    def start(backend: Backend):
        gen = serve(backend)
        running.append(gen)
        return next(gen)

    yield start
    for gen in running:
        next(gen, None)


def pulled_names(cli: Cli) -> list[str]:
    return sorted(e["fields"]["name"] for e in cli.entries().values())


def test_netlify_over_the_wire_with_faults(server_for, site: Path, env: dict[str, str]) -> None:
    subs = [submission(i) for i in range(1, 121)]
    backend = FakeNetlify(subs, [submission(500)], faults=WIRE_FAULTS)
    server = server_for(backend)
    make_site(site, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1",
                                            "per_page": 7, "delete_after_pull": True}, http=FAST_HTTP))
    cli = Cli(site, env)
    result = cli("pull")
    assert result.code == 0, result.err
    assert pulled_names(cli) == sorted(f"Person {i}" for i in [*range(1, 121), 500])
    assert {"429", "500", "502", "truncate", "reset", "slow"} <= set(backend.fault_log)
    assert backend.items == [] and backend.spam == []


def test_netlify_pagination_edges(server_for, site: Path, env: dict[str, str]) -> None:
    # exactly two full pages, no Link headers: the empty third page ends the run
    backend = FakeNetlify([submission(i) for i in range(1, 21)], links=False)
    server = server_for(backend)
    make_site(site, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1",
                                            "per_page": 10, "include_spam": False}))
    cli = Cli(site, env)
    assert cli("pull").code == 0 and len(cli.entries()) == 20
    assert sum("page=3" in s for s in backend.served) == 1
    # the server caps per_page below what we asked: its Link header, not the short page, decides
    capped = FakeNetlify([submission(i) for i in range(100, 135)], max_per_page=4)
    server2 = server_for(capped)
    make_site(site, intake_section(netlify={"api_base": f"{server2.url}/api/v1", "site_id": "site-1",
                                            "per_page": 10, "include_spam": False}))
    assert cli("pull").code == 0 and len(cli.entries()) == 55


def test_netlify_unknown_form_and_bad_token(server_for, site: Path, env: dict[str, str]) -> None:
    server = server_for(FakeNetlify([submission(1)]))
    make_site(site, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1",
                                            "form_name": "kontakt"}))
    cli = Cli(site, env)
    missing = cli("pull")
    assert missing.code == 1 and "no form named 'kontakt'" in missing.err and "newsletter" in missing.err
    cli.env = {**env, "NETLIFY_AUTH_TOKEN": "wrong"}
    make_site(site, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1"}))
    denied = cli("pull")
    assert denied.code == 1 and "HTTP 401" in denied.err and "token rejected" in denied.err
    assert "wrong" not in denied.err + denied.out


def test_formspree_over_the_wire_with_faults(server_for, site: Path, env: dict[str, str]) -> None:
    items = [formspree_item(i) for i in range(1, 58)]
    backend = FakeFormspree(items, faults=WIRE_FAULTS)
    server = server_for(backend)
    make_site(site, intake_section(source="formspree", formspree={"api_base": server.url, "form_id": "xyzabc",
                                                                  "limit": 10}, http=FAST_HTTP))
    cli = Cli(site, env)
    assert cli("pull").code == 0
    first = cli.entries()
    assert pulled_names(cli) == sorted(f"Person {i}" for i in range(1, 58))
    assert all(k.startswith("formspree-h") for k in first)
    assert cli("pull").code == 0 and cli.entries() == first  # content hash keys are stable


class FakeJson(Backend):
    """A generic endpoint: {"results": [...], "next": "/feed?page=n"} with its own field names."""

    def __init__(self, items: list[dict], faults: Faults) -> None:
        super().__init__(faults)
        self.items = items

    def answer(self, method: str, path: str, query: dict[str, str]) -> Reply:
        page = int(query.get("page", 1))
        chunk = self.items[(page - 1) * 6: page * 6]
        more = page * 6 < len(self.items)
        return as_json({"results": chunk, "next": f"/feed?page={page + 1}" if more else None})


def test_json_endpoint_over_the_wire_with_mapping(server_for, site: Path, env: dict[str, str]) -> None:
    items = [{"uuid": f"u-{i}", "when": f"2026-11-26T09:{i:02d}:00+01:00",
              "payload": {"thema": "verkehr", "author": f"Person {i}", "text": f"Beitrag {i}", "ok": True}}
             for i in range(1, 40)]
    server = server_for(FakeJson(items, WIRE_FAULTS))
    make_site(site, intake_section(source="json", json={
        "url": f"{server.url}/feed?page=1", "token_env": "FEED_TOKEN", "items": "results", "id_field": "uuid",
        "date_field": "when", "fields": {"topic": "payload.thema", "name": "payload.author", "body": "payload.text",
                                          "consent": "payload.ok"}}, http=FAST_HTTP))
    cli = Cli(site, {**env, "FEED_TOKEN": "test-token"})
    result = cli("pull")
    assert result.code == 0, result.err
    entries = cli.entries()
    assert set(entries) == {f"json-u-{i}" for i in range(1, 40)}
    assert entries["json-u-1"]["date"] == "2026-11-26T08:01:00Z"
    assert all(e["status"] == "pending" and not e["invalid"] for e in entries.values())


def test_acceptance_1000_submissions_15_percent_failures_every_7th_rate_limited(
        server_for, site: Path, env: dict[str, str]) -> None:
    subs = [submission(i) for i in range(1, 1001)]
    backend = FakeNetlify(subs, faults=Faults(seed=2026, fail_rate=0.15, rate_limit_every=7))
    server = server_for(backend)
    # No slow faults here, so a generous time-out: a healthy answer late on a loaded machine must not
    # add a retry that the fault log does not count.
    make_site(site, intake_section(netlify={"api_base": f"{server.url}/api/v1", "site_id": "site-1",
                                            "per_page": 20, "include_spam": False},
                                   http={**FAST_HTTP, "timeout": 30}))
    cli = Cli(site, env)
    result = cli("pull")
    assert result.code == 0, result.err
    assert set(cli.entries()) == {f"netlify-{s['id']}" for s in subs}
    assert backend.fault_log.count("429") == backend.requests // 7
    assert len([k for k in backend.fault_log if k != "429"]) > 0
    assert len(cli.sleeps) == len(backend.fault_log)  # every failed request was waited for, then retried
