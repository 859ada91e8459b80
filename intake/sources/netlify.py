"""Netlify Forms, REST API v1 with a Bearer token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from intake.config import number, text
from intake.dates import utc_date
from intake.errors import ConfigError
from intake.http import Fetcher, FetchError
from intake.sources.base import PageGuard, Submission, flatten, stable_key, token

SETTINGS = ("api_base", "site_id", "form_name", "form_id", "token_env", "per_page", "include_spam",
            "delete_after_pull")
WHERE = "intake.netlify"


@dataclass(frozen=True)
class NetlifySettings:
    """`intake.netlify`, validated, with the token it names."""

    api_base: str
    site_id: str | None
    form_name: str
    form_id: str | None
    secret: str = field(repr=False)  # a repr of the settings must never show the token
    per_page: int
    include_spam: bool
    can_delete: bool  # `delete_after_pull`


class Netlify:
    """Pages through a form's verified (and optionally spam) submissions."""

    name = "netlify"

    def __init__(self, fetcher: Fetcher, settings: NetlifySettings, now: dt.datetime) -> None:
        self.fetcher = fetcher
        self.api = settings.api_base.rstrip("/")
        self.site_id, self.form_name, self.form_id = settings.site_id, settings.form_name, settings.form_id
        self.headers = {"Authorization": f"Bearer {settings.secret}", "User-Agent": "zukunftsthemen-intake"}
        self.per_page, self.include_spam, self.now = settings.per_page, settings.include_spam, now
        self.can_delete = settings.can_delete

    def find_form(self) -> str:
        """The form id: configured, or looked up by name on the site."""
        if self.form_id:
            return self.form_id
        forms, _ = self.fetcher.get_json(f"{self.api}/sites/{self.site_id}/forms", headers=self.headers)
        if not isinstance(forms, list):
            raise FetchError(f"{self.api}/sites/{self.site_id}/forms: expected a list of forms")
        for form in forms:
            if isinstance(form, dict) and form.get("name") == self.form_name:
                return str(form.get("id"))
        names = ", ".join(sorted(str(f.get("name")) for f in forms if isinstance(f, dict))) or "none"
        raise FetchError(f"no form named {self.form_name!r} on site {self.site_id} (forms there: {names}); "
                         f"check {WHERE}.form_name")

    def pages(self) -> Iterator[list[Submission]]:
        """Verified submissions, then spam, page by page."""
        form_id = self.find_form()
        states = [None, "spam"] if self.include_spam else [None]
        for state in states:
            guard = PageGuard(f"{self.api}/forms/{form_id}/submissions", self.fetcher.policy.max_pages)
            page = 1
            while True:
                params: dict[str, Any] = {"page": page, "per_page": self.per_page}
                if state:
                    params["state"] = state
                url = f"{self.api}/forms/{form_id}/submissions"
                items, response = self.fetcher.get_json(url, params=params, headers=self.headers)
                if not isinstance(items, list):
                    raise FetchError(f"{url} page {page}: expected a list of submissions")
                batch = [self.parse(item, state == "spam") for item in items]
                guard.check(batch, f"page {page}" + (f" ({state})" if state else ""))
                yield batch
                # A Link header is authoritative (the server may cap per_page); without one, a short page ends.
                if "link" in response.headers:
                    if "next" not in response.links or not items:
                        break
                elif len(items) < self.per_page:
                    break
                page += 1

    def parse(self, item: Any, spam: bool) -> Submission:
        """One API submission; `data` carries the fields plus ip, user_agent and referrer."""
        if not isinstance(item, dict):
            raise FetchError(f"unexpected submission in Netlify response: {type(item).__name__}")
        data = item.get("data") if isinstance(item.get("data"), dict) else {}
        fields = {str(k): flatten(v) for k, v in data.items()}
        raw_id = item.get("id")
        date, problem = utc_date(item.get("created_at"), self.now)
        return Submission(key=stable_key(self.name, raw_id, item), source=self.name,
                          source_id=None if raw_id is None else str(raw_id), date=date, data=fields,
                          flagged_spam=spam, problems=(problem,) if problem else ())

    def delete(self, submission: Submission) -> None:
        """DELETE /submissions/{id}; the caller guarantees the entry is already on disk."""
        if submission.source_id:
            self.fetcher.delete(f"{self.api}/submissions/{submission.source_id}", headers=self.headers)


def build(settings: Mapping[str, Any], fetcher: Fetcher, env: Mapping[str, str], now: dt.datetime) -> Netlify:
    """Validate `intake.netlify` and make the source."""
    site_id = text(settings, "site_id", None, WHERE)
    form_id = text(settings, "form_id", None, WHERE)
    if not site_id and not form_id:
        raise ConfigError(f"{WHERE}.site_id: required (or give {WHERE}.form_id directly)")
    per_page = number(settings, "per_page", 100, WHERE, integer=True)
    if not 1 <= per_page <= 1000:
        raise ConfigError(f"{WHERE}.per_page: expected 1..1000, got {per_page}")
    flags = {}
    for key, default in (("include_spam", True), ("delete_after_pull", False)):
        flags[key] = settings.get(key, default)
        if not isinstance(flags[key], bool):
            raise ConfigError(f"{WHERE}.{key}: expected true or false, got {flags[key]!r}")
    return Netlify(fetcher, NetlifySettings(
        api_base=text(settings, "api_base", "https://api.netlify.com/api/v1", WHERE) or "", site_id=site_id,
        form_name=text(settings, "form_name", "kommentare", WHERE) or "", form_id=form_id,
        secret=token(settings, WHERE, "NETLIFY_AUTH_TOKEN", env) or "", per_page=per_page,
        include_spam=flags["include_spam"], can_delete=flags["delete_after_pull"]), now)
