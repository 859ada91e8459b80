"""Open data with a licence (issue 15, item 7): topics, events and comments as JSON and CSV under
/daten/, each JSON file valid against the JSON Schema published next to it."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from sitetest import FIXTURE, TODAY
from sitegen import build
from sitegen.core.opendata import FORMULA, LICENSE_NAME, LICENSE_URL

DATASETS = {"themen": "topics", "termine": "events", "kommentare": "comments"}
TRICKY = {"f1": "=HYPERLINK(\"https://evil.example\";\"Klick\")", "f2": "+49 123", "f3": "-1+1", "f4": "@SUM(A1)"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with comments a spreadsheet would run as formulas."""
    root = tmp_path_factory.mktemp("daten-src") / "site"
    shutil.copytree(FIXTURE, root)
    for n, (cid, text) in enumerate(TRICKY.items()):
        data = {"id": cid, "topic": "mobilitaet", "parent": None, "name": text, "body": f"{text}\nZeile 2; mit, Zeichen",
                "date": f"2026-11-1{n}T00:00:00Z", "official": None, "moderated_at": None, "moderated_by": "test"}
        (root / f"content/kommentare/mobilitaet/{cid}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    folder = tmp_path_factory.mktemp("daten")
    build(root, folder, today=TODAY)
    return folder


def load_json(out: Path, name: str) -> dict:
    return json.loads((out / f"daten/{name}").read_text(encoding="utf-8"))


def load_csv(out: Path, name: str) -> list[dict[str, str]]:
    data = (out / f"daten/{name}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 only with it
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("name", DATASETS)
def test_each_dataset_is_valid_against_its_published_schema(out: Path, name: str) -> None:
    schema = load_json(out, f"{name}.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    data = load_json(out, f"{name}.json")
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["license"] == {"name": LICENSE_NAME, "url": LICENSE_URL}
    assert data["publisher"] == "Stadtverwaltung Musterstadt"
    assert data["schema"] == f"https://zukunft.example.org/daten/{name}.schema.json"
    assert data["count"] == len(data[DATASETS[name]]) > 0


def test_each_topic_says_how_many_comments_it_has_in_json_and_csv(out: Path) -> None:
    """Issue 15 item 6 left the count out: the number the topic's page shows (approved comments and
    official replies), in themen.json, themen.csv and the schema."""
    published = {p.name: len(list(p.glob("*.yaml"))) for p in (FIXTURE / "content/kommentare").iterdir()}
    counts = {t["slug"]: t["comment_count"] for t in load_json(out, "themen.json")["topics"]}
    assert counts == {"mobilitaet": published["mobilitaet"] + len(TRICKY), "wohnen": 0}
    assert {r["slug"]: r["comment_count"] for r in load_csv(out, "themen")} == {k: str(v) for k, v in counts.items()}
    schema = load_json(out, "themen.schema.json")["properties"]["topics"]["items"]
    assert schema["properties"]["comment_count"] == {
        "type": "integer", "minimum": 0, "description": "Zahl der freigegebenen Kommentare und offiziellen Antworten."}


def test_each_topic_gives_the_last_day_of_its_participation_window_in_json_and_csv(out: Path) -> None:
    """"comments": "open" alone left a reuser unable to tell that a topic's participation has ended."""
    until = {t["slug"]: t["comments_until"] for t in load_json(out, "themen.json")["topics"]}
    assert until == {"mobilitaet": "2027-03-31", "wohnen": None}
    assert {r["slug"]: r["comments_until"] for r in load_csv(out, "themen")} == {"mobilitaet": "2027-03-31",
                                                                                  "wohnen": ""}
    schema = load_json(out, "themen.schema.json")["properties"]["topics"]["items"]["properties"]
    assert schema["comments_until"]["format"] == "date" and "comments_until" in schema["comments"]["description"]


def test_a_record_missing_a_promised_field_fails_its_schema(out: Path) -> None:
    schema = load_json(out, "termine.schema.json")
    data = load_json(out, "termine.json")
    del data["events"][0]["start"]
    with pytest.raises(jsonschema.ValidationError, match="'start' is a required property"):
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("name", DATASETS)
def test_each_csv_has_the_json_records_row_by_row(out: Path, name: str) -> None:
    records, rows = load_json(out, f"{name}.json")[DATASETS[name]], load_csv(out, name)
    assert [r["slug" if name != "kommentare" else "id"] for r in rows] == \
        [r["slug" if name != "kommentare" else "id"] for r in records]
    for record, row in zip(records, rows):
        flat = dict(record, **{f"location_{k}" if k != "online_url" else k: v
                               for k, v in record.pop("location", {}).items()})
        for column, cell in row.items():
            value = flat[column]
            value = ", ".join(value) if isinstance(value, list) else "" if value is None else str(value)
            assert cell == ("'" + value if value.startswith(FORMULA) else value), (name, column)


def test_cells_a_spreadsheet_would_run_are_defused_in_csv_and_exact_in_json(out: Path) -> None:
    rows = {r["id"]: r for r in load_csv(out, "kommentare")}
    comments = {c["id"]: c for c in load_json(out, "kommentare.json")["comments"]}
    for cid, text in TRICKY.items():
        assert rows[cid]["name"] == "'" + text and comments[cid]["name"] == text
        assert rows[cid]["body"] == "'" + text + "\nZeile 2; mit, Zeichen"
    assert (out / "daten/kommentare.csv").read_bytes().count(b"\r\n") >= len(rows) + 1  # CRLF rows


def test_the_daten_page_lists_every_dataset_and_the_licence_and_every_footer_links_it(out: Path) -> None:
    page = BeautifulSoup((out / "daten/index.html").read_text(encoding="utf-8"), "html5lib")
    assert page.select_one("h1").get_text() == "Offene Daten" and page.html["lang"] == "de"
    links = {a["href"] for a in page.select("main a")}
    for name in DATASETS:
        assert {f"/daten/{name}.json", f"/daten/{name}.csv", f"/daten/{name}.schema.json"} <= links
        assert (out / f"daten/{name}.csv").is_file()
    assert page.select_one(f"main a[href='{LICENSE_URL}']").get_text() == LICENSE_NAME
    assert "Semikolon" in page.get_text() and "Stadtverwaltung Musterstadt" in page.get_text()
    for path in out.rglob("*.html"):
        footer = BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib").select("footer a[href='/daten/']")
        assert len(footer) == 1, path
    assert "<loc>https://zukunft.example.org/daten/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_the_licence_comes_from_site_yaml(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    config = root / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "open_data:\n  license_name: CC BY 4.0\n"
                      "  license_url: https://creativecommons.org/licenses/by/4.0/\n", encoding="utf-8")
    build(root, tmp_path / "out", today=TODAY)
    for name in DATASETS:
        assert load_json(tmp_path / "out", f"{name}.json")["license"] == {
            "name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert "CC BY 4.0" in (tmp_path / "out/daten/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_listing_is_written_one_record_at_a_time_with_the_same_bytes(count: int) -> None:
    from sitegen.core.opendata import _json, _listing
    blns = json.loads((Path(__file__).parent / "data" / "blns.json").read_text(encoding="utf-8"))
    top = {"title": 'Stadt "topics": [] \n', "license": {"name": "ä", "url": "u"}}  # the key's text in a value
    records = [{"slug": f"s{i}", "title": blns[i * 37 % len(blns)], "tags": ["a", "b\nc"][:i],
                "location": {"name": None, "topics": [[], {}]}} for i in range(count)]
    assert _listing(top, "topics", iter(records), count) == _json(dict(top, topics=records, count=count))
