"""A site under a sub-path of its host: base_url's path before every internal URL the build writes,
nothing of it cached where a changed prefix could leave it stale, check and preview aware of it."""

from __future__ import annotations

import http.client
import io
import re
from pathlib import Path

import pytest
import yaml

from sitegen import BuildError, Tuning, build
from sitegen.check import run_check
from sitegen.core.markdown_html import markdown_to_html
from sitegen.engine.session import Session
from sitegen.serve import Preview, start
from sitegen.core.urls import prefix_of, prefixed_html, url_for
from sitetest import TODAY, read_tree

BASE = "https://stadt.github.io/zukunft/"
ROOTED = re.compile(r"""\s(?:href|src|action)="(/[^"]*)\"""")


def configure(root: Path, **changes: object) -> None:
    path = root / "content" / "site.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        config[key] = value
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_prefix_is_the_path_of_base_url() -> None:
    assert [prefix_of(u) for u in (BASE, "https://stadt.example/a/b", "https://zukunft.example", None)] == \
        ["/zukunft", "/a/b", "", ""]
    assert url_for("/themen/x/", "/zukunft") == "/zukunft/themen/x/"
    assert [url_for(u, "/zukunft") for u in ("//cdn.example/x", "https://a.example/", "#id", "x/", "mailto:a@b")] == \
        ["//cdn.example/x", "https://a.example/", "#id", "x/", "mailto:a@b"]


@pytest.mark.parametrize("base_url", ["https://s.example/zu kunft/", "https://s.example/a/../b",
                                      "https://s.example/z?x=1", 'https://s.example/"z'])
def test_a_base_url_whose_path_would_need_escaping_is_refused_with_its_line(site_root: Path, base_url: str) -> None:
    configure(site_root, base_url=base_url)
    with pytest.raises(BuildError, match=r"content/site\.yaml:4: 'base_url' must be the site's address"):
        build(site_root, site_root / "out", today=TODAY, tuning=Tuning(cache=False))


def test_markdown_links_and_images_get_the_prefix_and_code_does_not() -> None:
    html = markdown_to_html('[T](/termine/) ![B](/dateien/a.svg) [E](https://e.example/) [H](//h.example/)\n\n'
                            '`<a href="/x/">` <a href="/themen/" title="/t">raw</a>')
    got = str(prefixed_html(html, "/zukunft"))
    assert 'href="/zukunft/termine/"' in got and 'src="/zukunft/dateien/a.svg"' in got
    assert 'href="https://e.example/"' in got and 'href="//h.example/"' in got
    assert '&lt;a href="/x/"&gt;' in got  # code shows what the editor wrote
    assert '<a href="/zukunft/themen/" title="/t">' in got
    assert prefixed_html(html) == html  # no prefix, no change


def test_every_internal_url_of_a_prefixed_build_carries_the_prefix(site_root: Path, tmp_path: Path) -> None:
    configure(site_root, base_url=BASE, form={"provider": "formspree", "formspree_id": "abc"})
    build(site_root, tmp_path / "out", today=TODAY, tuning=Tuning(cache=False))
    files = read_tree(tmp_path / "out")
    for name, data in files.items():
        if name.endswith(".html"):
            urls = ROOTED.findall(data.decode("utf-8"))
            assert urls and all(u.startswith("/zukunft/") for u in urls), (name, urls)
    topic = files["themen/mobilitaet/index.html"].decode("utf-8")
    assert '<img src="/zukunft/dateien/strasse-1600w.' in topic and 'href="/zukunft/dateien/konzept.pdf"' in topic
    srcsets = re.findall(r' srcset="([^"]*)"', topic)  # the lead image, the plan in the body, the portrait
    assert len(srcsets) == 3 and all(u.startswith("/zukunft/dateien/")
                                     for s in srcsets for u in s.replace(",", " ").split() if "/" in u), srcsets
    assert '<input type="hidden" name="_next" value="https://stadt.github.io/zukunft/danke/">' in topic
    assert '<link rel="canonical" href="https://stadt.github.io/zukunft/themen/mobilitaet/">' in topic
    events = files["termine/index.html"].decode("utf-8")
    assert '<a href="/zukunft/termine/" aria-current="page">Termine</a>' in events  # still compares site paths
    assert b"<loc>https://stadt.github.io/zukunft/themen/mobilitaet/</loc>" in files["sitemap.xml"]
    assert b'href="https://stadt.github.io/zukunft/themen/mobilitaet/"' in files["feeds/themen.xml"]
    assert b"URL:https://stadt.github.io/zukunft/termine/forum/" in files["termine/forum.ics"]
    assert '"url": "https://stadt.github.io/zukunft/termine/forum/"' in files["termine/forum/index.html"].decode()
    assert files["robots.txt"].decode().splitlines()[1:3] == ["Allow: /zukunft/", "Disallow: /zukunft/danke/"]
    rules = [line for line in files["_headers"].decode().splitlines() if not line.startswith(" ")]
    assert rules == ["/zukunft/*", "/zukunft/static/*"]


def test_the_netlify_form_posts_to_the_thank_you_page_under_the_prefix(site_root: Path, tmp_path: Path) -> None:
    configure(site_root, base_url=BASE)
    build(site_root, tmp_path / "out", today=TODAY, tuning=Tuning(cache=False))
    topic = (tmp_path / "out" / "themen" / "mobilitaet" / "index.html").read_text(encoding="utf-8")
    assert topic.count('action="/zukunft/danke/"') == topic.count("<form")


@pytest.mark.parametrize("preview", [False, True], ids=["cli", "preview-session"])
def test_a_changed_prefix_rebuilds_everything_it_touches(site_root: Path, tmp_path: Path, preview: bool) -> None:
    out, cold = tmp_path / "out", tmp_path / "cold"
    session = Session() if preview else None
    configure(site_root, base_url="https://stadt.example/alt/")
    build(site_root, out, today=TODAY, session=session)
    configure(site_root, base_url="https://stadt.example/neu/")
    build(site_root, out, today=TODAY, session=session)
    build(site_root, cold, today=TODAY, tuning=Tuning(cache=False))
    assert read_tree(out) == read_tree(cold)
    assert b"/alt/" not in b"".join(read_tree(out).values())


def test_check_names_the_markdown_line_of_a_link_that_leaves_the_prefix(site_root: Path) -> None:
    configure(site_root, base_url=BASE)
    topic = site_root / "content" / "themen" / "wohnen.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n[Rathaus](/rathaus/), [oben](/../x), "
                     "[gut](/termine/), [Seite](/impressum/)\n", encoding="utf-8")
    line = len(topic.read_text(encoding="utf-8").splitlines())
    report = io.StringIO()
    assert run_check(site_root, today=TODAY, vnu=False, stream=report) == 1
    found = [x for x in report.getvalue().splitlines() if x.startswith("content/")]
    assert [x.split(" would")[0] for x in found] == [f"content/themen/wohnen.md:{line}: the link '/rathaus/'",
                                                      f"content/themen/wohnen.md:{line}: the link '/../x'"]


def test_check_passes_the_fixture_under_a_prefix_and_without_one(site_root: Path) -> None:
    for base in (BASE, "https://zukunft.example.org"):
        configure(site_root, base_url=base)
        report = io.StringIO()
        assert run_check(site_root, today=TODAY, vnu=False, stream=report) == 0, report.getvalue()


def _ask(port: int, path: str) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        answer = conn.getresponse()
        return answer.status, answer.getheader("Location") or "", answer.read()
    finally:
        conn.close()


def test_the_preview_serves_the_site_under_the_prefix_only(site_root: Path, tmp_path: Path) -> None:
    configure(site_root, base_url=BASE)
    preview = Preview(site_root, tmp_path / "out", today=TODAY, log=lambda m: None)
    server, observer = start(preview, port=0)
    port = server.server_address[1]
    try:
        assert _ask(port, "/")[:2] == (302, "/zukunft/")
        assert _ask(port, "/zukunft")[:2] == (302, "/zukunft/")
        status, _, body = _ask(port, "/zukunft/themen/mobilitaet/")
        assert status == 200 and b"Mobilit" in body and b'<script src="/__preview/reload.js">' in body
        css = re.search(rb'href="(/zukunft/static/style\.[0-9a-f]+\.css)"', body).group(1).decode()
        assert _ask(port, css)[0] == 200
        assert _ask(port, "/themen/mobilitaet/")[0] == 404  # the host root has nothing of the site
        assert _ask(port, "/static/" + css.rsplit("/", 1)[1])[0] == 404
        status, _, body = _ask(port, "/zukunft/nicht/da/")
        assert status == 404 and b'href="/zukunft/themen/"' in body
    finally:
        observer.stop()
        server.shutdown()
        observer.join(5)
