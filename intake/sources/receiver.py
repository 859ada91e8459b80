"""The city's own receiver (`python -m intake receive`): cursor pages, deleted there once stored here."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, Mapping

from intake.config import text
from intake.errors import ConfigError
from intake.http import Call, Fetcher, FetchError
from intake.receiver.app import ID
from intake.receiver.settings import SETTINGS, WHERE
from intake.dates import utc_date
from intake.sources.base import PageGuard, Submission, flatten, token


class Receiver:
    """Pages by the last id seen (ids only grow), so new submissions never shift a page."""

    name = "receiver"

    def __init__(self, fetcher: Fetcher, *, url: str, secret: str, per_page: int, can_delete: bool,
                 now: dt.datetime) -> None:
        self.fetcher, self.url, self.per_page, self.can_delete, self.now = fetcher, url, per_page, can_delete, now
        self.headers = {"Authorization": f"Bearer {secret}", "User-Agent": "zukunftsthemen-intake"}

    def pages(self) -> Iterator[list[Submission]]:
        """Every waiting submission, oldest first."""
        after = 0
        guard = PageGuard(f"{self.url}/api/submissions", self.fetcher.policy.max_pages)
        while True:
            body, _ = self.fetcher.get_json(f"{self.url}/api/submissions",
                                            params={"after": after, "limit": self.per_page}, headers=self.headers)
            items = body.get("submissions") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise FetchError(f"{self.url}/api/submissions: expected an object with a `submissions` list")
            batch = [self.parse(item) for item in items]
            guard.check(batch, f"the page after {after}")
            yield batch
            if not body.get("next") or not batch:
                return
            last = max(int(item["seq"]) for item in items)
            if last <= after:  # the cursor must move forward, else the same page would come back forever
                raise FetchError(f"{self.url}/api/submissions: the page after {after} does not advance")
            after = last

    def parse(self, item: Any) -> Submission:
        """One stored submission; its id is random hex, so the key is `receiver-<id>`."""
        if not isinstance(item, dict) or not ID.match(str(item.get("id"))) or not isinstance(item.get("data"), dict) \
                or not isinstance(item.get("seq"), int) or isinstance(item.get("seq"), bool):
            raise FetchError(f"{self.url}: unexpected submission in the receiver's answer")
        data = {str(k): flatten(v) for k, v in item["data"].items()}
        date, problem = utc_date(item.get("received_at"), self.now)
        return Submission(key=f"receiver-{item['id']}", source=self.name, source_id=str(item["id"]),
                          date=date, data=data, problems=(problem,) if problem else ())

    def delete_many(self, submissions: list[Submission]) -> int:
        """Delete a batch at the receiver in one request (it also truncates its log); returns how many."""
        self.fetcher.request(Call("POST", f"{self.url}/api/submissions/delete", headers=self.headers,
                                  payload={"ids": [s.source_id for s in submissions]}))
        return len(submissions)

    def delete(self, submission: Submission) -> None:
        """DELETE it at the receiver; the caller guarantees it is already in the inbox."""
        self.fetcher.delete(f"{self.url}/api/submissions/{submission.source_id}", headers=self.headers)


def build(settings: Mapping[str, Any], fetcher: Fetcher, env: Mapping[str, str], now: dt.datetime) -> Receiver:
    """Validate what a pull needs of `intake.receiver`: its address and the token."""
    url = text(settings, "url", None, WHERE)
    if not url or not url.startswith(("https://", "http://")):
        raise ConfigError(f"{WHERE}.url: required for `pull`: the receiver's address, e.g. "
                          "https://kommentare.stadt.example")
    flag = settings.get("delete_after_pull", True)
    if not isinstance(flag, bool):
        raise ConfigError(f"{WHERE}.delete_after_pull: expected true or false, got {flag!r}")
    per_page = settings.get("per_page", 500)
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= 5000:
        raise ConfigError(f"{WHERE}.per_page: expected 1..5000, got {per_page!r}")
    return Receiver(fetcher, url=url.rstrip("/"), secret=token(settings, WHERE, "INTAKE_RECEIVER_TOKEN", env) or "",
                    per_page=per_page, can_delete=flag, now=now)


__all__ = ["SETTINGS", "Receiver", "build"]
