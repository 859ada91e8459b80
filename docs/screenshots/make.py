"""Screenshots of the fixture site at 375 and 1280 px: `python docs/screenshots/make.py` from the repo root.

Builds tests/fixtures/site into a temporary folder, serves it on 127.0.0.1 and lets Debian's
Chromium (/usr/bin/chromium, through Playwright) photograph the start page, a topic page with
comments and a portrait, and an event page, whole pages, into docs/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from sitegen import Tuning, build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TODAY = dt.date(2026, 11, 26)  # the tests' date: the fixture's events are upcoming
WIDTHS = (375, 1280)
PAGES = {"start": "/", "thema": "/themen/mobilitaet/", "termin": "/termine/forum/"}


class Quiet(http.server.SimpleHTTPRequestHandler):
    """A static host that keeps quiet."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    """The folder on 127.0.0.1 at a port the OS picks, in a daemon thread."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    """Build, serve, photograph; the PNGs are named <page>-<width>.png."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(REPO / "tests" / "fixtures" / "site", root)
        build(root, root / "site", today=TODAY, tuning=Tuning(cache=False))
        server = serve(root / "site")
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
                for width in WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 740})
                    for name, path in PAGES.items():
                        page.goto(base + path, wait_until="load")
                        target = HERE / f"{name}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target.relative_to(REPO))
                    page.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
