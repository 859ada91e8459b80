"""Output writing checked where the mutation run (bench/mutation.py) found gaps: sitegen/output/paths.py, staging.py."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitetest import REPO
from sitegen.output.paths import replace, write_file
from sitegen.output.staging import discard_staging, staging


# In a child process: a file size limit in pytest's own process would also fail pytest's writes to
# its output when that is a file (CI logs to one), not only the write under test.
LIMITED = """
import errno, json, resource, signal, sys
from pathlib import Path
from sitegen.output.paths import replace
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process instead
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # a full disk without a full disk: EFBIG past 4 KiB
try:
    replace(Path(sys.argv[1]), b"x" * 16384)
except OSError as exc:
    print(json.dumps([exc.errno, exc.strerror, exc.filename]))
"""


def test_a_full_disk_while_writing_a_page_names_the_page_and_the_cause() -> None:
    with pytest.raises(OSError) as caught:
        write_file(Path("/dev/full"), b"x" * 10)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == \
        (errno.ENOSPC, "No space left on device", "/dev/full")


def test_a_failed_replace_names_the_target_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "seite" / "index.html"
    done = subprocess.run([sys.executable, "-c", LIMITED, str(target)], capture_output=True, text=True,
                          timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [errno.EFBIG, "File too large", str(target)]
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
