"""Chromium (Debian's package) driven by Playwright, and local servers for the site and the receiver."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "intake")]

CHROMIUM = "/usr/bin/chromium"  # .ci/run installs it with apt-get; Playwright's own download cannot work here
# Without these, Chromium calls home at start (refused on this network, and slow).
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves a folder like a static host: index.html for folders, 404.html for what is missing."""

    headers_for: Any = None  # optional callable(path) -> list of (name, value), e.g. from _headers
    prefix = ""  # the folder is served under this path ('/zukunft'); nothing outside it, not even at '/'

    def translate_path(self, path: str) -> str:
        if not self.prefix:
            return super().translate_path(path)
        bare = path.split("?", 1)[0].split("#", 1)[0]
        if bare != self.prefix and not bare.startswith(self.prefix + "/"):
            return str(Path(self.directory) / ".outside-the-prefix")  # no such file: a 404
        return super().translate_path(path[len(self.prefix):] or "/")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def end_headers(self) -> None:
        if self.headers_for is not None:
            for name, value in self.headers_for(self.path.split("?", 1)[0]):
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


class StaticSite:
    """A folder served on 127.0.0.1 (port chosen by the OS) until closed; under a prefix ('/zukunft')
    the folder is that path of the host, and the host root has nothing."""

    def __init__(self, folder: Path, headers_for: Any = None, prefix: str = "") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        handler = type("Handler", (Quiet,), {"headers_for": staticmethod(headers_for) if headers_for else None,
                                             "prefix": prefix})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      functools.partial(handler, directory=str(folder)))
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = self.origin + prefix
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def pages(site: Path) -> Iterator[str]:
    """Every HTML page of a built site as its URL path."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        yield "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def parse_headers_file(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The rules of a Netlify/Cloudflare `_headers` file: (path pattern, [(name, value)])."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(site: Path) -> Any:
    """What a host reading site/_headers sends for a path (rules matched as Netlify does: `*` at the end)."""
    def lookup(path: str) -> list[tuple[str, str]]:
        rules = parse_headers_file((site / "_headers").read_text(encoding="utf-8"))  # as built at this moment
        sent: list[tuple[str, str]] = []
        for pattern, pairs in rules:
            if pattern == path or (pattern.endswith("*") and path.startswith(pattern[:-1])):
                sent += pairs
        return sent

    return lookup
