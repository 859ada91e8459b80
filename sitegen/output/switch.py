"""The switch from the old site to the new one, completed even after a kill at any instant.

A build stages its changed pages in a folder of its own inside the output folder. Before the
first page moves, it writes a journal there (fsynced): every move (staged file -> page), every
stale file to remove, and the final manifest. Then it carries the journal out and the staging
folder goes. A build killed during the switch leaves its staging folder with the journal; the
next build into the folder (`build` or `serve`), holding the folder's lock, carries out the rest
before it does anything else, so the site is then exactly the new one. A staging folder without a
journal belongs to a build killed before its switch began: the old site is whole, the folder goes.

What a server serving the output folder directly sees: each page is replaced by a rename, so it
is always the old or the new one, never half of each; while the switch runs (milliseconds for a
few pages) old and new pages coexist, and stale pages disappear last. After a kill, that mix stays
until the next build command starts.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .manifest import record_manifest, remove_stale
from .paths import MANIFEST, STAGING, WriteError, safe_path

JOURNAL = "journal.json"


@dataclass(frozen=True)
class Plan:
    """What a switch does, in order: moves (staged file's name in the staging folder, page path),
    stale pages removed, then the manifest written (None: it lists the same files as before, as
    after most edits: the journal then stays small, not tens of thousands of paths per build)."""

    moves: tuple[tuple[str, str], ...]
    stale: tuple[str, ...]
    manifest: tuple[str, ...] | None


def commit(stage: Path, plan: Plan) -> None:
    """Write the journal durably: from its rename on, the switch will be completed whatever happens."""
    for name, _ in plan.moves:
        if not _plain(name):
            raise WriteError(f"refusing to stage '{name}': not a file of the staging folder")
    tmp = stage / (JOURNAL + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"moves": plan.moves, "stale": plan.stale, "manifest": plan.manifest}, f)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, stage / JOURNAL)  # atomic on POSIX, as os.replace
    _sync(stage)


def carry_out(out: Path, stage: Path, plan: Plan, inside: dict[str, bool] | None = None) -> list[str]:
    """Do what the plan says; a move already done (its staged file gone) is skipped, so this may
    run again after a kill. Returns the stale pages removed."""
    made: set[Path] = set()
    for name, rel in plan.moves:
        staged = stage / name
        if not os.path.lexists(staged):
            continue  # moved before the kill
        target = safe_path(out, rel, inside)
        if target.parent not in made:  # a folder made once per switch, not once per page
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        os.replace(staged, target)
    removed = remove_stale(out, set(plan.stale))
    if plan.manifest is not None:
        record_manifest(out, plan.manifest)
    return removed


def recover(out: Path) -> bool:
    """With the folder's lock held: complete the switch of a build that died during it, and remove
    the staging folders of builds that died before theirs (a deploy would publish their pages).
    True if a switch was completed: the cache no longer describes out/."""
    completed = False
    for tmp in Path(out).glob(f".{MANIFEST}.*.tmp"):  # a manifest being written when the build was killed
        tmp.unlink(missing_ok=True)
    for dead in sorted(Path(out).glob(STAGING + "-*")):
        if not dead.is_dir() or dead.is_symlink():
            continue
        plan = _journal(dead)
        if plan is not None:
            carry_out(Path(out), dead, plan)
            completed = True
        shutil.rmtree(dead, ignore_errors=True)
    return completed


def _journal(stage: Path) -> Plan | None:
    """The journal a staging folder holds, or None (none yet: the switch had not begun)."""
    try:
        data = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
        manifest = data["manifest"]
        return Plan(tuple((str(n), str(r)) for n, r in data["moves"]), tuple(map(str, data["stale"])),
                    None if manifest is None else tuple(map(str, manifest)))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:  # written by rename: damage is not ours
        raise WriteError(f"the switch journal {stage / JOURNAL} cannot be read ({exc}); remove {stage} "
                         "and build again") from None


def _plain(name: str) -> bool:
    return bool(name) and "/" not in name and name not in (".", "..") and name != JOURNAL


def _sync(folder: Path) -> None:
    """fsync a folder, so a rename in it survives a power cut (not possible everywhere: skipped there)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
