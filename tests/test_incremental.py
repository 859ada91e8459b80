"""Every warm rebuild is byte-identical to a cold build of the same sources, over random edits."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import imagefiles
from sitetest import FIXTURE, REPO, TODAY, read_tree
from sitegen import BuildError, Tuning, build
from sitegen.engine.session import Session

COMMENT = """id: {id}
topic: {topic}
parent: {parent}
name: Besucherin {n}
body: "Kommentar Nummer {n} <b>mit</b> Markup & https://example.org/{n}"
date: 2026-11-{day:02d}T10:00:00Z
official: null
moderated_at: 2026-11-{day:02d}T12:00:00Z
moderated_by: test
"""


def topics(root: Path) -> list[Path]:
    return sorted((root / "content/themen").glob("*.md"))


def edit_body(root: Path, rng: random.Random, n: int) -> None:
    path = rng.choice(topics(root))
    path.write_text(path.read_text(encoding="utf-8") + f"\nAbsatz {n}.\n", encoding="utf-8")


def edit_same_size(root: Path, rng: random.Random, n: int) -> None:
    """Same length, same file: only the content tells the change (timestamp granularity)."""
    path = rng.choice(topics(root))
    head, sep, body = path.read_text(encoding="utf-8").rpartition("---\n")
    flipped = "".join(c.swapcase() if c.isalpha() and i == len(body) // 2 else c for i, c in enumerate(body))
    path.write_text(head + sep + flipped, encoding="utf-8")


def edit_title(root: Path, rng: random.Random, n: int) -> None:
    path = rng.choice(topics(root))
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"title: Neuer Titel {n}" if line.startswith("title:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


def add_topic(root: Path, rng: random.Random, n: int) -> None:
    (root / f"content/themen/neu-{n}.md").write_text(f"---\ntitle: Neu {n}\nsummary: S{n}\n---\nText {n}\n",
                                                     encoding="utf-8")


def delete_topic(root: Path, rng: random.Random, n: int) -> None:
    candidates = [p for p in topics(root) if p.stem.startswith("neu-")]
    if candidates:
        victim = rng.choice(candidates)
        victim.unlink()
        shutil.rmtree(root / "content/kommentare" / victim.stem, ignore_errors=True)


def rename_topic(root: Path, rng: random.Random, n: int) -> None:
    candidates = [p for p in topics(root) if p.stem.startswith("neu-")]
    if candidates:
        old = rng.choice(candidates)
        old.rename(old.with_name(f"umbenannt-{n}.md"))
        if (root / "content/kommentare" / old.stem).exists():
            (root / "content/kommentare" / old.stem).rename(root / "content/kommentare" / f"umbenannt-{n}")
            for c in (root / "content/kommentare" / f"umbenannt-{n}").glob("*.yaml"):
                c.write_text(c.read_text(encoding="utf-8").replace(f"topic: {old.stem}", f"topic: umbenannt-{n}"),
                             encoding="utf-8")


def approve_comment(root: Path, rng: random.Random, n: int) -> None:
    topic = rng.choice([p.stem for p in topics(root) if "comments: closed" not in p.read_text(encoding="utf-8")])
    folder = root / "content/kommentare" / topic
    folder.mkdir(parents=True, exist_ok=True)
    top = [p.stem for p in folder.glob("*.yaml") if "parent: null" in p.read_text(encoding="utf-8")]
    parent = rng.choice(top) if top and rng.random() < 0.5 else "null"
    (folder / f"r{n}.yaml").write_text(COMMENT.format(id=f"r{n}", topic=topic, parent=parent, n=n, day=1 + n % 28),
                                       encoding="utf-8")


def edit_template(root: Path, rng: random.Random, n: int) -> None:
    path = root / "templates" / rng.choice(["topic.html", "base.html", "index.html", "comments.html"])
    path.write_text(path.read_text(encoding="utf-8") + f"{{# edit {n} #}}\n<!-- {n} -->\n", encoding="utf-8")


def edit_event(root: Path, rng: random.Random, n: int) -> None:
    path = root / "content/termine/forum.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", f"title: {n} ", 1), encoding="utf-8")


def edit_footer_page(root: Path, rng: random.Random, n: int) -> None:
    path = root / "content/seiten/impressum.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Impressum", f"title: Impressum {n}", 1),
                    encoding="utf-8")


def edit_image(root: Path, rng: random.Random, n: int) -> None:
    """A new version of an image (its variants get new names), or a portrait cropped square or not."""
    if rng.random() < 0.5:
        name = rng.choice(["strasse.jpg", "pate-portrait.jpg", "plan.png"])
        made = imagefiles.photo(rng.randrange(300, 2200), rng.randrange(300, 1500), n)
        (root / "content/dateien" / name).write_bytes(
            imagefiles.png(made) if name.endswith(".png") else imagefiles.jpeg(made))
    else:
        path = root / "content/themen/wohnen.md"
        text = path.read_text(encoding="utf-8")
        crop = "  photo_crop: square\n"
        path.write_text(text.replace(crop, "") if crop in text else text.replace("  photo: ", crop + "  photo: "),
                        encoding="utf-8")


EDITS = [edit_body, edit_same_size, edit_title, add_topic, delete_topic, rename_topic, approve_comment,
         edit_template, edit_event, edit_footer_page, edit_image]


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}


@pytest.mark.parametrize("seed,watched", [(1, False), (2, False), (3, False), (4, True), (5, True)])
def test_warm_rebuilds_equal_cold_builds(tmp_path: Path, seed: int, watched: bool) -> None:
    """watched: a preview-server session told exactly which files changed, as the file watcher does."""
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    warm = tmp_path / "warm"
    session = Session() if watched else None
    build(root, warm, today=TODAY, session=session)
    rng = random.Random(seed)
    for n in range(14):
        edit = rng.choice(EDITS)
        before = snapshot(root)
        edit(root, rng, n)
        if session:
            after = snapshot(root)
            for path in set(before) ^ set(after) | {p for p in before if p in after and before[p] != after[p]}:
                session.note(path)
        build(root, warm, today=TODAY, session=session)
        cold = tmp_path / f"cold-{n}"
        build(root, cold, today=TODAY, tuning=Tuning(cache=False))
        assert read_tree(warm) == read_tree(cold), f"seed {seed}, step {n}: {edit.__name__}"
        shutil.rmtree(cold)


def test_cache_is_safe_to_delete_or_damage(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    for cache in (site_root / ".cache/sitegen").glob("*.pickle"):
        cache.write_bytes(b"not a pickle")
    compiled = list((site_root / ".cache/sitegen/templates").glob("*/*"))
    assert compiled, "the compiled templates are kept"
    from jinja2.bccache import bc_magic
    for i, template in enumerate(compiled):  # damaged in the header, the checksum, or the code
        data = template.read_bytes()
        template.write_bytes([b"garbage", bc_magic + b"\x80", data[:len(data) // 2]][i % 3])
    edit_body(site_root, random.Random(0), 1)
    build(site_root, out, today=TODAY)
    build(site_root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")
    shutil.rmtree(site_root / ".cache")
    assert build(site_root, out, today=TODAY).written == ()


def test_compiled_templates_follow_the_code(site_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja2 keys compiled templates by their source; our code and Jinja2 change them as well."""
    from sitegen.engine import deps, shared

    warm, cold = tmp_path / "warm", tmp_path / "cold"
    build(site_root, warm, today=TODAY)
    made = shared.environment

    def other_code(*args: object, **kwargs: object):  # a new version that keeps the newlines after blocks
        env = made(*args, **kwargs)
        env.trim_blocks = False
        return env

    monkeypatch.setattr(shared, "environment", other_code)
    monkeypatch.setattr(deps, "version", lambda *args: "other-code")
    build(site_root, warm, today=TODAY)
    build(site_root, cold, today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(warm) == read_tree(cold)
    assert [p.name for p in (site_root / ".cache/sitegen/templates").iterdir()] == ["other-code"]


def test_unchanged_topics_are_not_read_again(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    # a topic that would fail to parse, but whose signature the cache knows, is not read:
    # proven by breaking the file while keeping its size and timestamps, outside the racy window
    import os
    path = site_root / "content/themen/wohnen.md"
    st = path.stat()
    old = st.st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(old, old))
    build(site_root, out, today=TODAY)  # the cache now holds the old timestamp, well before this build
    text = path.read_bytes()
    path.write_bytes(b"X" * len(text))
    os.utime(path, ns=(old, old))
    report = build(site_root, out, today=TODAY)
    assert report.written == ()


def test_workers_list_comments_as_the_parent_would(site_root: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build leaves the comment listings to the workers: the keys they make must be the ones
    the next build computes, or every warm build would read every topic again."""
    import os
    from sitegen.engine import signatures
    from sitegen.engine import worker

    old = os.stat(site_root).st_mtime_ns - 10_000_000_000  # outside the racy window of the next build
    for path in (site_root / "content").rglob("*"):
        os.utime(path, ns=(old, old))
    out, session = tmp_path / "out", Session()
    monkeypatch.setattr(worker, "SERIAL_BELOW", 1)  # in worker processes: keys made from objects that crossed
    build(site_root, out, today=TODAY, session=session, tuning=Tuning(jobs=2))
    session.flush()  # the preview saves its cache once edits pause: now
    folder = site_root / "content/kommentare"
    for path in topics(site_root):
        assert session.listings[path.stem] == signatures.listing(str(folder / path.stem), None)
    read = []
    monkeypatch.setattr(worker, "load_topic", lambda path, root, problems: read.append(path) or 1 / 0)
    report = build(site_root, out, today=TODAY, tuning=Tuning(jobs=1))  # as a new process: the cache's keys, listings made here
    assert report.written == () and read == []
    monkeypatch.undo()
    add = folder / "mobilitaet" / "neu-1.yaml"
    add.write_text(COMMENT.format(id="neu-1", topic="mobilitaet", parent="null", n=1, day=2), encoding="utf-8")
    report = build(site_root, out, today=TODAY)
    assert "themen/mobilitaet/index.html" in report.written


def test_a_topic_key_depends_on_values_not_on_shared_objects() -> None:
    """Equal inputs make equal keys, however the objects are shared (marshal's newer formats write
    back-references for objects used twice, so a key made in a worker differed from the parent's)."""
    import pickle
    from sitegen.engine.deps import TopicInputs

    signature = (1_700_000_000_000_000_000, 2048, 99)
    linked = (("forum", signature),)
    parts, listing = ("theme", signature, linked), (("c1.yaml", signature),)
    held = [linked, signature, listing]  # more references, as the parent's dicts hold  # noqa: F841
    crossed = pickle.loads(pickle.dumps((parts, listing)))  # as a worker receives them: fresh objects

    def topic_key(parts: tuple, listing: tuple) -> bytes:
        return TopicInputs(*parts, listing=listing).key()

    assert topic_key(parts, listing) == topic_key(*crossed)
    assert topic_key(parts, listing) != topic_key(parts, (("c1.yaml", (1, 2048, 99)),))


def test_same_size_edit_within_one_timestamp_tick_is_seen(site_root: Path, tmp_path: Path) -> None:
    """A coarse file system clock can give an edit the old timestamp; the racy rule still catches it."""
    import os
    import time
    out = tmp_path / "out"
    path = site_root / "content/themen/wohnen.md"
    build(site_root, out, today=TODAY)
    stamp = time.time_ns() + 60_000_000_000  # a timestamp no build can be long past (robust on a slow machine)
    os.utime(path, ns=(stamp, stamp))
    build(site_root, out, today=TODAY)
    path.write_text(path.read_text(encoding="utf-8").replace("abgeschlossen", "ABGESCHLOSSEN"), encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))  # same size, same inode, same timestamp
    build(site_root, out, today=TODAY)
    assert "ABGESCHLOSSEN" in (out / "themen/wohnen/index.html").read_text(encoding="utf-8")


def test_session_reports_comments_left_by_a_deleted_topic(site_root: Path, tmp_path: Path) -> None:
    session = Session()
    out = tmp_path / "out"
    build(site_root, out, today=TODAY, session=session)
    event = site_root / "content/termine/forum.md"
    event.write_text(event.read_text(encoding="utf-8").replace("topics: [mobilitaet]", "topics: []"), encoding="utf-8")
    session.note(str(event))
    online = site_root / "content/termine/online.md"
    online.write_text(online.read_text(encoding="utf-8").replace("mobilitaet, ", ""), encoding="utf-8")
    session.note(str(online))
    topic = site_root / "content/themen/mobilitaet.md"
    topic.unlink()
    session.note(str(topic))
    with pytest.raises(BuildError, match="belongs to the topic 'mobilitaet', which does not exist"):
        build(site_root, out, today=TODAY, session=session)


def test_reverted_theme_edit_in_the_preview_equals_a_cold_build(tmp_path: Path) -> None:
    """The cache on disk must not outlive a write it does not describe."""
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    out, session = tmp_path / "out", Session()
    build(root, out, today=TODAY)  # a CLI build leaves its cache on disk
    css = root / "static/style.css"
    original = css.read_text(encoding="utf-8")
    css.write_text(original + "\n/* edit */\n", encoding="utf-8")
    build(root, out, today=TODAY, session=session)
    css.write_text(original, encoding="utf-8")
    build(root, out, today=TODAY, session=session)
    build(root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")


def test_comment_folders_listed_by_a_child_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large sites have their comment folders listed by a child (lookahead.py), started as the
    process begins or by the scan itself, while this process reads the topic folder and looks for
    pages gone from out/; the result must not differ, also for folders changed near the last build
    (hashed here, as the child did not know when that was) and when the child fails."""
    import marshal
    import os
    import time
    from types import SimpleNamespace

    from sitegen.core.errors import Problems
    from sitegen.engine import fork, lookahead, scan, signatures

    content, out = tmp_path / "content", tmp_path / "out"
    base = content / "kommentare"
    slugs = [f"thema-{i}" for i in range(40)]
    (content / "themen").mkdir(parents=True)
    expected = {}
    long_ago = 1_000_000_000_000_000_000  # 2001: outside any racy window
    for i, slug in enumerate(slugs):
        (content / "themen" / f"{slug}.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
        if i < 37:  # the last three have no comment folder
            (base / slug).mkdir(parents=True)
        for n in range(i % 4 if i < 37 else 0):
            (base / slug / f"c{n}.yaml").write_text(f"id: c{n}\n", encoding="utf-8")
            if i % 3:  # the others count as changed near the last build when racy is now
                os.utime(base / slug / f"c{n}.yaml", ns=(long_ago, long_ago))
        # every fifth page is gone from out/, every seventh topic is trusted (nothing expected)
        expected[slug] = () if i % 7 == 0 else (str(out / slug / "index.html"),)
        if i % 5:
            (out / slug).mkdir(parents=True)
            (out / slug / "index.html").write_text("x", encoding="utf-8")
    expected["weg"] = ()  # a topic of the last build whose file is deleted: no listing

    def looking(racy: int | None, ahead: lookahead.Lookahead | None = None) -> scan.Looking:
        return scan.Looking(content, Problems(tmp_path), racy, None, None, ahead)

    for racy in (None, time.time_ns() - 3_600_000_000_000):
        serial = scan._scan_all(looking(racy), expected)  # 40 topics: too few for a child
        assert sorted(serial.listings) == sorted(slugs)
        pairs = signatures.entries(str(base / "thema-2"), racy)
        assert [name for name, _ in pairs] == ["c0.yaml", "c1.yaml"]
        assert [len(sig) for _, sig in pairs] == [3, 3]  # written long ago: never hashed
        recent = signatures.entries(str(base / "thema-3"), racy)
        assert [len(sig) for _, sig in recent] == [3 if racy is None else 4] * 3  # hashed when racy
        assert serial.listings["thema-2"] == signatures.digest_of(pairs)
        assert serial.listings["thema-39"] == serial.listings["thema-0"] == signatures.digest_of([])
        assert len(set(serial.listings[f"thema-{i}"] for i in range(1, 4))) == 3
        assert serial.gone == {f"thema-{i}" for i in range(40) if i % 5 == 0 and i % 7}
        monkeypatch.setattr(lookahead, "FORK_ABOVE", 2)
        monkeypatch.setattr(lookahead, "BLOCK", 2)  # 20 blocks: the child and this process meet somewhere
        monkeypatch.setattr(scan, "FORK_ABOVE", 2)
        monkeypatch.setattr(lookahead, "can_fork", lambda: True)  # also on one core (no test leaves a thread: conftest)
        early = lookahead.look_ahead(content)
        assert early is not None
        assert scan._scan_all(looking(racy, early), expected) == serial
        assert scan._scan_all(looking(racy), expected) == serial  # started by the scan
        with monkeypatch.context() as m:  # a child that fails leaves the folders to the parent
            m.setattr(fork, "marshal", SimpleNamespace(dumps=lambda value: 1 / 0, loads=marshal.loads))
            assert scan._scan_all(looking(racy), expected) == serial
        cancelled = lookahead.look_ahead(content)
        assert cancelled is not None
        cancelled.cancel()
        assert scan._scan_all(looking(racy, cancelled), expected) == serial
        monkeypatch.undo()


def test_the_child_and_the_build_list_blocks_from_either_end_until_they_meet(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """lookahead.take lists block after block, marking each as its own, and stops at the first
    block the other process marked: between them, every folder is listed."""
    from sitegen.engine import lookahead, signatures

    monkeypatch.setattr(lookahead, "BLOCK", 2)
    names = [f"t{i}" for i in range(9)]  # five blocks, the last one short
    for i, name in enumerate(names):
        (tmp_path / name).mkdir()
        for n in range(i % 3):
            (tmp_path / name / f"c{n}.yaml").write_text("id: c\n", encoding="utf-8")
    base = str(tmp_path) + "/"
    child, here = lookahead.CHILD, lookahead.BUILD
    claims = bytearray([0, 0, 0, here, here])  # the build came from the back to the fourth block
    front = lookahead.take(claims, range(5), child, base, names)
    assert sorted(front) == names[:6] and list(claims) == [child, child, child, here, here]
    claims = bytearray([child, child, 0, 0, 0])  # the child came from the front to the second block
    back = lookahead.take(claims, reversed(range(5)), here, base, names)
    assert sorted(back) == names[4:] and list(claims) == [child, child, here, here, here]
    claims = bytearray(5)
    back = lookahead.take(claims, reversed(range(5)), here, base, names)
    assert sorted(back) == sorted(names) and list(claims) == [here] * 5
    for name in names:
        pairs = signatures.entries(base + name, None)
        newest = max((sig[0] for _, sig in pairs), default=0)
        assert back[name] == (signatures.digest_of(pairs), newest) and len(pairs) == names.index(name) % 3
    (tmp_path / "t4" / "weg.yaml").symlink_to(tmp_path / "nirgends.yaml")  # listed: its reader reports it
    (tmp_path / "loop").symlink_to(tmp_path / "loop")  # a folder that cannot be listed at all
    found = lookahead.take(bytearray(5), range(5), child, base, [*names[:8], "loop"])
    assert found["loop"] is None and found["t4"] is not None


def test_event_pages_made_in_a_forked_child_are_the_same_bytes(site_root: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Half the event pages may be made in a forked child: into a new folder, into an existing one
    (only changed files written), and after the child failed (this process makes its half)."""
    from sitegen.engine import other_pages as pipeline

    forks = []
    real = pipeline.in_child
    monkeypatch.setattr(pipeline, "in_child", lambda work: forks.append(1) or real(work))

    def both() -> tuple:  # a build alone (the fixture has too few events to fork), then one that forks
        alone = build(site_root, tmp_path / "alone", today=TODAY)
        with monkeypatch.context() as m:
            m.setattr(pipeline, "FORK_EVENTS", 1)
            m.setattr(pipeline, "can_fork", lambda: True)  # also on one core (no test leaves a thread: conftest)
            shared = build(site_root, tmp_path / "shared", today=TODAY)
        assert read_tree(tmp_path / "shared") == read_tree(tmp_path / "alone")
        return alone.written, shared.written

    alone, shared = both()
    assert forks == [1] and shared == alone
    # the last event by start time: in the child's half, so the child stages a changed page
    event = max((site_root / "content/termine").glob("*.md"),
                key=lambda p: re.search(r"^start: (.+)$", p.read_text(encoding="utf-8"), re.M).group(1))
    event.write_text(event.read_text(encoding="utf-8") + "\nNeu im Programm.\n", encoding="utf-8")
    alone, shared = both()
    assert forks == [1, 1] and shared == alone and f"termine/{event.stem}/index.html" in shared
    with monkeypatch.context() as m:  # a child that fails leaves its half to this process
        m.setattr(pipeline, "stage_all", lambda *args: 1 / 0)
        m.setattr(pipeline, "FORK_EVENTS", 1)
        m.setattr(pipeline, "can_fork", lambda: True)
        build(site_root, tmp_path / "failed", today=TODAY)
    assert forks == [1, 1, 1] and read_tree(tmp_path / "failed") == read_tree(tmp_path / "alone")


def test_a_build_that_forks_to_scan_equals_a_cold_one(site_root: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.engine import lookahead, scan

    monkeypatch.setattr(scan, "FORK_ABOVE", 1)
    monkeypatch.setattr(lookahead, "FORK_ABOVE", 1)
    monkeypatch.setattr(lookahead, "BLOCK", 1)
    monkeypatch.setattr(lookahead, "can_fork", lambda: True)
    build(site_root, tmp_path / "warm", today=TODAY)
    folder = site_root / "content/kommentare/wohnen"  # a comment folder changes: its listing must show it
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "neu.yaml").write_text(COMMENT.format(id="neu", topic="wohnen", parent="null", n=1, day=2),
                                     encoding="utf-8")
    assert len(build(site_root, tmp_path / "warm", today=TODAY).written) >= 1
    build(site_root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(tmp_path / "warm") == read_tree(tmp_path / "cold")
    (tmp_path / "warm/themen/wohnen/index.html").unlink()  # a page deleted by hand: the scan must miss it
    assert build(site_root, tmp_path / "warm", today=TODAY).written == ("themen/wohnen/index.html",)
    assert read_tree(tmp_path / "warm") == read_tree(tmp_path / "cold")


def test_a_build_with_folders_listed_as_the_process_began(site_root: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """build.py starts the listing before it imports the build (lookahead.py). The build uses it,
    counts as started when the child did (a comment written after that falls in the next build's
    racy window), and a comment written after the child listed its folder is seen by the next build."""
    import os

    from sitegen.engine import cache as caching
    from sitegen.engine import fork, lookahead, scan

    monkeypatch.setattr(lookahead, "FORK_ABOVE", 1)
    monkeypatch.setattr(lookahead, "BLOCK", 1)  # the child and the build meet somewhere between the folders
    monkeypatch.setattr(lookahead, "can_fork", lambda: True)  # also on one core (no test leaves a thread: conftest)
    content, warm = site_root / "content", tmp_path / "warm"
    cancelled = []
    real_cancel = lookahead.Lookahead.cancel
    monkeypatch.setattr(lookahead.Lookahead, "cancel", lambda self: cancelled.append(self) or real_cancel(self))
    at_scan = []
    real_scan = scan._scan_all
    monkeypatch.setattr(scan, "_scan_all", lambda looking, expected: at_scan.append(
        looking.ahead and looking.ahead.child.pid) or real_scan(looking, expected))
    taken_here = []
    real_take = lookahead.take
    monkeypatch.setattr(lookahead, "take", lambda claims, order, who, base, names: (
        taken_here.append(who) if who == 2 else None) or real_take(claims, order, who, base, names))
    first = lookahead.look_ahead(content)
    build(site_root, warm, today=TODAY, tuning=Tuning(lookahead=first))
    assert first in cancelled and at_scan == [-1]  # a cold build: stopped before the scan, nothing to compare with
    assert taken_here == []  # and nothing listed here for it
    folder = content / "kommentare/wohnen"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "neu.yaml").write_text(COMMENT.format(id="neu", topic="wohnen", parent="null", n=1, day=2),
                                     encoding="utf-8")
    ahead = lookahead.look_ahead(content)
    assert ahead is not None
    assert build(site_root, warm, today=TODAY, tuning=Tuning(lookahead=ahead)).written != ()
    assert saved_cache(caching._file(site_root, warm)).started_ns == ahead.started_ns
    long_ago = 1_000_000_000_000_000_000  # 2001: no file of the folder is in the racy window, which is listed again
    for path in folder.iterdir():
        os.utime(path, ns=(long_ago, long_ago))
    build(site_root, warm, today=TODAY)
    ahead = lookahead.look_ahead(content)
    listed = ahead.child()  # the child is done: a comment written now is not in its listing

    class Finished(fork.Child):
        def __call__(self) -> Any:
            return listed

    ahead.child = Finished(-1, -1)
    (folder / "neu-2.yaml").write_text(COMMENT.format(id="neu-2", topic="wohnen", parent="null", n=2, day=3),
                                       encoding="utf-8")
    os.utime(folder / "neu-2.yaml", ns=(long_ago, long_ago))
    assert build(site_root, warm, today=TODAY, tuning=Tuning(lookahead=ahead)).written == ()
    assert "themen/wohnen/index.html" in build(site_root, warm, today=TODAY).written
    build(site_root, tmp_path / "cold", today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(warm) == read_tree(tmp_path / "cold")


def saved_cache(file: Path) -> Any:
    """The cache a build saved: the file's third pickle, after the header and the media entries."""
    import pickle
    with open(file, "rb") as f:
        pickle.load(f)
        pickle.load(f)
        return pickle.load(f)


def test_a_topic_read_again_unchanged_keeps_what_the_other_pages_saw(site_root: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """meta is a digest of the pickled record: the same values must give the same bytes in a worker
    and in the parent, or a body edit would render every other page again."""
    import os
    from sitegen.engine import cache as caching
    from sitegen.engine import worker

    out = tmp_path / "out"
    monkeypatch.setattr(worker, "SERIAL_BELOW", 1)
    build(site_root, out, today=TODAY, tuning=Tuning(jobs=2))  # records made in workers
    before = saved_cache(caching._file(site_root, out))
    later = os.stat(site_root).st_mtime_ns + 10_000_000_000
    for path in topics(site_root):  # every topic read again, its values unchanged
        os.utime(path, ns=(later, later))
    build(site_root, out, today=TODAY, tuning=Tuning(jobs=1))  # records made here
    after = saved_cache(caching._file(site_root, out))
    assert [e.key for e in after.topics.values()] != [e.key for e in before.topics.values()]
    assert {s: e.meta for s, e in after.topics.items()} == {s: e.meta for s, e in before.topics.items()}
    assert after.others_key == before.others_key


def test_a_topic_page_is_made_again_on_the_day_its_window_closes(site_root: Path, tmp_path: Path) -> None:
    """Only a topic with comments_until depends on the date, and only on the day its window closes:
    a topic without one is not even read again (a broken file with its old signature proves it)."""
    import datetime as dt
    import os
    out, last_day = tmp_path / "out", dt.date(2027, 3, 31)  # mobilitaet.md's; every fixture event is over then
    wohnen = site_root / "content/themen/wohnen.md"
    text, old = wohnen.read_bytes(), wohnen.stat().st_mtime_ns - 10_000_000_000
    os.utime(wohnen, ns=(old, old))
    build(site_root, out, today=last_day)
    assert "Mitdiskutieren bis" in (out / "themen/mobilitaet/index.html").read_text(encoding="utf-8")
    wohnen.write_bytes(b"X" * len(text))
    os.utime(wohnen, ns=(old, old))
    closed = build(site_root, out, today=last_day + dt.timedelta(days=1))
    assert {"themen/mobilitaet/index.html", "index.html", "themen/index.html"} <= set(closed.written)
    assert not [p for p in closed.written if p.startswith("themen/wohnen/")]
    assert "zu Ende gegangen" in (out / "themen/mobilitaet/index.html").read_text(encoding="utf-8")
    assert build(site_root, out, today=last_day + dt.timedelta(days=2)).written == ()
    wohnen.write_bytes(text)
    build(site_root, tmp_path / "cold", today=last_day + dt.timedelta(days=2), tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")


def test_every_topic_input_is_either_the_topics_own_or_in_the_shared_basis() -> None:
    """A build keeps a topic's page without a new key when its own files are unchanged and the
    shared basis is equal: a new TopicInputs field that is in neither list would go stale there."""
    import dataclasses
    import inspect
    from sitegen.engine.deps import OWN_INPUTS, TopicInputs, topic_basis

    shared = list(inspect.signature(topic_basis).parameters)
    assert sorted([*OWN_INPUTS, *shared]) == sorted(f.name for f in dataclasses.fields(TopicInputs))
    assert not set(OWN_INPUTS) & set(shared)


def test_a_build_makes_keys_only_for_topics_whose_own_files_changed(site_root: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A build in a new process (no session): while what all keys share is the last build's, a topic
    whose file and comment folder have the signatures of then keeps its page without its whole key
    being made; an edited event linked to a topic, or a new day, makes every key again."""
    import datetime as dt
    import os
    from sitegen.engine import topics as engine_topics

    old = os.stat(site_root).st_mtime_ns - 10_000_000_000  # outside the racy window of the next builds
    for path in (site_root / "content").rglob("*"):
        os.utime(path, ns=(old, old))
    planned: list[tuple] = []
    real = engine_topics.TopicInputs
    monkeypatch.setattr(engine_topics, "TopicInputs", lambda *args: planned.append(args) or real(*args))
    out = tmp_path / "out"
    count = len(list((site_root / "content/themen").glob("*.md")))

    def keys_made(today: dt.date = TODAY) -> int:
        planned.clear()
        build(site_root, out, today=today)
        return len(planned)

    assert keys_made() == count  # the first build knows nothing
    assert keys_made() == 0  # nothing changed
    topic = site_root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("\n---\n", "\n---\nNeu im Text.\n\n", 1),
                     encoding="utf-8")
    assert keys_made() == 1
    assert "Neu im Text." in (out / "themen/wohnen/index.html").read_text(encoding="utf-8")
    comment = site_root / "content/kommentare/mobilitaet/neu.yaml"
    comment.write_text(COMMENT.format(id="neu", topic="mobilitaet", parent="null", n=1, day=2), encoding="utf-8")
    assert keys_made() == 1
    event = site_root / "content/termine/forum.md"
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Verschoben – ", 1), encoding="utf-8")
    assert keys_made() == count
    assert "Verschoben – " in (out / "themen/mobilitaet/index.html").read_text(encoding="utf-8")
    assert keys_made(TODAY + dt.timedelta(days=1)) == count
    build(site_root, tmp_path / "cold", today=TODAY + dt.timedelta(days=1), tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")


def test_the_preview_makes_keys_only_for_what_the_watcher_saw_change(site_root: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """In the preview, a topic whose file and comments the watcher saw unchanged keeps its page
    without its key being made again, while what all keys share stays the same; an edited event
    linked to a topic, or a new day, makes every key again."""
    import datetime as dt
    from sitegen.engine import topics as engine_topics

    planned: list[tuple] = []
    real = engine_topics.TopicInputs
    monkeypatch.setattr(engine_topics, "TopicInputs", lambda *args: planned.append(args) or real(*args))
    out, session = tmp_path / "out", Session()
    count = len(list((site_root / "content/themen").glob("*.md")))

    def edit(path: Path, old: str, new: str) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        session.note(str(path))

    def keys_made(today: dt.date = TODAY) -> int:
        planned.clear()
        build(site_root, out, today=today, session=session)
        return len(planned)

    assert keys_made() == count  # the first build knows nothing
    edit(site_root / "content/themen/wohnen.md", "\n---\n", "\n---\nNeu im Text.\n\n")
    assert keys_made() == 1
    assert "Neu im Text." in (out / "themen/wohnen/index.html").read_text(encoding="utf-8")
    edit(site_root / "content/termine/forum.md", "title: ", "title: Verschoben – ")
    assert keys_made() == count
    assert "Verschoben – " in (out / "themen/mobilitaet/index.html").read_text(encoding="utf-8")
    assert keys_made() == 0  # nothing changed
    assert keys_made(TODAY + dt.timedelta(days=1)) == count
    build(site_root, tmp_path / "cold", today=TODAY + dt.timedelta(days=1), tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(tmp_path / "cold")


def test_a_link_leading_nowhere_in_a_comment_folder_is_a_content_error(site_root: Path, tmp_path: Path) -> None:
    """Listing a comment folder does not fail on a link that leads nowhere: the build reports it as
    the reader does, path:line and hint, in a warm build as in a cold one."""
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    link = site_root / "content/kommentare/mobilitaet/weg.yaml"
    link.symlink_to(site_root / "content/kommentare/mobilitaet/fehlt.yaml")
    for target in (out, tmp_path / "cold"):
        with pytest.raises(BuildError) as caught:
            build(site_root, target, today=TODAY)
        assert "content/kommentare/mobilitaet/weg.yaml:1: the file cannot be read" in caught.value.report()
