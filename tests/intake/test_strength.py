"""Bugs a mutation check found unnoticed: the honeypot through a pull, offsets that shift between pages,
a failed write's temp file, the inbox's file modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Iterator

import pytest

from intake import files
from intake.entry import Entry
from intake.inbox import Inbox
from intake_fakes import FakeFormspree, FakeNetlify, Reply, formspree_item, mock_transport, submission
from intake_support import Cli, intake_section, make_site


def paged(site: Path, env: dict[str, str], per_page: int, delete: bool = False) -> Cli:
    """A CLI on a site whose Netlify source reads per_page submissions a page."""
    make_site(site, intake_section(netlify={"api_base": "http://netlify.test/api/v1", "site_id": "site-1",
                                            "per_page": per_page, "delete_after_pull": delete}))
    return Cli(site, env)


@pytest.mark.parametrize("field", ["bot-field", "_gotcha"])
def test_a_filled_honeypot_reaches_the_spam_rule_through_a_netlify_pull(cli: Cli, field: str) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1, **{field: "http://spam.example"}), submission(2)]))
    assert cli("pull").code == 0
    verdicts = {e["fields"]["name"]: (e["status"], e["spam_reasons"]) for e in cli.entries().values()}
    assert verdicts["Person 2"] == ("pending", [])
    status, reasons = verdicts["Person 1"]
    assert status == "spam" and [r.split(":")[0] for r in reasons] == ["honeypot"]


def test_a_filled_gotcha_reaches_the_spam_rule_through_a_formspree_pull(site: Path, env: dict[str, str]) -> None:
    make_site(site, intake_section(source="formspree", formspree={"api_base": "http://formspree.test",
                                                                  "form_id": "xyzabc"}))
    cli = Cli(site, env, transport=mock_transport(FakeFormspree([formspree_item(1, _gotcha="ja")])))
    assert cli("pull").code == 0
    (entry,) = cli.entries().values()
    assert entry["status"] == "spam" and entry["spam_reasons"][0].startswith("honeypot")


class Arriving(FakeNetlify):
    """Netlify where `arrive` new submissions come in (newest first) after every page is served."""

    def __init__(self, items: list[dict[str, Any]], arrive: int, **kwargs: Any) -> None:
        super().__init__(items, **kwargs)
        self.arrive, self.next = arrive, 1000

    def answer(self, method: str, path: str, query: dict[str, str]) -> Reply:
        reply = super().answer(method, path, query)
        if method == "GET" and path.endswith("/submissions"):
            with self.lock:
                for _ in range(self.arrive):
                    self.next += 1
                    self.items.insert(0, submission(self.next))
        return reply


def test_a_submission_shifted_onto_the_next_page_is_read_once(site: Path, env: dict[str, str]) -> None:
    """Three new submissions per page push the last three of each page onto the next one."""
    cli = paged(site, env, per_page=10)
    backend = Arriving([submission(i) for i in range(1, 31)], arrive=3)
    cli.transport = mock_transport(backend)
    result = cli("pull")
    assert result.code == 0, result.err
    entries = cli.entries()
    assert f"pull from netlify: {len(entries)} read, {len(entries)} new" in result.out
    assert {f"netlify-{submission(i)['id']}" for i in range(1, 31)} <= set(entries)


def test_only_what_was_read_is_deleted_and_late_arrivals_come_with_the_next_pull(site: Path,
                                                                                env: dict[str, str]) -> None:
    cli = paged(site, env, per_page=10, delete=True)
    backend = Arriving([submission(i) for i in range(1, 26)], arrive=2)
    cli.transport = mock_transport(backend)
    assert cli("pull").code == 0
    stored = set(cli.entries())
    assert sorted(backend.deleted) == sorted(key.removeprefix("netlify-") for key in stored)
    assert backend.items  # arrived after their page was read: still at the backend, not lost
    backend.arrive = 0
    assert cli("pull").code == 0
    assert backend.items == [] and len(cli.entries()) == len(backend.deleted) == len(set(backend.deleted))


def test_a_failed_rename_leaves_no_temp_file_and_the_old_entry_intact(tmp_path: Path) -> None:
    """The temp file exists when the rename fails (the target is a folder): it must go too."""
    (tmp_path / "x.yaml").mkdir()
    with pytest.raises(IsADirectoryError):
        files.write(tmp_path / "x.yaml", {"key": "value"})
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The most permissive umask a user may have: the modes must not come from the umask."""
    yield from umask(0)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_inbox_is_private_to_its_owner(tmp_path: Path, loose_umask: None) -> None:
    inbox = Inbox(tmp_path / "inbox")
    with inbox.lock():
        inbox.add(Entry(key="k-1", source="test", date="2026-11-26T08:00:00Z", personal={"email": "a@b.de"}))
    assert mode(inbox.path) == 0o700
    assert mode(inbox.path / ".lock") == 0o600
    assert mode(inbox.path / "k-1.yaml") == 0o600  # e-mail and IP addresses: nobody else reads them


def test_a_pulled_inbox_is_private_too(cli: Cli, loose_umask: None) -> None:
    cli.transport = mock_transport(FakeNetlify([submission(1)]))
    assert cli("pull").code == 0
    assert mode(cli.inbox) == 0o700
    assert {p.name: mode(p) for p in cli.inbox.iterdir()} == {
        ".lock": 0o600, f"netlify-{submission(1)['id']}.yaml": 0o600}
