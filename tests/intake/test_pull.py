"""Pull into the inbox: exactly once, delete only after disk, errors keep what was fetched, the lock."""

from __future__ import annotations

from pathlib import Path

from intake_support import Cli, intake_section, make_site
from intake.inbox import Inbox
from intake_fakes import Faults, FakeNetlify, mock_transport, submission


def test_pull_stores_every_submission_once_and_twice_changes_nothing(cli: Cli) -> None:
    subs = [submission(i) for i in range(1, 251)]
    cli.transport = mock_transport(FakeNetlify(subs))
    first = cli("pull")
    assert first.code == 0, first.err
    assert f"{len(subs)} new" in first.out
    entries = cli.entries()
    assert set(entries) == {f"netlify-{s['id']}" for s in subs}
    second = cli("pull")
    assert second.code == 0 and " 0 new" in second.out
    assert cli.entries() == entries


def test_entries_keep_personal_data_apart_and_hash_the_email(cli: Cli) -> None:
    sub = submission(1, email="  Person.One@Example.ORG ")
    cli.transport = mock_transport(FakeNetlify([sub]))
    assert cli("pull").code == 0
    (entry,) = cli.entries().values()
    assert entry["status"] == "pending" and entry["spam_reasons"] == [] and entry["invalid"] == []
    assert set(entry["fields"]) <= {"topic", "parent", "name", "body", "consent", "form_loaded_at"}
    assert entry["personal"]["ip"] == sub["data"]["ip"]
    assert entry["personal"]["user_agent"] == sub["data"]["user_agent"]
    assert entry["email_hash"] and sub["data"]["email"].strip() not in entry["email_hash"]
    assert entry["date"] == sub["created_at"][:19] + "Z"


def test_delete_happens_only_after_the_entry_is_on_disk(site: Path, env: dict[str, str]) -> None:
    make_site(site, intake_section(netlify={"api_base": "http://netlify.test/api/v1", "site_id": "site-1",
                                            "delete_after_pull": True, "per_page": 10}))
    cli = Cli(site, env)
    inbox = Inbox(site / ".inbox")
    missing: list[str] = []
    backend = FakeNetlify([submission(i) for i in range(1, 36)], [submission(99, name="Spammer")],
                          on_delete=lambda sid: None if inbox.has(f"netlify-{sid}") else missing.append(sid))
    cli.transport = mock_transport(backend)
    result = cli("pull")
    assert result.code == 0, result.err
    assert missing == [] and len(backend.deleted) == 36
    assert backend.items == [] and backend.spam == []
    assert len(cli.entries()) == 36


def test_backend_spam_is_pulled_and_marked(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1)], [submission(2)]))
    assert cli("pull").code == 0
    statuses = {e["fields"]["name"]: (e["status"], e["spam_reasons"]) for e in cli.entries().values()}
    assert statuses["Person 1"] == ("pending", [])
    assert statuses["Person 2"][0] == "spam" and "flagged as spam by netlify" in statuses["Person 2"][1][0]


def test_persistent_error_ends_with_exit_1_keeping_what_was_fetched(cli: Cli) -> None:
    subs = [submission(i) for i in range(1, 31)]
    backend = FakeNetlify(subs)
    broken = {"on": False}
    inner = mock_transport(backend)

    def handler(request):  # the backend dies for good after the first page
        import httpx
        if "page=2" in str(request.url) and broken["on"]:
            return httpx.Response(503)
        return inner.handle_request(request)

    import httpx
    make_site(cli.root, intake_section(netlify={"api_base": "http://netlify.test/api/v1", "site_id": "site-1",
                                                 "per_page": 10}))
    cli.transport = httpx.MockTransport(handler)
    broken["on"] = True
    failed = cli("pull")
    assert failed.code == 1
    assert "giving up after 9 attempts" in failed.err and "HTTP 503" in failed.err
    assert "kept the 10 new entries" in failed.err
    assert len(cli.entries()) == 10
    broken["on"] = False
    again = cli("pull")
    assert again.code == 0 and "20 new" in again.out
    assert set(cli.entries()) == {f"netlify-{s['id']}" for s in subs}


def test_a_second_concurrent_pull_is_refused(cli: Cli) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1)]))
    with Inbox(cli.inbox).lock():
        refused = cli("pull")
    assert refused.code == 1 and "another intake run holds the lock" in refused.err
    assert cli.entries() == {}
    assert cli("pull").code == 0


def test_leftover_temp_files_of_a_killed_run_are_cleaned(cli: Cli) -> None:
    cli.inbox.mkdir()
    (cli.inbox / ".tmp-abc.yaml").write_text("key: half-writ")
    cli.transport = mock_transport(FakeNetlify([submission(1)]))
    assert cli("pull").code == 0
    assert [p.name for p in cli.inbox.iterdir() if p.name.startswith(".tmp")] == []
    assert len(cli.entries()) == 1


def test_faults_through_mock_transport_are_retried(cli: Cli) -> None:
    make_site(cli.root, intake_section(netlify={"api_base": "http://netlify.test/api/v1", "site_id": "site-1",
                                                 "per_page": 10}))
    subs = [submission(i) for i in range(1, 401)]
    backend = FakeNetlify(subs, faults=Faults(seed=3, fail_rate=0.3, rate_limit_every=5, slow_every=11))
    cli.transport = mock_transport(backend)
    result = cli("pull")
    assert result.code == 0, result.err
    assert len(cli.entries()) == len(subs)
    assert {"429", "500", "502", "truncate", "reset", "slow"} <= set(backend.fault_log)
    assert any(wait >= 0.5 for wait in cli.sleeps)  # the 429 reset time was honoured, not backoff
