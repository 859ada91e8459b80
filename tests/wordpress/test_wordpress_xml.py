"""The export is read safely: no entity expansion, no external entities, malformed XML with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from wp_support import HANDMADE, cli

from sitegen.wordpress.wxr import ExportError, read_export

BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss><channel><item><title>&b;</title></item></channel></rss>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"export\.xml: refused: .*EntitiesForbidden|entity"):
        read_export(write(tmp_path, BOMB))


def test_external_entities_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"refused: .*(secret|Entit)"):
        read_export(write(tmp_path, EXTERNAL))


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    broken = HANDMADE.read_text(encoding="utf-8").replace("<wp:post_id>12</wp:post_id>", "<wp:post_id>12</wp:post_ID>")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "post_ID" in text)
    with pytest.raises(ExportError, match=rf"^error: .*export\.xml:{line}: malformed XML: mismatched tag"):
        read_export(write(tmp_path, broken))


def test_a_file_that_is_no_export_says_so(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"export\.xml:1: not a WordPress export"):
        read_export(write(tmp_path, "<html><body/></html>"))


def test_the_wp_namespace_is_matched_by_its_prefix(tmp_path: Path) -> None:
    older = HANDMADE.read_text(encoding="utf-8").replace("export/1.2/", "export/1.1/")
    export = read_export(write(tmp_path, older))
    assert export.base_url == "https://zukunft.jena.example"
    assert [i.id for i in export.items][:3] == ["10", "11", "12"]
    assert export.items[0].excerpt.startswith("Digitalisierung") and len(export.items[0].comments) == 9


def test_the_command_gives_one_line_for_a_hostile_export(site: Path, tmp_path: Path) -> None:
    done = cli(site, "import-wordpress", str(write(tmp_path, BOMB)))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "refused" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
