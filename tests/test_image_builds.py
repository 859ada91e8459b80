"""Images in the built fixture: each kind of <img>, variants cached by content, edited images, hostile files, check."""

from __future__ import annotations

import io
import random
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from PIL import Image

import imagefiles as f
from sitegen import Tuning, build
from sitegen.check import run_check
from sitegen.core import images as imaging
from sitegen.engine import media
from sitetest import REPO, TODAY, read_tree


def page(out: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")


def test_every_kind_of_image_has_srcset_sizes_and_its_size(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY, tuning=Tuning(cache=False))
    topic = page(out, "themen/mobilitaet/index.html")
    lead = topic.select_one(".topic-image img")
    body = topic.select_one(".body img")
    portrait = topic.select_one(".portrait img")
    card = page(out, "index.html").select_one("img.card-image")
    square = page(out, "themen/wohnen/index.html").select_one(".portrait img")
    # eager only what is in view when the page opens: the lead image, the first card
    expected = [(lead, "1600", "900", None), (card, "1600", "900", None), (body, "800", "450", "lazy"),
                (portrait, "400", "500", "lazy"), (square, "400", "400", "lazy")]
    for img, width, height, loading in expected:
        assert (img["width"], img["height"], img.get("loading")) == (width, height, loading), img
        assert img["sizes"] and img["srcset"].endswith(f" {width}w")
        for candidate in img["srcset"].split(", "):
            url, w = candidate.split(" ")
            got = Image.open(out / url.lstrip("/"))
            assert f"{got.width}w" == w and abs(got.height / got.width - int(height) / int(width)) < 0.01, url
    assert lead["srcset"].count("w,") == 2 and "-480w." in lead["srcset"]  # 2000 px: 480, 960, 1600
    assert "-sq." in square["src"] and "-sq." not in portrait["src"]  # square only where photo_crop asks
    assert (out / "dateien/strasse.jpg").read_bytes() == (site_root / "content/dateien/strasse.jpg").read_bytes()


def test_images_in_event_and_page_bodies_get_variants_and_follow_an_edited_image(site_root: Path,
                                                                                tmp_path: Path) -> None:
    """An editor may put a photo into an event's or a page's text as into a topic's."""
    for rel in ("content/termine/forum.md", "content/seiten/leichte-sprache.md"):
        path = site_root / rel
        path.write_text(path.read_text(encoding="utf-8") + "\n![Der Saal](/dateien/strasse.jpg)\n", encoding="utf-8")
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    pages = ("termine/forum/index.html", "leichte-sprache/index.html")
    for rel in pages:
        img = page(out, rel).select_one("main img[alt='Der Saal']")
        assert img is not None, rel
        assert (img["width"], img["height"], img["loading"]) == ("1600", "900", "lazy") and img["sizes"], rel
        assert img["srcset"].count("w,") == 2 and all((out / c.split(" ")[0].lstrip("/")).is_file()
                                                       for c in img["srcset"].split(", ")), rel
    (site_root / "content/dateien/strasse.jpg").write_bytes(f.jpeg(f.photo(1200, 900, seed=8)))
    written = set(build(site_root, out, today=TODAY).written)
    assert set(pages) <= written
    assert page(out, pages[0]).select_one("main img[alt='Der Saal']")["width"] == "1200"
    cold = tmp_path / "cold"
    build(site_root, cold, today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(cold)


def test_published_variants_carry_no_gps_or_camera_data(site_root: Path, tmp_path: Path) -> None:
    """Privacy: the fixture's portrait has a GPS position in its EXIF; no variant of it does."""
    out = tmp_path / "out"
    build(site_root, out, today=TODAY, tuning=Tuning(cache=False))
    variants = sorted((out / "dateien").glob("pate-portrait-*"))
    assert len(variants) == 2
    for path in variants:
        assert not Image.open(path).getexif() and b"Kamerahersteller" not in path.read_bytes()


def test_two_cold_builds_make_the_same_bytes(site_root: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        build(site_root, tmp_path / name, today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


@pytest.fixture
def encodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The images the build resizes and probes, as they happen."""
    calls: list[str] = []
    real_encode, real_probe = media.encode, imaging.probe
    monkeypatch.setattr(media, "encode", lambda info, *a: calls.append(f"encode {info.src}") or real_encode(info, *a))
    monkeypatch.setattr(imaging, "probe", lambda src, data: calls.append(f"probe {src}") or real_probe(src, data))
    return calls


def test_a_warm_build_does_no_image_work(site_root: Path, tmp_path: Path, encodes: list[str]) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    assert "encode /dateien/strasse.jpg" in encodes and "probe /dateien/strasse.jpg" in encodes
    encodes.clear()
    report = build(site_root, out, today=TODAY)
    assert encodes == [] and report.written == ()


def test_an_edited_image_is_encoded_once_and_remakes_exactly_the_pages_that_show_it(
        site_root: Path, tmp_path: Path, encodes: list[str]) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    old = {p.name for p in (out / "dateien").iterdir()}
    encodes.clear()
    (site_root / "content/dateien/strasse.jpg").write_bytes(f.jpeg(f.photo(1800, 1000, seed=5)))
    report = build(site_root, out, today=TODAY)
    assert encodes == ["probe /dateien/strasse.jpg", "encode /dateien/strasse.jpg"]
    pages = {p for p in report.written if p.endswith(".html")}
    assert "themen/mobilitaet/index.html" in pages and "index.html" in pages and "themen/index.html" in pages
    assert "themen/wohnen/index.html" not in pages  # it does not show the street
    new = {p.name for p in (out / "dateien").iterdir()}
    assert len(new - old) == 3 and all(n.startswith("strasse-") for n in new - old)  # new names
    assert {Path(p).name for p in report.removed} == {n for n in old - new} and len(old - new) == 3  # old ones go
    cold = tmp_path / "cold"
    build(site_root, cold, today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(cold)


def test_a_template_edit_rebuilds_every_page_but_resizes_no_image(site_root: Path, tmp_path: Path,
                                                                    encodes: list[str]) -> None:
    """The cache is thrown away when a template changes, except what the images need: they
    depend on the image code and Pillow only, and a photo takes longer than a hundred pages."""
    out = tmp_path / "out"
    shutil.copytree(REPO / "templates", site_root / "templates")  # the fixture uses the repo's theme
    build(site_root, out, today=TODAY)
    template = site_root / "templates" / "topic.html"
    template.write_text(template.read_text(encoding="utf-8").replace("</article>", "<!-- neu --></article>", 1),
                        encoding="utf-8")
    encodes.clear()
    report = build(site_root, out, today=TODAY)
    assert encodes == []
    assert "themen/mobilitaet/index.html" in report.written  # the rest of the cache was not trusted
    cold = tmp_path / "cold"
    build(site_root, cold, today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(cold)


def test_images_made_by_other_image_code_are_made_again(site_root: Path, tmp_path: Path, encodes: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.engine import deps
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    encodes.clear()
    monkeypatch.setattr(deps, "media_version", lambda: "another Pillow")
    build(site_root, out, today=TODAY)
    assert "probe /dateien/strasse.jpg" in encodes and "encode /dateien/strasse.jpg" in encodes


def test_an_old_or_damaged_cache_file_gives_a_cold_build(site_root: Path, tmp_path: Path, encodes: list[str]) -> None:
    from sitegen.engine import cache as caching
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    file = caching._file(site_root.resolve(), out)
    for damage in (b"", b"not a pickle", file.read_bytes()[:200]):
        file.write_bytes(damage)
        encodes.clear()
        assert build(site_root, out, today=TODAY).written == ()  # the same bytes: nothing to write
        assert "encode /dateien/strasse.jpg" in encodes


def test_an_edited_portrait_remakes_both_pages_that_show_it(site_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site_root, out, today=TODAY)
    (site_root / "content/dateien/pate-portrait.jpg").write_bytes(f.jpeg(f.photo(600, 900, seed=3)))
    written = set(build(site_root, out, today=TODAY).written)
    assert {"themen/mobilitaet/index.html", "themen/wohnen/index.html"} <= written
    cold = tmp_path / "cold"
    build(site_root, cold, today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(cold)


HOSTILE = {"kaputt.jpg": f.jpeg(f.photo(800, 600))[:3000], "bombe.png": f.bomb_png(),
           "text.jpg": b"Das ist kein Bild.\n" * 20}


def test_hostile_images_are_warned_about_by_path_and_published_as_they_are(site_root: Path, tmp_path: Path) -> None:
    for name, data in HOSTILE.items():
        (site_root / "content/dateien" / name).write_bytes(data)
    topic = site_root / "content/themen/mobilitaet.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("/dateien/strasse.jpg", "/dateien/kaputt.jpg"),
                     encoding="utf-8")
    out = tmp_path / "out"
    report = build(site_root, out, today=TODAY)
    for name, data in HOSTILE.items():
        about = [w for w in report.warnings if w.startswith(f"content/dateien/{name}: ")]
        assert len(about) == 1 and about[0].startswith(f"content/dateien/{name}: the image "), report.warnings
        assert (out / "dateien" / name).read_bytes() == data  # nothing lost
        assert not list((out / "dateien").glob(f"{Path(name).stem}-*"))
    lead = page(out, "themen/mobilitaet/index.html").select_one(".topic-image img")
    assert lead["src"] == "/dateien/kaputt.jpg" and not lead.get("srcset")  # as before images had variants
    stream = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=stream) == 0
    assert "content/dateien/bombe.png: the image refused as a decompression bomb" in stream.getvalue()


def test_check_warns_about_large_and_too_narrow_images(site_root: Path, tmp_path: Path) -> None:
    clean = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=clean) == 0
    assert "Warnings" not in clean.getvalue()
    dateien = site_root / "content/dateien"
    (dateien / "strasse.jpg").write_bytes(f.jpeg(f.photo(600, 400)))  # the lead image is shown up to 928 px wide
    noise = random.Random(1).randbytes(1500 * 1300 * 3)  # does not compress: over 5 MB
    (dateien / "plan.png").write_bytes(f.png(Image.frombytes("RGB", (1500, 1300), noise)))
    stream = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=stream) == 0  # warnings, not errors
    text = stream.getvalue()
    assert re.search(r"content/dateien/strasse.jpg: 600 px wide, but content/themen/mobilitaet.md shows it 928 px", text)
    assert re.search(r"content/dateien/plan.png: \d\.\d MB is large for the web", text)


def test_a_wide_logo_is_sized_and_checked_by_its_shape(site_root: Path, tmp_path: Path) -> None:
    """The logo is shown 2.75rem high: a 3:1 logo is 8.25rem wide, and check wants it sharp at that width."""
    (site_root / "content/dateien/logo.png").write_bytes(f.transparent_png(120, 40))
    config = site_root / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("/dateien/logo.svg", "/dateien/logo.png"),
                      encoding="utf-8")
    out = tmp_path / "out"
    build(site_root, out, today=TODAY, tuning=Tuning(cache=False))
    assert page(out, "index.html").select_one("img.logo")["sizes"] == "8.25rem"
    stream = io.StringIO()
    run_check(site_root, today=TODAY, vnu=False, stream=stream)
    assert "content/dateien/logo.png: 120 px wide, but content/site.yaml shows it 132 px wide" in stream.getvalue()


def test_a_raster_logo_and_an_odd_file_name_get_variants_too(site_root: Path, tmp_path: Path) -> None:
    dateien = site_root / "content/dateien"
    (dateien / "logo.png").write_bytes(f.transparent_png(300, 200))
    (dateien / "Foto mit Leerzeichen, 1.jpg").write_bytes(f.jpeg(f.photo(1000, 500)))
    config = site_root / "content/site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("/dateien/logo.svg", "/dateien/logo.png"),
                      encoding="utf-8")
    topic = site_root / "content/themen/mobilitaet.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace(
        "/dateien/strasse.jpg", "/dateien/Foto mit Leerzeichen, 1.jpg"), encoding="utf-8")
    out = tmp_path / "out"
    build(site_root, out, today=TODAY, tuning=Tuning(cache=False))
    start = page(out, "index.html")
    logo = start.select_one("img.logo")
    assert (logo["width"], logo["height"], logo.get("loading")) == ("300", "200", None) and "-300w." in logo["src"]
    assert logo["sizes"] == "4.12rem"  # 2.75rem high, 3:2
    card = start.select_one("img.card-image")
    candidates = [c.split(" ") for c in card["srcset"].split(", ")]
    assert [w for _, w in candidates] == ["480w", "960w", "1000w"]  # the name's space and comma are quoted
    for url, _ in candidates:
        assert " " not in url and "," not in url and (out / unquote(url).lstrip("/")).is_file()
