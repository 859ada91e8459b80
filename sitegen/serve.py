"""`python build.py serve`: build, serve on 127.0.0.1, rebuild on change, reload the browser.

The reload script and the error banner are injected into responses by this server only;
the files in the output folder are exactly what a normal build writes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from markupsafe import escape
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import build
from . import theme_dir
from .core.config import load_config
from .core.errors import BuildError, Problems, ThemeError
from .engine.session import Session
from .core.urls import prefix_of
from .output.paths import WriteError

RELOAD_JS = b"""(function () {
  var seen = null;
  function poll() {
    fetch("/__preview/version", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (s) { var v = s.version + ":" + (s.error || "");
        if (seen !== null && v !== seen) { location.reload(); } seen = v; })
      .catch(function () {}).finally(function () { setTimeout(poll, 300); });
  }
  poll();
})();
"""
# Where moderation runs: a separate local server with its own access token, which the preview
# never sees, so the token cannot end up in a page the preview serves or in site/.
MODERATION = ("Kommentare moderieren: in einem zweiten Terminal `python -m intake review --web` starten "
              "und den Link öffnen, den es dort zeigt (nur auf diesem Rechner).")
MODERATION_PAGE = ('<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Kommentare moderieren'
                   '</title></head><body><main><h1>Kommentare moderieren</h1><p>Die Moderation läuft als eigene '
                   'Seite auf diesem Rechner. Starten Sie in einem zweiten Terminal, im Ordner der Website:</p>'
                   '<pre><code>python -m intake review --web</code></pre><p>und öffnen Sie den Link mit '
                   'Zugangsschlüssel, den es dort anzeigt. Die Vorschau kennt diesen Schlüssel nicht.</p>'
                   '</main></body></html>').encode()


class Preview:
    """Rebuilds the site on demand and remembers the last error; the server reads its state."""

    def __init__(self, root: Path, out: Path, today: dt.date | None = None, drafts: bool = False,
                 debounce: float = 0.15, log=print):
        self.root, self.out, self.today, self.drafts = Path(root).resolve(), Path(out), today, drafts
        self.session = Session()  # the cache in memory and the watcher's list of changed files
        self.debounce, self.log = debounce, log
        self.version = 0
        self.error: str | None = None
        self.prefix = self.read_prefix()  # the site is served under the path of base_url, as the host will
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def rebuild(self) -> None:
        """Build; on a content error keep the last good build and show the error."""
        with self._lock:
            try:
                report = build(self.root, self.out, today=self.today, drafts=self.drafts, session=self.session)
            except (BuildError, WriteError, ThemeError) as exc:
                self.error = exc.report() if isinstance(exc, BuildError) else str(exc)
                self.log(self.error)
            except Exception as exc:  # a template bug must not kill the preview either
                self.error = f"{type(exc).__name__}: {exc}"
                self.log(f"build failed: {self.error}")
            else:
                self.error = None
                self.prefix = self.read_prefix()  # what the pages just written link to
                self.log(f"rebuilt: {len(report.written)} written, {len(report.removed)} removed")
            self.version += 1

    def read_prefix(self) -> str:
        """The path of site.yaml's base_url ('' for the host root or a site.yaml that cannot be read)."""
        return prefix_of(load_config(self.root, Problems(self.root)).get("base_url"))

    def changed(self, event: FileSystemEvent | None = None) -> None:
        """Schedule a rebuild; bursts of saves within the debounce window build once."""
        if self._timer:
            self._timer.cancel()
        self._timer = threading.Timer(self.debounce, self.rebuild)
        self._timer.daemon = True
        self._timer.start()

    def watched(self) -> list[Path]:
        folders = [self.root / "content", theme_dir(self.root, "templates"), theme_dir(self.root, "static")]
        return [f for f in folders if f.is_dir()]


class _OnChange(FileSystemEventHandler):
    def __init__(self, preview: Preview):
        self.preview = preview

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file is not a change
        if event.is_directory and event.event_type in ("moved", "deleted", "created"):
            self.preview.session.forget()  # a folder appeared, went or moved: look at everything
        paths = [str(event.src_path)] + ([str(event.dest_path)] if getattr(event, "dest_path", "") else [])
        # an atomic save writes a hidden temporary file and renames it: the rename's target counts
        real = [p for p in paths if not _temporary(Path(p).name)]
        if not real:
            return
        for p in real:
            self.preview.session.note(p)
        self.preview.changed(event)


def _temporary(name: str) -> bool:
    """Editors' and our own temporary files, which are renamed into place or thrown away."""
    return name.startswith(".") or name.endswith(("~", ".swp", ".tmp"))


class _Handler(SimpleHTTPRequestHandler):
    preview: Preview
    # an idle connection is closed after this many seconds (StreamRequestHandler sets it on the
    # socket): a browser reconnects at once, a thousand abandoned ones no longer pin a thread each
    timeout = 15.0

    def log_message(self, format: str, *args) -> None:  # keep the terminal for build messages
        pass

    def _foreign(self) -> bool:
        """Answer 403 to a request whose Host is not this server: no DNS rebinding to drafts."""
        port = self.server.server_address[1]
        if self.headers.get("Host", "") in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return False
        self._send(403, "text/plain", b"preview only for 127.0.0.1")
        return True

    def do_HEAD(self) -> None:
        if not self._foreign() and self._in_site():
            super().do_HEAD()

    def _in_site(self) -> bool:
        """Under a prefix, only its paths are the site's: the host root redirects there, the rest is 404."""
        prefix = self.preview.prefix
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not prefix or path.startswith(prefix + "/"):
            return True
        if path in ("/", prefix):
            self.send_response(302)
            self.send_header("Location", prefix + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._not_found()
        return False

    def translate_path(self, path: str) -> str:
        prefix = self.preview.prefix
        if prefix and path.startswith(prefix + "/"):
            path = path[len(prefix):]
        return super().translate_path(path)

    def do_GET(self) -> None:
        if self._foreign():
            return
        if self.path.startswith("/__preview/version"):
            return self._send(200, "application/json", json.dumps(
                {"version": self.preview.version, "error": self.preview.error}).encode())
        if self.path.startswith("/__preview/reload.js"):
            return self._send(200, "text/javascript", RELOAD_JS)
        if self.path.split("?", 1)[0] == "/__preview/moderation":
            return self._send(200, "text/html; charset=utf-8", MODERATION_PAGE)
        if not self._in_site():
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send(200, "text/html; charset=utf-8", self._inject(path.read_bytes()))
        if not path.exists():
            return self._not_found()
        return super().do_GET()

    def _not_found(self) -> None:
        page = Path(self.directory) / "404.html"
        body = self._inject(page.read_bytes()) if page.is_file() else b"not found"
        self._send(404, "text/html; charset=utf-8", body)

    def _inject(self, html: bytes) -> bytes:
        """Add the reload script and, after a failed build, the error in the page."""
        extra = '<script src="/__preview/reload.js"></script>'
        if self.preview.error:
            extra = (f'<div role="alert" style="position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;'
                     f'background:#fff3f3;color:#000;border-top:4px solid #b00020;padding:1rem;z-index:99">'
                     f'<p><strong>Vorschau: Der letzte Build ist fehlgeschlagen; Sie sehen den letzten guten Stand.'
                     f'</strong></p><pre id="sitegen-error">{escape(self.preview.error)}</pre></div>') + extra
        return html.replace(b"</body>", extra.encode() + b"</body>", 1)

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def start(preview: Preview, port: int = 8000) -> tuple[ThreadingHTTPServer, Observer]:
    """Build once, then serve and watch in background threads (port 0 picks a free port)."""
    preview.rebuild()
    preview.out.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(preview.out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    observer = Observer()
    for folder in preview.watched():
        observer.schedule(_OnChange(preview), str(folder), recursive=True)
    observer.start()
    return server, observer


def serve(root: Path, out: Path, port: int = 8000, today: dt.date | None = None, drafts: bool = False) -> int:
    """Run the preview until Ctrl-C."""
    preview = Preview(root, out, today=today, drafts=drafts, log=lambda m: print(m, file=sys.stderr, flush=True))
    try:
        server, observer = start(preview, port)
    except OSError as exc:
        print(f"serve: cannot listen on 127.0.0.1:{port}: {exc.strerror}; try --port", file=sys.stderr)
        return 2
    print(f"Preview on http://127.0.0.1:{server.server_address[1]}{preview.prefix}/ (Ctrl-C stops)", flush=True)
    print(f"{MODERATION} (also at http://127.0.0.1:{server.server_address[1]}/__preview/moderation)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
        preview.session.flush()  # the next start is then a warm one
    return 0
