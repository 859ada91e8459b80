"""Formspree: `GET /api/0/forms/{id}/submissions` with limit/offset; no stable id, so a content hash."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from intake.config import number, text
from intake.dates import utc_date
from intake.errors import ConfigError
from intake.http import Fetcher, FetchError
from intake.sources.base import PageGuard, Submission, flatten, stable_key, token

SETTINGS = ("api_base", "form_id", "token_env", "limit", "since")
WHERE = "intake.formspree"


@dataclass(frozen=True)
class FormspreeSettings:
    """`intake.formspree`, validated, with the token it names."""

    api_base: str
    form_id: str
    secret: str = field(repr=False)  # a repr of the settings must never show the token
    limit: int
    since: str | None


class Formspree:
    """Pages through a form's submissions by offset until a short page."""

    name = "formspree"
    can_delete = False  # the API offers no delete; the editor clears the form in Formspree's dashboard

    def __init__(self, fetcher: Fetcher, settings: FormspreeSettings, now: dt.datetime) -> None:
        self.fetcher = fetcher
        self.url = f"{settings.api_base.rstrip('/')}/api/0/forms/{settings.form_id}/submissions"
        self.headers = {"Authorization": f"Bearer {settings.secret}", "User-Agent": "zukunftsthemen-intake"}
        self.limit, self.since, self.now = settings.limit, settings.since, now

    def pages(self) -> Iterator[list[Submission]]:
        """Every submission; offsets shift if new ones arrive, which only repeats keys, never skips."""
        offset = 0
        guard = PageGuard(self.url, self.fetcher.policy.max_pages)
        while True:
            params: dict[str, Any] = {"limit": self.limit, "offset": offset}
            if self.since:
                params["since"] = self.since
            body, _ = self.fetcher.get_json(self.url, params=params, headers=self.headers)
            items = body.get("submissions") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise FetchError(f"{self.url}: expected an object with a `submissions` list")
            batch = [self.parse(item) for item in items]
            guard.check(batch, f"the page at offset {offset}")
            yield batch
            if len(items) < self.limit:
                break
            offset += len(items)

    def parse(self, item: Any) -> Submission:
        """One submission; the key hashes the whole record, `_date` included."""
        if not isinstance(item, dict):
            raise FetchError(f"unexpected submission in Formspree response: {type(item).__name__}")
        fields = {str(k): flatten(v) for k, v in item.items() if not str(k).startswith("_") or k == "_gotcha"}
        date, problem = utc_date(item.get("_date"), self.now)
        return Submission(key=stable_key(self.name, None, item), source=self.name, source_id=None, date=date,
                          data=fields, problems=(problem,) if problem else ())

    def delete(self, submission: Submission) -> None:
        """Not supported by the API."""


def build(settings: Mapping[str, Any], fetcher: Fetcher, env: Mapping[str, str], now: dt.datetime) -> Formspree:
    """Validate `intake.formspree` and make the source."""
    form_id = text(settings, "form_id", None, WHERE)
    if not form_id:
        raise ConfigError(f"{WHERE}.form_id: required (the hashid in your form's endpoint URL)")
    limit = number(settings, "limit", 100, WHERE, integer=True)
    if not 1 <= limit <= 1000:
        raise ConfigError(f"{WHERE}.limit: expected 1..1000, got {limit}")
    return Formspree(fetcher, FormspreeSettings(
        api_base=text(settings, "api_base", "https://formspree.io", WHERE) or "", form_id=form_id,
        secret=token(settings, WHERE, "FORMSPREE_API_KEY", env) or "", limit=limit,
        since=text(settings, "since", None, WHERE)), now)
