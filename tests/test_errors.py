"""Errors an editor can act on: path:line: message plus a hint, all at once, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitetest import REPO
from sitegen.core.errors import BuildError
from sitegen.core.load import load

TOPIC_OK = "---\ntitle: Gut\n---\nText\n"


def errors_for(root: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        load(root)
    return [str(e) for e in info.value.errors]


def put(root: Path, rel: str, text: str | bytes | None) -> None:
    """Write a content file; None makes a link that leads nowhere (a file that cannot be read)."""
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        path.symlink_to(root / "nowhere")
    else:
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


CASES = [
    ("themen/a.md", "---\ntitle: Gut\nsubtitle: [kaputt\n---\n", "content/themen/a.md:3: broken YAML", "indentation"),
    ("themen/a.md", "---\ntitel: Gut\n---\n", "content/themen/a.md:2: unknown field 'titel'", "did you mean 'title'?"),
    ("themen/a.md", "---\nsubtitle: x\n---\n", "content/themen/a.md:2: missing required field 'title'", "title: …"),
    ("themen/a.md", "---\ntitle: 2030\n---\n", "content/themen/a.md:2: 'title' must be text, but YAML read it as a number", 'title: "2030"'),
    ("themen/a.md", "---\ntitle: Gut\ndate: 2026-13-01\n---\n", "content/themen/a.md:3: '2026-13-01' cannot be read", "fix the date"),
    ("themen/a.md", "---\ntitle: Gut\nthemenpate:\n  name: X\n  rolle: Y\n---\n", "content/themen/a.md:5: unknown field 'themenpate.rolle'", "did you mean 'role'?"),
    ("themen/a.md", "---\ntitle: Gut\ndocuments:\n  - title: D\n    url: ftp://x\n    format: PDF\n---\n",
     "content/themen/a.md:5: 'documents[1].url' must be a web address", ""),
    ("themen/a.md", "---\ntitle: Gut\ncomments: maybe\n---\n", "content/themen/a.md:3: 'comments' must be one of: open, closed", ""),
    ("themen/a.md", "---\ntitle: Gut\ncomments_until: Ende März\n---\n",
     "content/themen/a.md:3: 'comments_until' must be a date like 2026-11-26, not text", ""),
    ("themen/a.md", "---\ntitle: Gut\ncomments_until: [2027-03-31]\n---\n",
     "content/themen/a.md:3: 'comments_until' must be a date like 2026-11-26, not a list", ""),
    ("themen/a.md", "title: Gut\n", "content/themen/a.md:1: the file does not start with front matter", "'---'"),
    ("themen/a.md", "---\ntitle: Gut\n", "content/themen/a.md:1: the front matter is never closed", "did you forget the second '---'"),
    ("themen/a.md", b"---\ntitle: Gr\xfcn\n---\n", "content/themen/a.md:2: the file is not UTF-8 text", "UTF-8"),
    ("themen/Gross.md", TOPIC_OK, "content/themen/Gross.md:1: the file name 'Gross.md' cannot be a web address", "lowercase"),
    ("themen/neu\n.md", TOPIC_OK, "content/themen/neu\n.md:1: the file name 'neu\n.md' cannot be a web address", "lowercase"),
    ("themen/notiz.txt", "x", "content/themen/notiz.txt:1: 'notiz.txt' is not a .md file", ""),
    ("seiten/themen.md", "---\ntitle: X\n---\n", "content/seiten/themen.md:1: the page name 'themen' is already used", "rename"),
    ("termine/t.md", "---\ntitle: T\nstart: 2026-12-01 18:00\nend: 2026-12-01 17:00\nlocation: {name: R}\n---\n",
     "content/termine/t.md:4: the event ends before it starts", ""),
    ("termine/t.md", "---\ntitle: T\nstart: morgen\nend: 2026-12-01 17:00\nlocation: {name: R}\n---\n",
     "content/termine/t.md:3: 'start' must be a date and time", ""),
    ("termine/t.md", "---\ntitle: T\nstart: 2026-12-01 18:00\nend: 2026-12-01 19:00\nlocation: {name: R}\ntopics: [gutt]\n---\n",
     "content/termine/t.md:6: the event names the topic 'gutt', which does not exist", "did you mean 'gut'?"),
    ("termine/t.md", "---\ntitle: T\nstart: 2026-12-01 18:00\nend: 2026-12-01 19:00\nlocation: {name: R}\nsequence: -1\n---\n",
     "content/termine/t.md:6: 'sequence' must be 0 or more", "raise it by one"),
    ("termine/t.md", "---\ntitle: T\nstart: 2026-12-01 18:00\nend: 2026-12-01 19:00\nlocation: {name: R}\nupdated: gestern\n---\n",
     "content/termine/t.md:6: 'updated' must be a date and time", "2026"),
    ("site.yaml", "title: T\ncity: C\nintake:\n  source: receiver\ntitle: U\n",
     "content/site.yaml:5: the key 'title' is given twice (also on line 1)", "keep one"),
    ("themen/a.md", "---\ntitle: A\nthemenpate:\n  name: N\n  name: M\n---\nText\n",
     "content/themen/a.md:5: the key 'name' is given twice (also on line 4)", "keep one"),
    ("site.yaml", "title: T\ncity: C\nopen_data:\n  license_name: CC BY 4.0\n",
     "content/site.yaml:4: open_data.license_name is set but open_data.license_url is missing", "give both"),
    ("site.yaml", "title: T\ncity: C\nopen_data:\n  license_name: CC BY 4.0\n  license_url: /lizenz/\n",
     "content/site.yaml:5: open_data.license_url must be the address of the licence text", "https://"),
    ("termine/kalender.md", "---\ntitle: T\nstart: 2026-12-01 18:00\nend: 2026-12-01 19:00\nlocation: {name: R}\n---\n",
     "content/termine/kalender.md:1: the event name 'kalender' is already used", "rename"),
    ("themen/kaputt.md", None, "content/themen/kaputt.md:1: the file cannot be read", "regular file"),
    ("kommentare/nix/c1.yaml", "id: c1\ntopic: nix\nname: A\nbody: B\ndate: 2026-11-01T00:00:00Z\n",
     "content/kommentare/nix/c1.yaml:1: the comment belongs to the topic 'nix', which does not exist", ""),
    ("kommentare/gut/c1.yaml", "id: c1\ntopic: gut\nparent: c0\nname: A\nbody: B\ndate: 2026-11-01T00:00:00Z\n",
     "content/kommentare/gut/c1.yaml:3: the comment replies to 'c0', which is not a comment of this topic", ""),
    ("kommentare/gut/c1.yaml", "id: c2\ntopic: gut\nname: A\nbody: B\ndate: 2026-11-01T00:00:00Z\n",
     "content/kommentare/gut/c1.yaml:1: the id 'c2' does not match the file name", "rename"),
]


@pytest.mark.parametrize("rel,text,message,hint", CASES, ids=[c[2].split(": ", 1)[1][:40] for c in CASES])
def test_each_error_names_file_line_and_hint(tmp_path: Path, rel: str, text: str, message: str, hint: str) -> None:
    put(tmp_path, "site.yaml", "title: T\ncity: C\n")
    put(tmp_path, "themen/gut.md", TOPIC_OK)
    put(tmp_path, rel, text)
    errors = errors_for(tmp_path)
    assert any(e.startswith(message) for e in errors), errors
    if hint:
        assert any(e.startswith(message) and "hint:" in e and hint in e for e in errors), errors


def test_replies_deeper_than_three_are_refused(tmp_path: Path) -> None:
    put(tmp_path, "site.yaml", "title: T\ncity: C\n")
    put(tmp_path, "themen/gut.md", TOPIC_OK)
    for n in range(1, 5):
        parent = f"c{n - 1}" if n > 1 else "null"
        put(tmp_path, f"kommentare/gut/c{n}.yaml",
            f"id: c{n}\ntopic: gut\nparent: {parent}\nname: A\nbody: B\ndate: 2026-11-0{n}T00:00:00Z\n")
    assert errors_for(tmp_path) == [
        "content/kommentare/gut/c4.yaml:3: replies nest at most 3 deep\n    hint: reply to a comment higher up the thread"]


def test_duplicate_comment_ids_across_topics(tmp_path: Path) -> None:
    put(tmp_path, "site.yaml", "title: T\ncity: C\n")
    put(tmp_path, "themen/gut.md", TOPIC_OK)
    put(tmp_path, "themen/auch.md", TOPIC_OK)
    for topic in ("gut", "auch"):
        put(tmp_path, f"kommentare/{topic}/c1.yaml", f"id: c1\ntopic: {topic}\nname: A\nbody: B\ndate: 2026-11-01T00:00:00Z\n")
    assert any("the comment id 'c1' is used twice" in e for e in errors_for(tmp_path))


def test_all_errors_are_listed_at_once(tmp_path: Path) -> None:
    put(tmp_path, "site.yaml", "title: T\ncity: C\nbase_url: 42\n")
    put(tmp_path, "themen/a.md", "---\ntitle: 1\n---\n")
    put(tmp_path, "themen/b.md", "---\ntitle: B\nfoo: 1\n---\n")
    put(tmp_path, "termine/t.md", "---\ntitle: T\n---\n")
    errors = errors_for(tmp_path)
    files = {e.split(":")[0] for e in errors}
    assert files == {"content/site.yaml", "content/themen/a.md", "content/themen/b.md", "content/termine/t.md"}
    assert len(errors) >= 6  # base_url, title, foo, start, end, location


def test_missing_site_yaml(tmp_path: Path) -> None:
    put(tmp_path, "themen/gut.md", TOPIC_OK)
    assert errors_for(tmp_path)[0].startswith("content/site.yaml:1: content/site.yaml is missing")


def test_cli_reports_without_traceback(tmp_path: Path) -> None:
    put(tmp_path, "site.yaml", "title: T\ncity: C\n")
    put(tmp_path, "themen/a.md", "---\ntitle: Gut: x\n---\n")
    put(tmp_path, "themen/b.md", "---\ntitle: 2030\n---\n")
    proc = subprocess.run([sys.executable, "build.py", "--root", str(tmp_path), "--out", str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "2 problems" in proc.stderr
    assert "content/themen/a.md:2: broken YAML" in proc.stderr
    assert "content/themen/b.md:2: 'title' must be text" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_cli_reader_that_leaves_early_gets_no_traceback(site_root: Path, tmp_path: Path) -> None:
    import os
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `python build.py | head -0`: nobody reads what the build prints
    proc = subprocess.run([sys.executable, "build.py", "--root", str(site_root),
                           "--out", str(tmp_path / "out")], cwd=REPO, stdout=write_end, stderr=subprocess.PIPE,
                          text=True)
    os.close(write_end)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert (tmp_path / "out/index.html").is_file()


def test_cli_usage_error_exit_2(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "build.py", "--root", str(tmp_path / "nowhere")],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 2 and "has no content/ folder" in proc.stderr


def test_the_build_finds_a_comment_id_used_twice_and_names_both_files(site_root: Path, tmp_path: Path) -> None:
    """The engine's check (pipeline.check_across_files) tells the usual case, no id twice, apart
    without listing every comment: with one id twice it still names both files, and only that id."""
    from sitegen import build
    from sitetest import TODAY

    source = site_root / "content" / "kommentare" / "mobilitaet" / "k4.yaml"  # no parent: only its id clashes
    copy = site_root / "content" / "kommentare" / "wohnen" / "k4.yaml"
    copy.parent.mkdir(exist_ok=True)
    copy.write_text(source.read_text(encoding="utf-8").replace("topic: mobilitaet", "topic: wohnen"), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build(site_root, tmp_path / "out", today=TODAY)
    assert [str(e) for e in info.value.errors] == [
        "content/kommentare/wohnen/k4.yaml:1: the comment id 'k4' is used twice\n"
        "    hint: also in content/kommentare/mobilitaet/k4.yaml"]
    copy.unlink()
    build(site_root, tmp_path / "out", today=TODAY)
