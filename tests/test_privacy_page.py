"""The privacy page says what the chosen form provider and the intake settings really do."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from sitegen import BuildError, build
from sitetest import TODAY


def configure(root: Path, form: dict[str, Any], intake: dict[str, Any]) -> None:
    path = root / "content" / "site.yaml"
    site = yaml.safe_load(path.read_text(encoding="utf-8"))
    site["form"], site["intake"] = form, intake
    path.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")


def text_of(out: Path, rel: str) -> str:
    page = BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html5lib")
    return re.sub(r"\s+", " ", page.select_one("main").get_text(" "))


CASES = {
    "netlify kept": ({"provider": "netlify", "name": "kommentare"},
                     {"retention_days": 30, "netlify": {"delete_after_pull": False}},
                     ["in die USA übermittelt", "Akismet", "bleiben bei Netlify Forms gespeichert, bis die Redaktion",
                      "spätestens 30 Tage"],
                     ["keine Daten an Dritte", "Wir löschen jede Einsendung"]),
    "netlify deleted": ({"provider": "netlify", "name": "kommentare"},
                        {"netlify": {"delete_after_pull": True}},
                        ["in die USA übermittelt", "Wir löschen jede Einsendung bei Netlify Forms", "spätestens 180 Tage"],
                        ["bleiben bei Netlify Forms gespeichert"]),
    "formspree": ({"provider": "formspree", "formspree_id": "abcd"}, {"retention_days": 60},
                  ["Formspree (Formspree, Inc., USA)", "in die USA übermittelt", "bleiben bei Formspree gespeichert",
                   "spätestens 60 Tage"],
                  ["Akismet", "keine Daten an Dritte"]),
    "receiver": ({"provider": "receiver", "action": "https://kommentare.example.org/kommentar"},
                 {"source": "receiver", "receiver": {"url": "https://kommentare.example.org"}},
                 ["ein Server der Stadt (Stadtverwaltung Musterstadt)", "an niemanden außerhalb der Stadtverwaltung",
                  "IP-Adresse und die Kennung Ihres Browsers speichern wir nicht", "dort gelöscht, sobald sie abgerufen",
                  "Es werden keine Daten an Dritte übermittelt"],
                 ["USA", "Akismet", "Netlify"]),
}


@pytest.mark.parametrize("case", CASES)
def test_the_privacy_page_follows_the_form_provider(site_root: Path, tmp_path: Path, case: str) -> None:
    form, intake, says, never = CASES[case]
    configure(site_root, form, intake)
    build(site_root, tmp_path / "out", today=TODAY)
    privacy = text_of(tmp_path / "out", "datenschutz/index.html")
    for sentence in says:
        assert sentence in privacy, sentence
    for sentence in never:
        assert sentence not in privacy, sentence


def test_the_receivers_form_posts_to_the_receiver(site_root: Path, tmp_path: Path) -> None:
    configure(site_root, CASES["receiver"][0], CASES["receiver"][1])
    build(site_root, tmp_path / "out", today=TODAY)
    page = BeautifulSoup((tmp_path / "out" / "themen" / "mobilitaet" / "index.html").read_text(encoding="utf-8"),
                         "html5lib")
    forms = page.select("form.comment-form")
    assert forms and {f["action"] for f in forms} == {"https://kommentare.example.org/kommentar"}
    assert all(f.select_one("input[name=bot-field]") and not f.get("data-netlify") for f in forms)
    thanks = BeautifulSoup((tmp_path / "out" / "danke" / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert thanks.select_one("a[data-topic-link]")["href"] == "/themen/"  # without JavaScript: every topic


def test_a_receiver_without_its_address_is_a_content_error(site_root: Path, tmp_path: Path) -> None:
    configure(site_root, {"provider": "receiver"}, {})
    with pytest.raises(BuildError, match="form.provider is receiver but form.action is missing"):
        build(site_root, tmp_path / "out", today=TODAY)
