"""`build.py check --release`: the publish gate that every deploy recipe runs first."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from sitegen.check import run_check
from sitetest import REPO, TODAY


def release(root: Path, vnu: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(root, today=TODAY, vnu=vnu, stream=out, release=True)
    return code, out.getvalue()


def edit(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / "content" / "site.yaml"
    site = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(site)
    path.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_fixture_site_is_ready_to_publish(site_root: Path) -> None:
    code, said = release(site_root, vnu=True)
    assert code == 0, said
    assert "Not ready" not in said


def test_the_repositorys_own_site_is_not_ready_and_says_why_with_lines(real_site: Path) -> None:
    said = subprocess.run([sys.executable, "build.py", "check", "--release", "--no-vnu", "--root", str(real_site)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert said.returncode == 1
    for expected in ("content/site.yaml:6: 'base_url' is not filled in",
                     "'operator.name' is not filled in: Impressum", "'responsible.name' is not filled in",
                     "'privacy.dpo_contact' is not filled in", "'accessibility.contact' is not filled in",
                     "'privacy.transfer_basis' is empty", "intake.netlify.delete_after_pull is not true"):
        assert expected in said.stdout, expected
    site = (REPO / "content" / "site.yaml").read_text(encoding="utf-8").splitlines()
    line = int(said.stdout.split("'operator.name'")[0].rsplit("content/site.yaml:", 1)[1].split(":")[0])
    assert site[line - 1].strip().startswith("name:")  # the line of the empty fact itself


def test_plain_check_lists_the_same_facts_as_a_to_do_and_passes(real_site: Path) -> None:
    out = io.StringIO()
    assert run_check(real_site, today=TODAY, vnu=False, stream=out) == 0, out.getvalue()
    assert "Editor's to-do" in out.getvalue() and "content/site.yaml:6: 'base_url'" in out.getvalue()


CASES = {
    "empty legal fact": (lambda s: s["operator"].update(name=None), "'operator.name' is not filled in"),
    "no base_url": (lambda s: s.update(base_url=None), "'base_url' is not filled in"),
    "http base_url": (lambda s: s.update(base_url="http://zukunft.example.org"), "must be an https:// address"),
    "base_url without a host": (lambda s: s.update(base_url="https:///zukunft"), "'base_url' must be an https://"),
    "receiver without a host": (lambda s: (s.update(form={"provider": "receiver", "action": "https:///kommentar"}),
                                           s["intake"].update(source="receiver")), "'form.action' must be an https://"),
    "receiver with a bad port": (lambda s: (s.update(form={"provider": "receiver", "action": "https://k.example:x/k"}),
                                            s["intake"].update(source="receiver")), "'form.action' must be an https://"),
    "receiver without https": (lambda s: (s.update(form={"provider": "receiver", "action": "http://k.example/kommentar"}),
                                          s["intake"].update(source="receiver")), "'form.action' must be an https://"),
    "form and pull disagree": (lambda s: s.update(form={"provider": "receiver", "action": "https://k.example/kommentar"}),
                               "intake.source is netlify"),
    "US processor without transfer basis": (lambda s: s["privacy"].pop("transfer_basis"), "'privacy.transfer_basis' is empty"),
    "netlify keeps submissions": (lambda s: s["intake"]["netlify"].update(delete_after_pull=False),
                                  "delete_after_pull is not true"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_blocker_fails_the_release(site_root: Path, case: str) -> None:
    change, says = CASES[case]
    edit(site_root, change)
    code, said = release(site_root)
    assert code == 1 and says in said, said


def test_a_missing_legal_page_fails_the_release(site_root: Path) -> None:
    (site_root / "content" / "seiten" / "impressum.md").unlink()
    code, said = release(site_root)
    assert code == 1 and "content/seiten/impressum.md: missing: the Impressum" in said
