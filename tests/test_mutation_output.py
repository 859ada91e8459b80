"""Output writing checked where the mutation run (bench/mutation.py) found gaps: sitegen/output/paths.py, staging.py."""

from __future__ import annotations

import errno
import resource
import signal
from pathlib import Path
from typing import Iterator

import pytest

from sitegen.output.paths import replace, write_file
from sitegen.output.staging import discard_staging, staging


@pytest.fixture
def small_files() -> Iterator[int]:
    """Files in this process may grow to 4 KiB only (a full disk without a full disk): writes past it fail EFBIG."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    before = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        yield 4096
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, before)


def test_a_full_disk_while_writing_a_page_names_the_page_and_the_cause() -> None:
    with pytest.raises(OSError) as caught:
        write_file(Path("/dev/full"), b"x" * 10)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.ENOSPC, "No space left on device", "/dev/full")


def test_a_failed_replace_names_the_target_and_leaves_no_temp_file(tmp_path: Path, small_files: int) -> None:
    target = tmp_path / "seite" / "index.html"
    with pytest.raises(OSError) as caught:
        replace(target, b"x" * (small_files * 4))
    assert (caught.value.errno, caught.value.filename) == (errno.EFBIG, str(target))
    assert caught.value.strerror == "File too large"
    assert list(target.parent.iterdir()) == []  # neither the page nor a half-written temp file


def test_replace_writes_a_world_readable_page(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.html"
    replace(target, b"<p>neu</p>")
    assert target.read_bytes() == b"<p>neu</p>" and target.stat().st_mode & 0o777 == 0o644


def test_discarding_a_staging_folder_already_removed_is_quiet(tmp_path: Path) -> None:
    """A failed first build removes the whole output folder, staging inside it, before the staging is discarded."""
    stage = staging(tmp_path / "site")
    (stage / "seite.put").write_bytes(b"x")
    discard_staging(stage)
    assert not stage.exists()
    discard_staging(stage)  # must not raise FileNotFoundError over the build's own error
    discard_staging(None)
