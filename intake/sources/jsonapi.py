"""A generic JSON endpoint: a list of submissions, an optional Bearer token and a field mapping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

import httpx

from intake.config import mapping, text
from intake.dates import utc_date
from intake.errors import ConfigError
from intake.http import Fetcher, FetchError, same_origin, shown
from intake.sources.base import PageGuard, Submission, dig, flatten, stable_key, token

SETTINGS = ("url", "token_env", "items", "id_field", "date_field", "next_field", "fields")
WHERE = "intake.json"
OUR_FIELDS = ("topic", "parent", "name", "email", "website", "body", "consent", "bot-field", "_gotcha",
              "form_loaded_at", "ip", "user_agent", "referrer")


@dataclass(frozen=True)
class JsonSettings:
    """`intake.json`, validated, with the token it names (if any)."""

    url: str
    secret: str | None = field(repr=False)  # a repr of the settings must never show the token
    items: str | None  # dotted path to the list in a page, else a guess
    id_field: str
    date_field: str
    next_field: str
    fields: Mapping[str, str]  # our field name -> dotted path in the endpoint's submission


class JsonEndpoint:
    """Follows `next` (a URL in the body) or a Link rel=next header, on the configured origin only."""

    name = "json"
    can_delete = False

    def __init__(self, fetcher: Fetcher, settings: JsonSettings, now: dt.datetime) -> None:
        self.fetcher, self.url, self.items = fetcher, settings.url, settings.items
        self.headers = {"User-Agent": "zukunftsthemen-intake"}
        if settings.secret:
            self.headers["Authorization"] = f"Bearer {settings.secret}"
        self.id_field, self.date_field, self.next_field = settings.id_field, settings.date_field, settings.next_field
        self.fields, self.now = settings.fields, now

    def pages(self) -> Iterator[list[Submission]]:
        """Every page until an empty one or no next link; a loop or another host ends the run with an error."""
        url: str | None = self.url
        visited: set[str] = set()
        guard = PageGuard(self.url, self.fetcher.policy.max_pages)
        while url:
            if url in visited:
                raise FetchError(f"{shown(url)}: pagination loops back to a page already read")
            visited.add(url)
            body, response = self.fetcher.get_json(url, headers=self.headers)
            items = self.listed(body)
            if not isinstance(items, list):
                raise FetchError(f"{shown(url)}: no list of submissions (check {WHERE}.items)")
            batch = [self.parse(item) for item in items]
            guard.check(batch, shown(url))
            yield batch
            url = self.following(body, response) if items else None

    def listed(self, body: Any) -> Any:
        """The list of submissions: at `items`, else the body itself, its `submissions` or its `items`."""
        if self.items:
            return dig(body, self.items)
        if isinstance(body, dict):
            return next((body[k] for k in ("submissions", "items") if isinstance(body.get(k), list)), None)
        return body

    def following(self, body: Any, response: httpx.Response) -> str | None:
        """The next page's URL, refused unless it is on the configured scheme, host and port."""
        link = dig(body, self.next_field) if isinstance(body, dict) else None
        if not link and "next" in response.links:
            link = response.links["next"].get("url")
        if not link:
            return None
        url = str(response.url.join(str(link)))
        if not same_origin(url, self.url):
            raise FetchError(f"{shown(self.url)}: the next page is on another host ({shown(url)}); not followed, "
                             "the token goes only to the configured host")
        return url

    def parse(self, item: Any) -> Submission:
        """Map the endpoint's names to ours (dotted paths reach into nested objects)."""
        if not isinstance(item, dict):
            raise FetchError(f"unexpected submission in JSON response: {type(item).__name__}")
        data = {name: flatten(dig(item, path)) for name, path in self.fields.items()
                if dig(item, path) is not None}
        raw_id = dig(item, self.id_field)
        date, problem = utc_date(dig(item, self.date_field), self.now)
        return Submission(key=stable_key(self.name, raw_id, item), source=self.name,
                          source_id=None if raw_id is None else str(raw_id), date=date, data=data,
                          problems=(problem,) if problem else ())

    def delete(self, submission: Submission) -> None:
        """Not supported for a generic endpoint."""


def build(settings: Mapping[str, Any], fetcher: Fetcher, env: Mapping[str, str], now: dt.datetime) -> JsonEndpoint:
    """Validate `intake.json` and make the source."""
    url = text(settings, "url", None, WHERE)
    if not url or not url.startswith(("http://", "https://")):
        raise ConfigError(f"{WHERE}.url: required, an http(s) URL")
    raw_fields = mapping(settings.get("fields"), f"{WHERE}.fields")
    fields = {name: name for name in OUR_FIELDS}
    for name in raw_fields:
        if name not in OUR_FIELDS:
            raise ConfigError(f"{WHERE}.fields.{name}: unknown field (ours are: {', '.join(OUR_FIELDS)})")
        fields[name] = text(raw_fields, name, None, f"{WHERE}.fields") or name
    return JsonEndpoint(fetcher, JsonSettings(
        url=url, secret=token(settings, WHERE, None, env), items=text(settings, "items", None, WHERE),
        id_field=text(settings, "id_field", "id", WHERE) or "id",
        date_field=text(settings, "date_field", "created_at", WHERE) or "created_at",
        next_field=text(settings, "next_field", "next", WHERE) or "next", fields=fields), now)
