"""The writer: refuses paths outside the output folder and duplicate paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.output.paths import WriteError
from sitegen.output.writer import write


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../x", "", "a//b", "a\\..\\b", "x\x00y", "./a"])
def test_refuses_paths_outside(tmp_path: Path, bad: str) -> None:
    with pytest.raises(WriteError):
        write([(bad, b"x")], tmp_path / "out")
    assert not (tmp_path / "escape.html").exists()


def test_refuses_symlink_escape(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(WriteError):
        write([("link/evil.html", b"x")], out)
    assert not (tmp_path / "evil.html").exists()


def test_refuses_deeper_links_out_and_allows_links_that_stay_inside(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / "themen" / "inside").mkdir(parents=True)
    elsewhere.mkdir()
    (out / "themen" / "away").symlink_to(elsewhere)
    (out / "themen" / "page.html").symlink_to(elsewhere / "page.html")
    (out / "alias").symlink_to(out / "themen")
    for rel in ("themen/away/index.html", "themen/away/sub/index.html", "themen/page.html"):
        with pytest.raises(WriteError, match="outside"):
            write([(rel, b"x")], out)
    assert not any(elsewhere.iterdir())
    write([("alias/inside/index.html", b"ok"), ("themen/inside/deeper/index.html", b"ok")], out)
    assert (out / "themen" / "inside" / "index.html").read_bytes() == b"ok"


def test_refuses_the_same_path_twice(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="same path"):
        write([("a.html", b"1"), ("a.html", b"2")], tmp_path)


def test_only_changed_bytes_are_written(tmp_path: Path) -> None:
    assert write([("a.html", b"1"), ("b/c.html", b"2")], tmp_path).written == ("a.html", "b/c.html")
    report = write([("a.html", b"1"), ("b/c.html", b"3")], tmp_path)
    assert report.written == ("b/c.html",) and report.unchanged == 1
    assert (tmp_path / "b" / "c.html").read_bytes() == b"3"


def test_tampered_manifest_never_deletes_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    write([("a.html", b"1")], out)
    (out / ".sitegen-files").write_text("a.html\n../victim.txt\n")
    write([("a.html", b"1")], out)
    assert victim.read_text() == "precious"


def test_a_build_killed_while_moving_leaves_a_manifest_of_everything_it_made(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.output.writer as w
    from sitegen.output.staging import staging
    out = tmp_path / "out"
    write([("a.html", b"1")], out)
    writer = w.Writer(out, stage=staging(out))
    for rel in ("a.html", "neu/b.html", "neu/c.html"):
        writer.put(rel, rel.encode())
    real_replace, calls = w.os.replace, []

    def dies_on_the_third_move(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 4:  # the manifest, two pages, then the process "dies"
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(w.os, "replace", dies_on_the_third_move)
    with pytest.raises(KeyboardInterrupt):
        writer.finish()
    monkeypatch.undo()
    assert (out / ".sitegen-files").read_text().split() == ["a.html", "neu/b.html", "neu/c.html"]
    report = write([("a.html", b"a.html")], out)  # the next build makes fewer files
    assert [p for p in report.removed] == ["neu/b.html"] and not (out / "neu").exists()


def test_a_second_holder_of_the_lock_is_told_and_waits(tmp_path: Path) -> None:
    import threading
    from sitegen.output.lock import hold, release
    lock = tmp_path / "x.lock"
    first, told, got = hold(lock), threading.Event(), []
    assert first is not None
    second = threading.Thread(target=lambda: got.append(hold(lock, waiting=told.set)))
    second.start()
    assert told.wait(timeout=60) and got == []  # told, and still waiting: the first holds it
    release(first)
    second.join(timeout=60)
    assert got and got[0] is not None
    release(got[0])
