"""Issue 15, items 1 and 4: the start page's cards, branding from site.yaml, and what other sites read
(OpenGraph, the web manifest, JSON-LD, sitemap lastmod)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitetest import REPO, TODAY, read_tree
from sitegen import BuildError, Tuning, build
from sitegen.core import brand

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
COMMENT = """id: neu-1
topic: mobilitaet
parent: null
name: Besucherin
body: Ein neuer Kommentar.
date: 2026-11-20T10:00:00Z
official: null
moderated_at: 2026-11-20T12:00:00Z
moderated_by: test
"""


def built(root: Path, out: Path) -> Path:
    build(root, out, today=TODAY, tuning=Tuning(cache=False))
    return out


def soup(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def meta(page: BeautifulSoup, prop: str) -> str | None:
    tag = page.find("meta", attrs={"property": prop}) or page.find("meta", attrs={"name": prop})
    return tag["content"] if tag else None


def set_brand(root: Path, lines: str) -> None:
    """Replace the fixture's brand group (its two lines after 'brand:')."""
    path = root / "content/site.yaml"
    text = re.sub(r"brand:.*\n(  .*\n)+", "brand:\n" + lines, path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


def line_of(root: Path, start: str) -> int:
    lines = (root / "content/site.yaml").read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


@pytest.mark.parametrize("colour,ratio", [("#0b4f8a", 8.40), ("#767676", 4.54), ("#ffcc00", 1.51), ("#fff", 1.0)])
def test_contrast_on_white_is_wcags(colour: str, ratio: float) -> None:
    assert brand.contrast_on_white(colour) == pytest.approx(ratio, abs=0.01)


def test_the_hint_for_a_pale_accent_passes_aa() -> None:
    assert brand.contrast_on_white(brand.darker("#ffcc00")) >= brand.AA
    assert brand.darker("#00676b") == "#00676b"  # already dark enough: unchanged


def test_a_pale_accent_is_refused_with_the_file_and_line(site_root: Path, tmp_path: Path) -> None:
    set_brand(site_root, '  logo: /dateien/logo.svg\n  accent: "#ffcc00"\n')
    line = line_of(site_root, "  accent:")
    proc = subprocess.run([sys.executable, "build.py", "--root", str(site_root), "--out", str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"content/site.yaml:{line}: 'brand.accent' #ffcc00 has a contrast of 1.51:1 on white" in proc.stderr
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize("value,message", [
    ('"red"', "'brand.accent' must be a colour like #0b4f8a, got 'red'"),
    ('"#0b4f8a; } body { display: none"', "'brand.accent' must be a colour"),  # never CSS of its own
    ('"#8a8a8a"', "'brand.accent' #8a8a8a has a contrast of 3.45:1"),
])
def test_an_accent_that_is_no_colour_or_too_pale_fails_the_build(site_root: Path, tmp_path: Path,
                                                                  value: str, message: str) -> None:
    set_brand(site_root, f"  accent: {value}\n")
    with pytest.raises(BuildError, match=re.escape(f"site.yaml:{line_of(site_root, '  accent:')}: {message}")):
        build(site_root, tmp_path / "out", today=TODAY, tuning=Tuning(cache=False))


@pytest.mark.parametrize("logo,message", [
    ("/dateien/fehlt.svg", "'brand.logo' /dateien/fehlt.svg does not exist"),
    ("/dateien/../site.yaml", "'brand.logo' must be an image under /dateien/"),
    ("https://cdn.example.com/logo.svg", "'brand.logo' must be an image under /dateien/"),
])
def test_a_logo_must_be_a_published_image(site_root: Path, tmp_path: Path, logo: str, message: str) -> None:
    set_brand(site_root, f"  logo: {logo}\n")
    with pytest.raises(BuildError, match=re.escape(f"site.yaml:{line_of(site_root, '  logo:')}: {message}")):
        build(site_root, tmp_path / "out", today=TODAY, tuning=Tuning(cache=False))


def test_the_accent_comes_in_its_own_stylesheet(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "out")
    css = [p for p in (out / "static").iterdir() if p.name.startswith("brand.")]
    assert [p.read_text(encoding="utf-8") for p in css] == [":root { --accent: #00676b; }\n"]
    link = soup(out, "index.html").find_all("link", rel="stylesheet")[-1]
    assert link["href"] == f"/static/{css[0].name}"


def test_without_brand_the_favicon_and_default_colours_stay(site_root: Path, tmp_path: Path) -> None:
    set_brand(site_root, "  logo: ~\n")
    out = built(site_root, tmp_path / "out")
    assert not [p for p in (out / "static").iterdir() if p.name.startswith("brand.")]
    page = soup(out, "themen/wohnen/index.html")
    icon = page.find("link", rel="icon")["href"]
    assert re.fullmatch(r"/static/favicon\.[0-9a-f]{10}\.svg", icon)
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["icons"] == [{"src": icon, "sizes": "any", "type": "image/svg+xml"}]
    assert meta(page, "og:image") is None and meta(page, "twitter:card") == "summary"


def test_a_topic_page_tells_other_sites_what_it_is(site_root: Path, tmp_path: Path) -> None:
    forum = site_root / "content/termine/forum.md"  # an event's text in two paragraphs, with markup
    forum.write_text(forum.read_text(encoding="utf-8") + "\nZweiter *Absatz* & <b>mehr</b>.\n", encoding="utf-8")
    out = built(site_root, tmp_path / "out")
    page = soup(out, "themen/mobilitaet/index.html")
    base = "https://zukunft.example.org"
    assert meta(page, "og:title") == "Mobilität 2040 – Zukunftsthemen Musterstadt"
    assert meta(page, "og:description") == meta(page, "description") == "Bus, Rad und Fuß zuerst."
    assert meta(page, "og:url") == base + "/themen/mobilitaet/"
    # the topic's image, as its widest variant: the editor's original may carry EXIF and GPS
    assert re.fullmatch(re.escape(base) + r"/dateien/strasse-1600w\.[0-9a-f]{10}\.jpg", meta(page, "og:image"))
    assert (out / meta(page, "og:image").removeprefix(base + "/")).is_file()
    jsonld = json.loads(page.find("script", type="application/ld+json").string)
    assert jsonld["image"] == meta(page, "og:image")
    assert meta(page, "og:locale") == "de_DE" and meta(page, "og:type") == "article"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert page.find("link", rel="canonical")["href"] == base + "/themen/mobilitaet/"
    start = soup(out, "index.html")
    # no image of its own, and the logo is an SVG, which the social networks do not show: none
    assert meta(start, "og:image") is None and meta(start, "twitter:card") == "summary"
    event = soup(out, "termine/forum/index.html")  # an event describes itself, not the site
    assert meta(event, "og:description") == meta(event, "description")
    assert meta(event, "description").startswith("Ein Abend zum Mitreden; Fragen, Ideen und Kritik sind willkommen.")
    assert len(meta(event, "description")) <= 200
    assert "\n" not in meta(event, "description") and "<" not in meta(event, "description")  # one line of text
    assert start.find("link", rel="icon")["href"] == "/dateien/logo.svg"
    assert start.find("link", rel="manifest")["href"] == "/manifest.webmanifest"


def test_the_json_ld_of_a_topic_counts_its_comments(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "out")
    page = soup(out, "themen/mobilitaet/index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "DiscussionForumPosting" and data["headline"] == "Mobilität 2040"
    assert data["commentCount"] == len(page.select("article.comment")) == 4
    assert data["datePublished"] == "2026-10-01" and data["url"] == "https://zukunft.example.org/themen/mobilitaet/"


def test_json_ld_cannot_be_closed_by_a_title(site_root: Path, tmp_path: Path) -> None:
    topic = site_root / "content/themen/wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("title: Wohnen für alle",
                                                              "title: \"</script><script>alert(1)</script>\""),
                     encoding="utf-8")
    out = built(site_root, tmp_path / "out")
    html = (out / "themen/wohnen/index.html").read_text(encoding="utf-8")
    data = json.loads(soup(out, "themen/wohnen/index.html").find("script", type="application/ld+json").string)
    assert data["headline"] == "</script><script>alert(1)</script>" and "<script>alert" not in html


def test_the_manifest_is_json_with_the_sites_name_and_logo(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "out")
    manifest = json.loads((out / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Zukunftsthemen Musterstadt" and manifest["lang"] == "de"
    assert manifest["theme_color"] == "#00676b" and manifest["start_url"] == "/"
    assert manifest["icons"] == [{"src": "/dateien/logo.svg", "sizes": "any", "type": "image/svg+xml"}]


def test_the_sitemap_says_when_pages_changed_from_the_sources(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "out")
    tree = ET.parse(out / "sitemap.xml")
    lastmod = {u.findtext(SITEMAP + "loc"): u.findtext(SITEMAP + "lastmod") for u in tree.iter(SITEMAP + "url")}
    base = "https://zukunft.example.org"
    # its newest comment's publication (moderated_at 2026-11-06), later than its date (2026-10-01)
    assert lastmod[base + "/themen/mobilitaet/"] == "2026-11-06"
    assert lastmod[base + "/themen/wohnen/"] == "2026-09-15"  # no comments: the topic's date
    assert lastmod[base + "/themen/"] == "2026-11-06"  # the newest topic
    assert lastmod[base + "/termine/forum/"] == lastmod[base + "/termine/"] == "2026-11-20"  # its `updated`
    assert lastmod[base + "/termine/online/"] is None  # neither updated nor over
    assert lastmod[base + "/"] == "2026-11-20"  # it shows both: the newer of the two
    assert lastmod[base + "/impressum/"] is None  # no date in the sources: none made up
    again = built(site_root, tmp_path / "again")
    assert (again / "sitemap.xml").read_bytes() == (out / "sitemap.xml").read_bytes()


def test_the_sitemap_says_a_page_changed_when_a_window_closed_or_an_event_took_place(site_root: Path,
                                                                                      tmp_path: Path) -> None:
    """Those pages change by the date alone: the form gives way to a note, an event says it is over."""
    build(site_root, tmp_path / "out", today=dt.date(2027, 4, 1), tuning=Tuning(cache=False))
    tree = ET.parse(tmp_path / "out" / "sitemap.xml")
    lastmod = {u.findtext(SITEMAP + "loc"): u.findtext(SITEMAP + "lastmod") for u in tree.iter(SITEMAP + "url")}
    base = "https://zukunft.example.org"
    assert lastmod[base + "/themen/mobilitaet/"] == "2027-04-01"  # comments_until: 2027-03-31
    assert lastmod[base + "/termine/forum/"] == "2026-12-02"  # it ended on 2026-12-01
    assert lastmod[base + "/termine/online/"] == "2027-01-13"  # postponed, but its page changed then too
    assert lastmod[base + "/"] == lastmod[base + "/themen/"] == "2027-04-01"


def test_cards_show_image_count_and_the_way_into_the_discussion(site_root: Path, tmp_path: Path) -> None:
    out = built(site_root, tmp_path / "out")
    page = soup(out, "index.html")
    assert page.h1.get_text() == "Gestalten Sie die Zukunft von Musterstadt mit"  # not the site title again
    cards = {c.h3.get_text(): c for c in page.select("li.card")}
    assert "Wohnen für alle" not in cards  # its comments are closed: the start page invites to open ones
    mobility = cards["Mobilität 2040"]
    housing = {c.h2.get_text(): c for c in soup(out, "themen/index.html").select("li.card")}["Wohnen für alle"]
    assert mobility.select_one("img.card-image")["src"].startswith("/dateien/strasse-1600w.")
    assert mobility.select_one(".count").get_text() == "4 Kommentare"
    assert mobility.select_one("a.button")["href"] == "/themen/mobilitaet/#kommentieren"
    assert housing.select_one(".count").get_text() == "Noch keine Kommentare"
    assert housing.select_one("a.button") is None  # comments closed: no call to take part
    assert housing.select_one(".window").get_text() == "Kommentare geschlossen"  # and the card says so
    topic = soup(out, "themen/mobilitaet/index.html")
    assert topic.select_one("header a.button[href='#kommentieren']").get_text() == "Jetzt mitdiskutieren"
    assert topic.find(id="kommentieren") is not None
    layout = topic.select_one(".topic-layout")
    assert [c.name for c in layout.find_all(recursive=False)] == ["div", "aside"]  # the text first


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_approved_comment_changes_the_count_on_the_start_page(site_root: Path, tmp_path: Path,
                                                                 jobs: int) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY, tuning=Tuning(jobs=jobs))
    assert "4 Kommentare" in (out / "index.html").read_text(encoding="utf-8")
    (site_root / "content/kommentare/mobilitaet/neu-1.yaml").write_text(COMMENT, encoding="utf-8")
    build(site_root, out, today=TODAY, tuning=Tuning(jobs=jobs))
    for rel in ("index.html", "themen/index.html"):
        assert "5 Kommentare" in (out / rel).read_text(encoding="utf-8")
    build(site_root, out, today=TODAY, tuning=Tuning(jobs=jobs))  # warm, nothing changed: the count stays
    assert "5 Kommentare" in (out / "index.html").read_text(encoding="utf-8")
    assert read_tree(out) == read_tree(built(site_root, tmp_path / "cold"))


def test_the_start_page_features_a_dozen_open_topics_newest_first(site_root: Path, tmp_path: Path) -> None:
    themen = site_root / "content/themen"
    source = (themen / "mobilitaet.md").read_text(encoding="utf-8")
    for n in range(1, 15):  # 14 more open topics, dated one day apart
        text = source.replace("title: Mobilität 2040", f"title: Thema {n:02}")
        text = re.sub(r"(?m)^date: .*$", f"date: 2026-01-{n:02}", text, count=1)
        (themen / f"thema-{n:02}.md").write_text(text, encoding="utf-8")
    out = built(site_root, tmp_path / "out")
    page = soup(out, "index.html")
    titles = [c.h3.get_text() for c in page.select("li.card")]
    assert titles == ["Mobilität 2040"] + [f"Thema {n:02}" for n in range(14, 3, -1)]  # the newest twelve
    assert page.select_one("#h-themen ~ p a[href='/themen/']").get_text() == "Alle Zukunftsthemen (16)"
    assert len(soup(out, "themen/index.html").select("li.card")) == 16  # the list still has all


def test_without_an_open_topic_the_start_page_says_so(site_root: Path, tmp_path: Path) -> None:
    path = site_root / "content/themen/mobilitaet.md"
    path.write_text(path.read_text(encoding="utf-8").replace("comments_until: 2027-03-31", "comments_until: 2026-01-31"),
                    encoding="utf-8")
    page = soup(built(site_root, tmp_path / "out"), "index.html")
    assert page.select("li.card") == []
    assert "Zurzeit ist kein Thema zur Diskussion geöffnet" in page.get_text()
    assert page.select_one("#h-themen ~ p a[href='/themen/']") is not None
