"""The hostile strings of blns.json from pull through approve and build: escaped in the page, no personal data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from intake_support import REPO, Cli, make_site
from intake_fakes import FakeNetlify, mock_transport, submission
from sitegen.core.codepoints import strip_invisible


def build(root: Path) -> Path:
    """Run the site generator exactly as the editors do."""
    out = root / "out"
    done = subprocess.run([sys.executable, "build.py", "--root", str(root), "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def publish_all(cli: Cli, subs: list[dict]) -> list[dict]:
    """Pull, then approve every entry validation lets through (spam verdicts overridden, as an editor may)."""
    cli.transport = mock_transport(FakeNetlify(subs))
    assert cli("pull").code == 0
    ok = [e for e in cli.entries().values() if not e["invalid"]]
    result = cli("approve", *[e["key"] for e in ok])
    assert result.code == 0, result.err
    return ok


def shape(html: str) -> set[tuple[str, tuple[str, ...]]]:
    """Every (element, attribute names) pair in a page: what the template can put there."""
    soup = BeautifulSoup(html, "html.parser")
    return {(tag.name, tuple(sorted(tag.attrs))) for tag in soup.find_all(True)}


def test_blns_pulled_approved_built_and_escaped(tmp_path: Path, env: dict[str, str], blns: list[str]) -> None:
    hostile = [submission(i, name=s, body=f"Text {i}", email=f"blns{i}@example.org") for i, s in enumerate(blns)]
    hostile += [submission(1000 + i, name=f"Person {i}", body=s, email=f"blns{1000 + i}@example.org")
                for i, s in enumerate(blns)]
    site = make_site(tmp_path / "hostile", topics=("verkehr",))
    published = publish_all(Cli(site, env), hostile)
    # a rejected share proves validation fired (empty names, control characters), the rest is published
    assert len(blns) < len(published) < len(hostile)

    baseline = make_site(tmp_path / "baseline", topics=("verkehr",))
    plain = [submission(i, name=f"Person {i}", email=f"base{i}@example.org",
                        body=f"Absatz {i} mit https://example.org/{i} und www.example.org\n\nZweiter Absatz.")
             for i in range(1, 6)]
    plain.append(submission(7, name="Antwort", parent=f"netlify-{plain[0]['id']}", email="r@example.org"))
    publish_all(Cli(baseline, env), plain)

    page = (build(site) / "themen" / "verkehr" / "index.html").read_text(encoding="utf-8")
    normal = (build(baseline) / "themen" / "verkehr" / "index.html").read_text(encoding="utf-8")
    extra = shape(page) - shape(normal)
    assert extra == set(), f"elements or attributes the template did not put there: {sorted(extra)[:10]}"

    soup = BeautifulSoup(page, "html.parser")
    text = soup.get_text()
    for entry in published:  # as the site shows names: without bidi controls and zero-width characters
        assert strip_invisible(entry["fields"]["name"]).strip() in text
    for link in soup.select(".comment-body a"):
        assert link["href"].startswith(("http://", "https://")), link
        assert set(link.get("rel", [])) >= {"nofollow", "ugc"}
    assert len(soup.find_all("script")) == len(BeautifulSoup(normal, "html.parser").find_all("script"))

    for folder in (site / "content", site / "out", baseline / "content", baseline / "out"):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes().decode("utf-8", "replace")
                assert "@example.org" not in data, path
                assert "203.0.113." not in data and "Agent/" not in data, path
