"""Helpers for the intake tests: fixture sites under tmp_path and an in-process CLI runner."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import httpx
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # `intake` is run from the repo root, never installed
sys.path.insert(0, str(Path(__file__).parent))

from intake.cli import main  # noqa: E402
from intake.runtime import Runtime  # noqa: E402

BLNS = next(p for p in (REPO / "tests" / "data" / "blns.json", Path("/work/shared/data/blns.json")) if p.exists())
TOPIC = """---
title: {title}
summary: Worum es beim Thema {title} geht.
themenpate:
  name: Erika Pate
  role: Vorsitzende
comments: open
---
Text zum Thema {title}.
"""


def intake_section(**overrides: Any) -> dict[str, Any]:
    """The intake settings the tests start from: a local API base and tiny backoff."""
    section: dict[str, Any] = {
        "source": "netlify",
        "netlify": {"api_base": "http://netlify.test/api/v1", "site_id": "site-1", "form_name": "kommentare"},
        "hash_key_env": "INTAKE_HASH_KEY",
        "http": {"timeout": 5, "connect_timeout": 2, "retries": 8, "backoff_base": 0.001, "backoff_max": 0.004},
    }
    section.update(overrides)
    return section


def make_site(root: Path, intake: dict[str, Any] | None = None, topics: tuple[str, ...] = ("verkehr", "digital")) -> Path:
    """A fixture site: site.yaml with an intake section, topic files, an empty kommentare folder."""
    (root / "content" / "themen").mkdir(parents=True, exist_ok=True)
    (root / "content" / "kommentare").mkdir(exist_ok=True)
    site = {"title": "Zukunftsthemen Test", "city": "Jena", "base_url": "https://zukunft.example.de",
            "form": {"provider": "netlify", "name": "kommentare"},
            "intake": intake if intake is not None else intake_section()}
    (root / "content" / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False),
                                                encoding="utf-8")
    for slug in topics:
        (root / "content" / "themen" / f"{slug}.md").write_text(TOPIC.format(title=slug.capitalize()),
                                                                encoding="utf-8")
    return root


@dataclass
class Result:
    """What one in-process CLI run printed and returned."""

    code: int
    out: str
    err: str


@dataclass
class Cli:
    """Runs `python -m intake` in-process against one root with injected streams, transport and sleep."""

    root: Path
    env: dict[str, str]
    transport: httpx.BaseTransport | None = None
    clock: Callable[[], float] | None = None

    def __post_init__(self) -> None:
        self.sleeps: list[float] = []

    def __call__(self, *argv: str, stdin: str = "") -> Result:
        out, err = io.StringIO(), io.StringIO()
        kwargs: dict[str, Any] = {"clock": self.clock} if self.clock else {}
        rt = Runtime(env=self.env, stdin=io.StringIO(stdin), stdout=out, stderr=err, transport=self.transport,
                     sleep=self.sleeps.append, **kwargs)
        code = main([*argv, "--root", str(self.root)], rt)
        return Result(code, out.getvalue(), err.getvalue())

    @property
    def inbox(self) -> Path:
        return self.root / ".inbox"

    def entries(self) -> dict[str, dict[str, Any]]:
        """Every inbox entry by key."""
        return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(self.inbox.glob("*.yaml"))}
