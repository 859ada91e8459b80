"""What visitors and machines get: every page kind, the form, feeds, calendars, open data."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitetest import FIXTURE, TODAY
from sitegen import build

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder, root = tmp_path_factory.mktemp("pages"), tmp_path_factory.mktemp("pages-src") / "site"
    shutil.copytree(FIXTURE, root)  # the build's cache goes there, not into tests/fixtures
    build(root, folder, today=TODAY)
    return folder


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html5lib")


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_is_german_has_footer_links_and_loads_nothing_from_elsewhere(out: Path) -> None:
    for path in html_pages(out):
        page = soup(out, path.relative_to(out).as_posix())
        assert page.html["lang"] == "de"
        footer = {a["href"] for a in page.select("footer a")}
        assert {"/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/"} <= footer, path
        for el in page.select("script[src], link[href]:not([rel=canonical]), img[src], iframe, video, audio, source, object, embed"):
            ref = el.get("src") or el.get("href") or ""
            assert ref.startswith("/") and not ref.startswith("//"), f"{path}: {el}"
        assert page.select_one("a.skip[href='#inhalt']") and page.select_one("main#inhalt")


def test_start_page_lists_open_topics_and_upcoming_events(out: Path) -> None:
    page = soup(out, "index.html")
    assert [a.get_text() for a in page.select(".cards h3 a")] == ["Mobilität 2040"]  # Wohnen's comments are closed
    listed = soup(out, "themen/index.html")
    assert [a.get_text() for a in listed.select(".cards h2 a")] == ["Mobilität 2040", "Wohnen für alle"]
    events = [a.get_text() for a in page.select(".events a")]
    assert events == ["Bürgerforum Mobilität", "Online-Sprechstunde"]  # the past one is not upcoming


def test_topic_page_shows_every_element(out: Path) -> None:
    page = soup(out, "themen/mobilitaet/index.html")
    text = page.get_text(" ")
    for expected in ("Zukunftsthema", "Mobilität 2040", "Wie wir uns morgen bewegen", "Erika Beispiel",
                     "Vorständin des Verkehrsvereins", "Musterstädter Zeitung", "(PDF, 1,2 MB)", "Bild: complan",
                     "Worum es geht", "Diskutieren Sie mit"):
        assert expected in text, expected
    assert page.select_one("a[href='https://presse.example.org/interview']")
    assert page.select_one("img[src^='/dateien/strasse-1600w.'][alt='Eine Straße mit Radweg und Bäumen']")
    badges = [b.get_text() for b in page.select(".badge")]
    assert badges == ["Antwort der Stadt Musterstadt", "Antwort des Themenpaten"]
    assert page.select_one("#kommentar-k3").find_parent("ol").find_parent("ol").find_parent("ol")  # 3 levels
    assert not page.select_one("#kommentar-k3 details.reply")  # no replies below depth 3


def test_comment_form_works_without_javascript(out: Path) -> None:
    page = soup(out, "themen/mobilitaet/index.html")
    form = page.select_one("h2#kommentieren ~ form.comment-form")
    assert form["method"] == "post" and form["action"] == "/danke/" and form["data-netlify"] == "true"
    for field in form.select("input:not([type=hidden]), textarea"):
        label = page.select_one(f"label[for='{field['id']}']")
        assert label is not None, field
        if field.has_attr("required"):
            assert "(Pflichtfeld)" in label.get_text()
    assert form.select_one("input[name=email]:not([required])")
    assert "nicht veröffentlicht" in form.get_text()
    assert form.select_one("label a[href='/datenschutz/']")
    assert form.select_one("input[name=bot-field]") and form["data-netlify-honeypot"] == "bot-field"
    assert form.select_one("input[type=hidden][name=topic]")["value"] == "mobilitaet"
    assert form.select_one("input[type=hidden][name=parent]")["value"] == ""
    reply = page.select_one("#kommentar-k1 form")
    assert reply.select_one("input[name=parent]")["value"] == "k1"


def test_closed_topic_has_no_form(out: Path) -> None:
    page = soup(out, "themen/wohnen/index.html")
    assert not page.select("form") and "Kommentarfunktion für dieses Thema ist geschlossen" in page.get_text()


@pytest.mark.parametrize("provider,extra,action,honeypot", [
    ("formspree", "  formspree_id: xyzabc\n", "https://formspree.io/f/xyzabc", "_gotcha"),
    ("url", "  action: https://forms.example.org/in\n", "https://forms.example.org/in", "bot-field"),
])
def test_form_follows_the_configured_endpoint(site_root: Path, tmp_path: Path, provider: str, extra: str,
                                              action: str, honeypot: str) -> None:
    config = site_root / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  provider: netlify\n", f"  provider: {provider}\n{extra}"),
                      encoding="utf-8")
    build(site_root, tmp_path / "o", today=TODAY)
    form = soup(tmp_path / "o", "themen/mobilitaet/index.html").select_one("form")
    assert form["action"] == action and not form.has_attr("data-netlify")
    assert form.select_one(f"input[name={honeypot}]")


def test_events_list_and_event_page(out: Path) -> None:
    page = soup(out, "termine/index.html")
    upcoming, past = page.select("section")
    assert [a.get_text() for a in upcoming.select("a")] == ["Bürgerforum Mobilität", "Online-Sprechstunde"]
    assert [a.get_text() for a in past.select("a")] == ["Auftakt im Sommer"]
    assert not page.select("table")  # a list, not a grid
    event = soup(out, "termine/forum/index.html")
    data = json.loads(event.select_one("script[type='application/ld+json']").string)
    assert data["@type"] == "Event" and data["startDate"] == "2026-12-01T18:00:00+01:00"
    assert data["location"]["address"] == "Marktplatz 1, 12345 Musterstadt"
    assert event.select_one("a[href='/termine/forum.ics']")
    online = json.loads(soup(out, "termine/online/index.html").select_one("script[type='application/ld+json']").string)
    assert online["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    assert online["eventStatus"].endswith("EventPostponed")


def test_feeds_sitemap_robots_and_open_data(out: Path) -> None:
    topics = ET.parse(out / "feeds/themen.xml").getroot()
    assert [e.find(f"{ATOM}title").text for e in topics.findall(f"{ATOM}entry")] == ["Mobilität 2040", "Wohnen für alle"]
    comments = ET.parse(out / "feeds/kommentare.xml").getroot()
    assert comments.find(f"{ATOM}entry/{ATOM}id").text == "https://zukunft.example.org/themen/mobilitaet/#kommentar-k4"
    urls = [u.text for u in ET.parse(out / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://zukunft.example.org/themen/mobilitaet/" in urls and len(urls) == len(set(urls))
    assert not any("entwurf" in u for u in urls)
    assert "Sitemap: https://zukunft.example.org/sitemap.xml" in (out / "robots.txt").read_text()
    data = json.loads((out / "daten/kommentare.json").read_text(encoding="utf-8"))
    assert data["count"] == 4
    assert set(data["comments"][0]) == {"id", "topic", "parent", "name", "body", "date", "official"}


def test_thank_you_and_404(out: Path) -> None:
    assert "erscheint auf der Seite, nachdem die Redaktion ihn geprüft hat" in soup(out, "danke/index.html").get_text()
    assert soup(out, "404.html").select_one("a[href='/']")


def test_legal_pages_use_site_facts(out: Path) -> None:
    impressum = soup(out, "impressum/index.html").get_text(" ")
    assert "§ 5 DDG" in impressum and "Marktplatz 1, 12345 Musterstadt" in impressum and "§ 18 Abs. 2 MStV" in impressum
    privacy = soup(out, "datenschutz/index.html").get_text(" ")
    for fact in ("Art. 6 Abs. 1 Buchst. a DSGVO", "Beispiel-CDN GmbH", "Netlify", "90 Tage", "Art. 77 DSGVO"):
        assert fact in privacy, fact
    a11y = soup(out, "barrierefreiheit/index.html")
    assert a11y.select_one("a[href='mailto:barrieren@example.org']")
    assert a11y.select_one("a[href='https://schlichtung.example.org/']").get_text() == "Schlichtungsstelle Musterland"


def test_real_site_shows_the_seed_topic_completely(real_site: Path, tmp_path: Path) -> None:
    build(real_site, tmp_path, today=TODAY)
    page = soup(tmp_path, "themen/digital-stadt-jena/index.html")
    text = re.sub(r"\s+", " ", page.get_text(" "))
    for expected in ("Zukunftsthema", "Digital.Stadt.Jena",
                     "Vernetzung/Digitalisierung von Stadt, Wirtschaft, Wissenschaft und Kultur",
                     "Themenpate", "Conrad Wrobel", "Aufsichtsrat der TowerByte eG",
                     "Ein Interview mit dem Themenpaten", "begleitenden Artikelserie der regionalen Presse",
                     "Bild: complan", "Querschnittsaufgabe", "Vorreiterrolle", "unsere bisherigen Überlegungen",
                     "Diskutieren Sie mit und übermitteln Sie uns Ihre Anregungen und Fragen zu diesem Zukunftsthema",
                     "Schreiben Sie einen Kommentar"):
        assert expected in text, expected
    assert not re.search(r"https?://", " ".join(a.get("href", "") for a in page.select("main a")))  # no invented URLs


def test_a_long_page_encoded_a_piece_at_a_time_is_the_page_rendered_whole(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The list of all topics is encoded a piece at a time (render.long_page): cut into many pieces
    here, umlauts included, it is byte for byte what Renderer.page makes of the same template."""
    from sitegen.core import render
    from sitegen.core.site import pages

    made: list[str] = []
    real = render.Renderer.long_page

    def compared(self: render.Renderer, template: str, url: str, **context: object) -> bytes:
        page = real(self, template, url, **context)
        assert page == self.page(template, url, **context) and "für".encode() in page
        made.append(template)
        return page

    monkeypatch.setattr(render, "LONG_PAGE_PIECE", 100)
    monkeypatch.setattr(render.Renderer, "long_page", compared)
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    assert len(dict(pages(root, TODAY))["themen/index.html"]) > 10 * 100
    assert made == ["topics.html"]
