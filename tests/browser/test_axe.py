"""axe-core (WCAG 2.0/2.1 A and AA, plus best practices) on every page of the fixture site, in Chromium."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_support import StaticSite, pages
from sitegen import Tuning, build
from sitetest import FIXTURE, TODAY

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
         "resultTypes": ["violations"]}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
# The site as built on the tests' day, and once every event is past and the topic's window has
# closed: those pages carry other parts (the closed header and note, "hat bereits stattgefunden").
DAYS = {"today": TODAY, "all-ended": dt.date(2027, 4, 1)}


@pytest.fixture(scope="module", params=DAYS)
def served(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
           ) -> Iterator[tuple[StaticSite, list[str]]]:
    root = tmp_path_factory.mktemp("axe") / "root"
    shutil.copytree(FIXTURE, root)  # a build leaves its lock file in the site's .cache: not in the repository
    out = root / "site"
    build(root, out, today=DAYS[request.param], drafts=True, tuning=Tuning(cache=False))
    if request.param == "all-ended":  # the audit must see the ended states, not the open ones again
        assert "zu Ende gegangen" in (out / "themen/mobilitaet/index.html").read_text(encoding="utf-8")
        assert "bereits stattgefunden" in (out / "termine/forum/index.html").read_text(encoding="utf-8")
    site = StaticSite(out)
    yield site, list(pages(out))
    site.close()


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"[{v['impact']}] {v['id']}: {v['help']} e.g. {v['nodes'][0]['target']}" for v in violations)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_has_no_axe_violations(browser: Any, served: tuple[StaticSite, list[str]], viewport: str) -> None:
    site, paths = served
    assert len(paths) >= 15  # every kind of page: start, topics, events, pages, thanks, 404
    context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=True)
    page = context.new_page()
    axe = Axe()
    found = {}
    try:
        for path in paths:
            answer = page.goto(site.url + path)
            assert answer is not None and answer.status in (200, 404), path
            violations = axe.run(page, options=RULES).response["violations"]
            if violations:
                found[path] = describe(violations)
    finally:
        context.close()
    assert found == {}, "\n".join(f"{path}:\n{text}" for path, text in found.items())


def test_the_audit_finds_what_it_is_meant_to_find(browser: Any, tmp_path: Path) -> None:
    """A page with an unlabelled field and an image without alt text: the same audit must object."""
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "index.html").write_text(
        '<!DOCTYPE html><html lang="de"><head><title>x</title></head><body><main><h1>x</h1>'
        '<img src="a.png"><input name="q"></main></body></html>', encoding="utf-8")
    site = StaticSite(tmp_path)
    page = browser.new_page()
    try:
        page.goto(site.url + "/bad/")
        ids = {v["id"] for v in Axe().run(page, options=RULES).response["violations"]}
    finally:
        page.close()
        site.close()
    assert {"image-alt", "label"} <= ids
