"""The import as a command: dry run, a second run, the result building and checking, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wp_support import ENV, HANDMADE, REPO, UPLOADS, cli, import_into, tree


def test_dry_run_prints_what_would_be_written_and_writes_nothing(site: Path) -> None:
    before = tree(site)
    done = cli(site, "import-wordpress", str(HANDMADE), "--uploads", str(UPLOADS), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert tree(site) == before  # no page, no comment, no inbox, no report
    assert "# WordPress import (dry run: nothing written)" in done.stdout
    assert "would write content/themen/smart-city-jena.md" in done.stdout
    assert "would write content/kommentare/smart-city-jena/wordpress-101.yaml" in done.stdout
    assert "would write content/dateien/2019/05/rathaus-jena.jpg" in done.stdout
    assert "10 files would be written" in done.stdout  # 4 pages + 5 comments + 1 file; one clash


def test_a_second_run_changes_nothing(site: Path) -> None:
    import_into(site, pages=True)
    first = tree(site)
    out = import_into(site, pages=True)
    second = tree(site)
    del first["import-report.md"], second["import-report.md"]
    assert second == first  # every page, comment, file and inbox entry byte for byte
    assert out.split("\n")[2].startswith("0 files written, 10 unchanged, 1 clashes;")
    assert "0 to the inbox as pending" in out and "1 already in the inbox" in out


def test_the_report_is_written_beside_content_and_never_built(site: Path) -> None:
    out = import_into(site)
    report = (site / "import-report.md").read_text(encoding="utf-8")
    assert out.startswith(report)
    assert not list((site / "content").rglob("import-report*"))


def test_the_result_builds_without_errors_and_check_lists_only_what_is_missing(site: Path) -> None:
    done = cli(site, "import-wordpress", str(HANDMADE), "--uploads", str(UPLOADS), "--pages")
    assert done.returncode == 0, done.stderr
    built = cli(site, "--out", str(site / "out"))
    assert built.returncode == 0, built.stderr
    assert (site / "out/themen/smart-city-jena/index.html").is_file()
    assert (site / "out/ueber-uns/index.html").is_file()
    page = (site / "out/themen/smart-city-jena/index.html").read_text(encoding="utf-8")
    assert 'id="kommentar-wordpress-104"' in page and "anna@mail.example" not in page
    checked = cli(site, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "check: no problems found" in checked.stdout
    todo = [line for line in checked.stdout.splitlines() if line.startswith("  - ")]
    # only what the repository's own site still misses; nothing the import made
    assert not [line for line in todo if "smart-city" in line or "gruene" in line or "ueber-uns" in line]


def test_a_missing_export_is_one_line_not_a_traceback(site: Path) -> None:
    done = cli(site, "import-wordpress", str(site / "nope.xml"))
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "nope.xml" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_usage_errors_exit_2(site: Path) -> None:
    done = cli(site, "import-wordpress", str(HANDMADE), "--only-type", "attachment")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_a_pending_comment_from_wordpress_is_approved_with_the_intake_as_any_other(site: Path) -> None:
    import_into(site)
    env = {**os.environ, **ENV, "INTAKE_EDITOR": "Redaktion"}
    done = subprocess.run([sys.executable, "-m", "intake", "--root", str(site), "approve", "wordpress-105"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    published = (site / "content/kommentare/smart-city-jena/wordpress-105.yaml").read_text(encoding="utf-8")
    assert "name: Emil Wartend" in published and "emil@mail.example" not in published
    assert cli(site, "--out", str(site / "out")).returncode == 0
