"""The intake's only way to disk: readable YAML, temp files a crash leaves where clean_temps finds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake import files


def test_yaml_is_for_people_keys_in_their_order_umlauts_as_they_are_long_lines_folded_at_100() -> None:
    text = files.dump({"name": "Jürgen Größe", "body": "wort " * 30, "a": 1})
    assert text == ("name: Jürgen Größe\n"  # not sorted, not \xfc-escaped
                    f"body: '{'wort ' * 18}wort\n"  # the first space past column 100 breaks the line
                    f"  {'wort ' * 11}'\n"
                    "a: 1\n")


def test_read_gives_back_what_write_wrote(tmp_path: Path) -> None:
    data = {"name": "Jürgen 😀", "body": "Zeile 1\nZeile 2", "n": 3, "none": None}
    files.write(tmp_path / "deep" / "er" / "x.yaml", data)  # missing folders are made
    assert files.read(tmp_path / "deep" / "er" / "x.yaml") == data
    assert "name: \"Jürgen " in (tmp_path / "deep" / "er" / "x.yaml").read_text(encoding="utf-8")  # PyYAML escapes astral characters


def test_the_temp_file_is_where_a_rerun_finds_it(tmp_path: Path, renamed: list[tuple[str, str]]) -> None:
    """A writer killed before its rename leaves the temp file: same folder, the prefix clean_temps removes."""
    files.write(tmp_path / "k-1.yaml", {"a": 1})
    ((temp, target),) = renamed
    assert Path(temp).parent == tmp_path and target == str(tmp_path / "k-1.yaml")
    assert Path(temp).name.startswith(files.TEMP_PREFIX) and temp.endswith(".yaml")


def test_clean_temps_counts_what_it_removed_and_nothing_else(tmp_path: Path) -> None:
    assert files.clean_temps(tmp_path / "missing") == 0
    (tmp_path / ".tmp-a.yaml").write_text("half")
    (tmp_path / ".tmp-b.yaml").write_text("half")
    (tmp_path / "k-1.yaml").write_text("a: 1")
    assert files.clean_temps(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["k-1.yaml"]
    assert files.clean_temps(tmp_path) == 0


def test_remove_deletes_a_file_and_says_whether_it_was_there(tmp_path: Path) -> None:
    (tmp_path / "k-1.yaml").write_text("a: 1")
    assert files.remove(tmp_path / "k-1.yaml") is True
    assert list(tmp_path.iterdir()) == []
    assert files.remove(tmp_path / "k-1.yaml") is False


def test_syncfs_flushes_a_real_folder_on_linux(tmp_path: Path) -> None:
    assert files.syncfs(tmp_path) is True


def test_syncfs_without_the_call_says_so_instead_of_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A C library without syncfs (macOS, musl without it): False, so write_many falls back to one fsync each."""
    import ctypes

    def no_library(*args: object, **kwargs: object) -> None:
        raise OSError("no such library")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    assert files.syncfs(tmp_path) is False
