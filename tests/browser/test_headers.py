"""The `_headers` the build writes, served as a host would send them: every page loads without one CSP
violation, assets are cached for a year, HTML is revalidated, and the comment form still posts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from bs4 import BeautifulSoup

from browser_support import StaticSite, headers_for, pages, parse_headers_file
from sitegen import Tuning, build
from sitetest import FIXTURE, TODAY

VIOLATION = "Content Security Policy"


def configured(root: Path, **changes: Any) -> Path:
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "site.yaml"
    site = yaml.safe_load(path.read_text(encoding="utf-8"))
    site.update(changes)
    path.write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StaticSite, Path]]:
    root = configured(tmp_path_factory.mktemp("headers") / "root")
    out = root / "site"
    build(root, out, today=TODAY, drafts=True, tuning=Tuning(cache=False))
    site = StaticSite(out, headers_for=headers_for(out))
    yield site, out
    site.close()


def test_the_headers_file_caches_assets_for_a_year_and_sets_the_policy(served: tuple[StaticSite, Path]) -> None:
    rules = dict(parse_headers_file((served[1] / "_headers").read_text(encoding="utf-8")))
    everywhere = dict(rules["/*"])
    assert "frame-ancestors 'none'" in everywhere["Content-Security-Policy"]
    assert "form-action 'self'" in everywhere["Content-Security-Policy"]  # Netlify Forms: the site itself
    assert everywhere["Strict-Transport-Security"].startswith("max-age=")
    assert {"X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy"} <= set(everywhere)
    assert dict(rules["/static/*"])["Cache-Control"] == "public, max-age=31536000, immutable"
    assert all(name != "Cache-Control" for name, _ in rules["/*"])  # HTML: the host's revalidating default


def test_every_page_loads_without_a_csp_violation(browser: Any, served: tuple[StaticSite, Path]) -> None:
    site, out = served
    context = browser.new_context()
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    seen = {}
    try:
        for path in pages(out):
            answer = page.goto(site.url + path)
            assert answer is not None and "content-security-policy" in answer.headers, path
            page.wait_for_load_state("load")
            violations = page.evaluate("window.__csp") + [m for m in console if VIOLATION in m]
            if violations:
                seen[path] = violations
            console.clear()
    finally:
        context.close()
    assert seen == {}


@pytest.mark.parametrize("host, meta", [("github", True), ("netlify", False)])
def test_hosts_without_headers_get_the_policy_in_a_meta_tag(tmp_path: Path, host: str, meta: bool) -> None:
    root = configured(tmp_path / "root", deploy={"host": host},
                      form={"provider": "receiver", "action": "https://kommentare.example.org/kommentar"})
    build(root, tmp_path / "out", today=TODAY, tuning=Tuning(cache=False))
    page = BeautifulSoup((tmp_path / "out" / "themen" / "mobilitaet" / "index.html").read_text(encoding="utf-8"),
                         "html5lib")
    tag = page.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert (tag is not None) is meta
    if meta:
        assert "form-action 'self' https://kommentare.example.org" in tag["content"]
        assert "frame-ancestors" not in tag["content"]
    rules = dict(parse_headers_file((tmp_path / "out" / "_headers").read_text(encoding="utf-8")))
    assert "form-action 'self' https://kommentare.example.org;" in dict(rules["/*"])["Content-Security-Policy"]


def test_the_crawl_sees_a_violation_when_there_is_one(browser: Any, served: tuple[StaticSite, Path],
                                                      tmp_path: Path) -> None:
    """An inline script under the same policy: the detection the crawl relies on must report it."""
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "index.html").write_text('<!DOCTYPE html><html lang="de"><head><title>x</title></head>'
                                               '<body><script>document.title = "y"</script></body></html>')
    shutil.copy(served[1] / "_headers", tmp_path / "_headers")
    site = StaticSite(tmp_path, headers_for=headers_for(tmp_path))
    context = browser.new_context()
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                            "e => window.__csp.push(e.violatedDirective));")
    page = context.new_page()
    try:
        page.goto(site.url + "/x/")
        page.wait_for_load_state("load")
        assert "script-src-elem" in page.evaluate("window.__csp") and page.title() == "x"
    finally:
        context.close()
        site.close()
