"""A fixture site with pulled submissions and the browser review server on 127.0.0.1, started and stopped here."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from intake import config as configuration
from intake.runtime import Runtime
from intake.web.server import ReviewServer, start
from intake_fakes import TOKEN, FakeNetlify, mock_transport, submission
from intake_support import Cli, make_site

ENV = {"NETLIFY_AUTH_TOKEN": TOKEN, "INTAKE_HASH_KEY": "test-hash-key", "INTAKE_EDITOR": "Redaktion Web"}


class ReviewSite:
    """A site root whose inbox holds the given submissions, and its review server."""

    def __init__(self, root: Path, submissions: list[dict[str, Any]]) -> None:
        self.cli = Cli(make_site(root), dict(ENV))
        self.cli.transport = mock_transport(FakeNetlify(submissions))
        result = self.cli("pull")
        assert result.code == 0, result.err
        self.server: ReviewServer = start(configuration.load(self.cli.root), "Redaktion Web", 0, Runtime().stamp)
        self.origin = f"http://127.0.0.1:{self.server.guard.port}"

    @property
    def root(self) -> Path:
        return self.cli.root

    def keys(self) -> list[str]:
        """Inbox keys, oldest submission first (as the queue shows them)."""
        entries = self.cli.entries()
        return sorted(entries, key=lambda k: (entries[k]["date"], k))

    def entry(self, key: str) -> dict[str, Any]:
        return self.cli.entries()[key]

    def published(self) -> list[Path]:
        """Every published comment file."""
        return sorted((self.root / "content" / "kommentare").glob("*/*.yaml"))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def some(count: int, **data: str) -> list[dict[str, Any]]:
    """count ordinary submissions."""
    return [submission(i, **data) for i in range(1, count + 1)]


def served(tmp_path: Path, count: int) -> Iterator[ReviewSite]:
    """A review site with count pending submissions, served for one test and stopped after it (a fixture's body)."""
    site = ReviewSite(tmp_path / "site", some(count))
    yield site
    site.close()
