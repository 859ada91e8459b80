"""Open data: the topics, events and comments as JSON and CSV, under the licence site.yaml names.

The schema of each JSON file is published next to it (opendata_schemas.py). The CSV files are
for spreadsheets as German offices open them: UTF-8 with a byte order mark (without it Excel
reads UTF-8 as Windows-1252), ';' between fields (Excel's separator under a German locale,
where ',' is the decimal mark) and CRLF line ends. A cell that a spreadsheet would run as a
formula (starting with = + - @ or a tab/CR) gets a leading apostrophe; the JSON keeps the exact text.
"""

from __future__ import annotations

import csv
import io
from itertools import chain
from typing import Any, Iterable, Mapping, Sequence

from . import dates
from .ical import plain
from .model import Comment, Event, Topic
from .pretty_json import dumps

LICENSE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENSE_URL = "https://www.govdata.de/dl-de/by-2-0"
BOM = "\ufeff".encode("utf-8")
FORMULA = ("=", "+", "-", "@", "\t", "\r")

# new columns go at the end: spreadsheets and scripts that read by position keep working
TOPIC_COLUMNS = ("slug", "url", "title", "subtitle", "category", "summary", "date", "comments", "tags", "comment_count",
                 "comments_until")
EVENT_COLUMNS = ("slug", "url", "title", "start", "end", "status", "location_name", "location_address",
                 "online_url", "topics", "registration_url", "updated", "description")
COMMENT_COLUMNS = ("id", "topic", "parent", "name", "body", "date", "official")


def license_of(config: dict[str, Any]) -> dict[str, str]:
    """The open data licence: site.yaml's open_data, validated by config.py, or DL-DE BY 2.0."""
    chosen = config.get("open_data") or {}
    return {"name": chosen.get("license_name") or LICENSE_NAME, "url": chosen.get("license_url") or LICENSE_URL}


def publisher_of(config: dict[str, Any]) -> str:
    """Whom reusers name under the licence: the operator from the Impressum, else the site."""
    return (config.get("operator") or {}).get("name") or config["title"]


def head(config: dict[str, Any], dataset: str, title: str) -> dict[str, Any]:
    """What every dataset starts with: its title, licence, publisher (whom to name) and schema."""
    return {"title": f"{config['title']}: {title}", "license": license_of(config), "publisher": publisher_of(config),
            "schema": f"{config.get('base_url') or ''}/daten/{dataset}.schema.json"}


def _json(data: dict[str, Any]) -> bytes:
    return (dumps(data) + "\n").encode("utf-8")


def topic_record(topic: Topic, base: str, comment_count: int) -> dict[str, Any]:
    """A topic's public fields; comment_count: its approved comments and official replies, as its page counts them."""
    return {"slug": topic.slug, "url": base + topic.url, "title": topic.title, "subtitle": topic.subtitle,
            "category": topic.category, "summary": topic.summary,
            "date": dates.iso(topic.date) if topic.date else None, "comments": topic.comments,
            "tags": list(topic.tags), "comment_count": comment_count,
            "comments_until": dates.iso(topic.comments_until) if topic.comments_until else None}


def event_record(event: Event, base: str) -> dict[str, Any]:
    loc = event.location
    return {"slug": event.slug, "url": base + event.url, "title": event.title,
            "start": dates.iso(event.start), "end": dates.iso(event.end), "status": event.status,
            "location": {"name": loc.name, "address": loc.address, "online_url": loc.online_url},
            "topics": list(event.topics), "registration_url": event.registration_url,
            "updated": dates.iso(event.updated) if event.updated else None,
            "description": plain(event.body_html)}


def topics_json(config: dict[str, Any], topics: Sequence[Topic], counts: Mapping[str, int]) -> bytes:
    """themen.json; counts: each topic's number of comments, by slug."""
    base = config.get("base_url") or ""
    return _listing(head(config, "themen", "Zukunftsthemen"), "topics",
                    (topic_record(t, base, counts[t.slug]) for t in topics), len(topics))


def events_json(config: dict[str, Any], events: Sequence[Event]) -> bytes:
    base = config.get("base_url") or ""
    return _listing(head(config, "termine", "Termine"), "events", (event_record(e, base) for e in events),
                    len(events))


def _listing(top: dict[str, Any], key: str, records: Iterable[dict[str, Any]], count: int) -> bytes:
    """_json(dict(top, key=[records], count=count)), byte for byte, one record at a time: the whole
    list's text would exist as its records' pieces and as one string at once (at 10k topics, megabytes
    more than the file)."""
    shell = _json(dict(top, **{key: []}, count=count))
    if not count:
        return shell
    # a JSON string escapes its quotes, so only the key itself can read '"key": []'
    before, after = shell.split(f'"{key}": []'.encode("utf-8"), 1)
    items = b",\n".join(b"  " + dumps(r, depth=2).encode("utf-8") for r in records)
    return b"".join((before, f'"{key}": [\n'.encode("utf-8"), items, b"\n ]", after))


def topics_csv(config: dict[str, Any], topics: Sequence[Topic], counts: Mapping[str, int]) -> bytes:
    base = config.get("base_url") or ""
    records = (topic_record(t, base, counts[t.slug]) for t in topics)  # one at a time: 10k of them take 10 MB
    return BOM + rows(chain([TOPIC_COLUMNS], ([r[c] for c in TOPIC_COLUMNS] for r in records)))


def events_csv(config: dict[str, Any], events: Sequence[Event]) -> bytes:
    table: list[Sequence[Any]] = [EVENT_COLUMNS]
    for e in events:
        r = event_record(e, config.get("base_url") or "")
        loc = r.pop("location")
        r.update(location_name=loc["name"], location_address=loc["address"], online_url=loc["online_url"])
        table.append([r[c] for c in EVENT_COLUMNS])
    return BOM + rows(table)


def comments_csv_head() -> bytes:
    """The start of kommentare.csv; each topic's rows follow (public_csv)."""
    return BOM + rows([COMMENT_COLUMNS])


def public_csv(ordered: Iterable[Comment]) -> bytes:
    """One topic's comments (in the order given) as rows of kommentare.csv: public fields only."""
    return rows([c.id, c.topic, c.parent, c.name, c.body, dates.iso(c.date), c.official] for c in ordered)


def rows(table: Iterable[Sequence[Any]]) -> bytes:
    """CSV rows: ';' between fields, CRLF, lists joined with ', ', None empty, formulas defused."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([cell(v) for v in row] for row in table)
    return buffer.getvalue().encode("utf-8")


def cell(value: Any) -> str:
    """A value as a spreadsheet cell that is never run as a formula."""
    if value is None:
        return ""
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(FORMULA) else text
