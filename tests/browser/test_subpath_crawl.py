"""A site published under a sub-path (base_url https://host/zukunft/): crawled in Chromium from a host
that serves it only there, every link, asset and form target answers, and no page logs an error."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from browser_support import StaticSite, headers_for, pages
from intake_support import Cli
from test_comment_loop import ENV, Loop, comment_on
from sitegen import Tuning, build
from sitetest import FIXTURE, TODAY

# what a page asks the server for: links, stylesheets and icons, scripts, images, form targets
TARGETS = ("() => [...document.querySelectorAll('a[href]')].map(e => e.href)"
           ".concat([...document.querySelectorAll('link[href]')].map(e => e.href))"
           ".concat([...document.querySelectorAll('script[src]')].map(e => e.src))"
           ".concat([...document.querySelectorAll('img[src]')].map(e => e.src))"
           ".concat([...document.querySelectorAll('form[action]')].map(e => e.action))")


class Served:
    """The fixture site, built with base_url at the address where a local host serves it."""

    def __init__(self, root: Path, prefix: str) -> None:
        shutil.copytree(FIXTURE, root)
        self.out = root / "site"
        self.site = StaticSite(self.out, headers_for=headers_for(self.out), prefix=prefix)  # CSP as a host sends it
        path = root / "content" / "site.yaml"
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        config["base_url"] = self.site.url + "/"
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        build(root, self.out, today=TODAY, tuning=Tuning(cache=False))


@pytest.fixture(scope="module", params=["/zukunft", "/stadt/beteiligung", ""],
                ids=["prefix", "deeper-prefix", "host-root"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    running = Served(tmp_path_factory.mktemp("subpath") / "root", request.param)
    yield running
    running.site.close()


class Crawl:
    """Every same-origin URL reachable from a start page: its status, and what the browser complained of."""

    def __init__(self, browser: Any, origin: str) -> None:
        self.origin, self.status, self.errors = origin, {}, []
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(f"{self.page.url}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"{self.page.url}: {exc}"))
        self.page.on("response", lambda r: self.status.update({r.url: r.status}) if r.url.startswith(origin) else None)

    def run(self, *starts: str) -> None:
        queue, seen = list(starts), set()
        while queue:
            url = queue.pop(0).split("#", 1)[0]
            if url in seen or not url.startswith(self.origin + "/"):
                continue
            seen.add(url)
            answer = self.context.request.get(url)  # any file: its status, without a download dialog
            self.status[url] = answer.status
            if answer.status < 400 and answer.headers.get("content-type", "").startswith("text/html"):
                self.page.goto(url)  # a page: rendered, its stylesheet, scripts and images loaded
                queue += self.page.evaluate(TARGETS)

    def broken(self) -> dict[str, int]:
        return {url: status for url, status in self.status.items() if status >= 400}

    def close(self) -> None:
        self.context.close()


def test_every_link_asset_and_form_target_answers_and_no_page_logs_an_error(browser: Any, served: Served) -> None:
    crawl = Crawl(browser, served.site.origin)
    try:
        crawl.run(served.site.url + "/")
    finally:
        crawl.close()
    assert crawl.broken() == {} and crawl.errors == []
    built = {served.site.url + path for path in pages(served.out) if path != "/404.html"}
    assert built <= set(crawl.status)  # every page was reached, each under the prefix
    kinds = {url.rsplit(".", 1)[-1] for url in crawl.status}
    assert {"css", "js", "svg", "pdf", "ics", "xml", "json"} <= kinds  # assets, files and outputs among them
    assert served.site.url + "/danke/" in crawl.status  # the form's target (Netlify posts to the site's /danke/)


def test_the_host_root_has_nothing_of_a_prefixed_site(browser: Any, served: Served) -> None:
    answer = browser.new_context().request.get(served.site.origin + "/themen/")
    assert answer.status == (404 if served.site.url != served.site.origin else 200)


def test_the_404_page_works_at_any_depth(browser: Any, served: Served) -> None:
    crawl = Crawl(browser, served.site.origin)
    missing = served.site.url + "/gibt/es/nicht/mehr/"
    try:
        crawl.page.goto(missing)
        assert "Seite nicht gefunden" in crawl.page.locator("h1").inner_text()
        crawl.run(*crawl.page.evaluate(TARGETS))
    finally:
        crawl.close()
    assert crawl.broken() == {missing: 404}  # the one 404 that is meant
    assert [e for e in crawl.errors if not e.startswith(missing + ": Failed to load resource")] == []
    assert served.site.url + "/static/" in " ".join(crawl.status)  # its stylesheet loaded from under the prefix


def test_the_thank_you_page_leads_back_to_the_topic_under_the_prefix(browser: Any, served: Served) -> None:
    page = browser.new_page()
    try:
        page.goto(served.site.url + "/danke/?thema=mobilitaet")
        back = page.locator("a[data-topic-link]")
        prefix = served.site.url[len(served.site.origin):]
        assert back.get_attribute("href") == prefix + "/themen/mobilitaet/"  # form.js added the topic
        back.click()
        page.wait_for_url(served.site.url + "/themen/mobilitaet/", timeout=15_000)
        assert "Mobilität" in page.locator("h1").inner_text()
    finally:
        page.close()


def test_a_comment_through_the_receiver_returns_under_the_prefix_and_is_published_there(browser: Any,
                                                                                       tmp_path: Path) -> None:
    loop = Loop(tmp_path / "root", prefix="/zukunft")
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda answer: errors.append(f"{answer.status} {answer.url}") if answer.status >= 400 else None)
    try:
        page.goto(f"{loop.site.url}/themen/mobilitaet/")
        comment_on(page, "Ein Radweg an der Saale, bitte.")
        page.wait_for_url(f"{loop.site.url}/danke/?thema=mobilitaet", timeout=15_000)  # the receiver's redirect
        page.locator("a[data-topic-link]").click()
        page.wait_for_url(f"{loop.site.url}/themen/mobilitaet/", timeout=15_000)
        editor = Cli(loop.root, ENV)
        assert editor("pull").code == 0
        (key,) = editor.entries()
        assert editor("approve", key).code == 0
        loop.build()
        page.goto(f"{loop.site.url}/themen/mobilitaet/")
        assert "Ein Radweg an der Saale" in page.locator(f"#kommentar-{key}").inner_text()
    finally:
        page.close()
        loop.close()
    assert errors == []
