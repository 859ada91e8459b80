"""The inbox folder, its keys and its lock, checked directly: the gaps the mutation run (bench/mutation.py)
found in intake/inbox.py."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from intake.entry import Entry
from intake.errors import RunError
from intake.inbox import Inbox


def entry(key: str, date: str = "2026-11-29T08:00:00Z", body: str = "b") -> Entry:
    return Entry(key=key, source="test", date=date, fields={"body": body})


def test_the_inbox_is_made_private_and_an_open_one_is_tightened(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "a" / "inbox")
    inbox.ensure()
    assert stat.S_IMODE(inbox.path.stat().st_mode) == 0o700
    os.chmod(inbox.path, 0o755)
    inbox.ensure()
    assert stat.S_IMODE(inbox.path.stat().st_mode) == 0o700


def test_a_new_inbox_is_private_from_its_first_moment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Made with mode 0700, not made open and tightened after: between the two, others could list it."""
    import intake.inbox

    changed: list[object] = []
    real_chmod = os.chmod

    def chmod(path: object, mode: int) -> None:  # the real chmod, watched
        changed.append(path)
        real_chmod(path, mode)

    monkeypatch.setattr(intake.inbox.os, "chmod", chmod)
    old = os.umask(0o022)  # the usual umask: a folder made without a mode would be 0755
    try:
        Inbox(tmp_path / "neu").ensure()
    finally:
        os.umask(old)
    assert changed == [] and stat.S_IMODE((tmp_path / "neu").stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o701, 0o711, 0o750, 0o500], ids=oct)
def test_an_inbox_open_even_a_little_is_tightened_to_the_owner_alone(tmp_path: Path, mode: int) -> None:
    """0o701 lets anyone open a file whose name they know (keys are guessable from the backend's ids)."""
    inbox = Inbox(tmp_path / "inbox")
    inbox.path.mkdir()
    os.chmod(inbox.path, mode)
    inbox.ensure()
    assert stat.S_IMODE(inbox.path.stat().st_mode) == 0o700


@pytest.mark.parametrize("kind", ["link", "file"])
def test_an_inbox_that_is_a_link_or_a_file_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "inbox"
    if kind == "link":
        (tmp_path / "elsewhere").mkdir()
        path.symlink_to(tmp_path / "elsewhere")
    else:
        path.write_text("x")
    with pytest.raises(RunError, match=f"^{path}: the inbox must be a folder, not a link or a file$"):
        Inbox(path).ensure()


def test_a_key_from_the_network_must_be_a_comment_id(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox")
    assert inbox.file("netlify-abc") == tmp_path / "inbox" / "netlify-abc.yaml"
    with pytest.raises(RunError, match=r"^'\.\./x' is not a valid inbox key$"):
        inbox.has("../x")


def test_a_missing_entry_is_named(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox")
    with pytest.raises(RunError, match=f"^k-1: no such submission in {tmp_path / 'inbox'}$"):
        inbox.get("k-1")
    (tmp_path / "inbox" / "k-2.yaml").mkdir(parents=True)  # not a file either
    with pytest.raises(RunError, match="no such submission"):
        inbox.get("k-2")


def test_add_stores_once_and_never_overwrites(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox")
    assert inbox.add(entry("k-1", body="first")) is True
    assert inbox.add(entry("k-1", body="second")) is False
    assert inbox.get("k-1").fields["body"] == "first"


def test_add_many_counts_only_new_keys_and_makes_no_folder_for_nothing(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox")
    assert inbox.add_many([]) == 0 and not inbox.path.exists()
    assert inbox.add_many([entry("k-1", body="first"), entry("k-2")]) == 2
    assert stat.S_IMODE(inbox.path.stat().st_mode) == 0o700
    assert inbox.add_many([entry("k-1", body="second"), entry("k-3")]) == 1
    assert inbox.get("k-1").fields["body"] == "first" and inbox.keys() == ["k-1", "k-2", "k-3"]
    assert inbox.add_many([entry("k-1")]) == 0


def test_keys_leave_out_temp_files_and_entries_come_oldest_first(tmp_path: Path) -> None:
    inbox = Inbox(tmp_path / "inbox")
    assert inbox.keys() == [] and list(inbox.entries()) == []
    inbox.put(entry("b", "2026-11-29T08:00:00Z"))
    inbox.put(entry("a", "2026-11-30T08:00:00Z"))
    inbox.put(entry("c", "2026-11-29T08:00:00Z"))
    (inbox.path / ".tmp-x.yaml").write_text("key: x\n")
    (inbox.path / "notes.txt").write_text("x")
    assert inbox.keys() == ["a", "b", "c"]
    assert [e.key for e in inbox.entries()] == ["b", "c", "a"]


def test_the_lock_is_reentrant_private_names_the_holder_and_is_released(tmp_path: Path) -> None:
    inbox, other = Inbox(tmp_path / "inbox"), Inbox(tmp_path / "inbox")
    with inbox.lock():
        with inbox.lock():
            pass
        lock = inbox.path / ".lock"
        assert lock.read_text() == f"{os.getpid()}\n" and stat.S_IMODE(lock.stat().st_mode) == 0o600
        with pytest.raises(RunError, match=f"^another intake run holds the lock on {inbox.path}; wait for it to "
                                           "finish and try again$"):
            with other.lock():
                pass
    with other.lock():  # released when the outer block ended, not when the inner one did
        pass
    with inbox.lock():
        pass


def test_the_inner_block_does_not_release_the_lock(tmp_path: Path) -> None:
    inbox, other = Inbox(tmp_path / "inbox"), Inbox(tmp_path / "inbox")
    with inbox.lock():
        with inbox.lock():
            pass
        with pytest.raises(RunError, match="holds the lock"):
            with other.lock():
                pass


def test_a_decision_waits_for_a_short_holder(tmp_path: Path) -> None:
    inbox, other = Inbox(tmp_path / "inbox"), Inbox(tmp_path / "inbox")
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with other.lock():
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    threading.Timer(0.2, release.set).start()
    with inbox.lock(wait=10):  # returns as soon as the holder lets go: bounded by the holder's 10 s
        assert release.is_set()
    holder.join(10)


def test_an_inbox_of_another_user_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = Inbox(tmp_path / "inbox")
    inbox.ensure()
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)  # as if another user ran the intake
    with pytest.raises(RunError, match=f"^{inbox.path}: the inbox belongs to another user; run the intake as its "
                                       "owner$"):
        inbox.ensure()
