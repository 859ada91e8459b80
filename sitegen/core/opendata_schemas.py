"""The JSON Schemas (draft 2020-12) of the open data, published as /daten/<name>.schema.json.

The schema is a promise to whoever builds on the data: fields are added, never renamed or removed
(a new field is optional in the schema first); a breaking change gets new file names.
"""

from __future__ import annotations

import json
from typing import Any

from .contract import OFFICIAL

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TEXT = {"type": "string"}
MAYBE_TEXT = {"type": ["string", "null"]}
DATE_TIME = {"type": "string", "format": "date-time"}


def _dataset(title: str, key: str, item: dict[str, Any]) -> dict[str, Any]:
    """A dataset file: its head (title, licence, publisher, schema), the records and their count."""
    return {
        "$schema": DRAFT, "title": title, "type": "object",
        "required": ["title", "license", "publisher", "schema", key, "count"],
        "properties": {
            "title": TEXT,
            "license": {"type": "object", "required": ["name", "url"], "additionalProperties": False,
                        "properties": {"name": TEXT, "url": {"type": "string", "format": "uri"}},
                        "description": "Die Lizenz der Daten; bei Nutzung ist der publisher zu nennen."},
            "publisher": {"type": "string", "description": "Wer die Daten bereitstellt (Namensnennung)."},
            "schema": {"type": "string", "description": "Die Adresse dieses Schemas."},
            key: {"type": "array", "items": item},
            "count": {"type": "integer", "minimum": 0},
        },
    }


def _record(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


TOPIC = _record(
    ["slug", "url", "title", "category", "date", "comments", "tags"],
    slug=TEXT, url=TEXT, title=TEXT, subtitle=MAYBE_TEXT, category=TEXT, summary=MAYBE_TEXT,
    date={"type": ["string", "null"], "format": "date", "description": "Datum des Themas, falls angegeben."},
    comments={"enum": ["open", "closed"],
              "description": "open: Kommentare werden angenommen, bis zum Tag in comments_until, falls angegeben."},
    tags={"type": "array", "items": TEXT},
    comment_count={"type": "integer", "minimum": 0,  # new: optional first, as the promise above says
                   "description": "Zahl der freigegebenen Kommentare und offiziellen Antworten."},
    comments_until={"type": ["string", "null"], "format": "date",
                    "description": "Der letzte Tag, an dem Kommentare angenommen werden; danach ist die "
                                   "Beteiligung beendet."},
)

EVENT = _record(
    ["slug", "url", "title", "start", "end", "status", "location", "topics"],
    slug=TEXT, url=TEXT, title=TEXT, start=DATE_TIME, end=DATE_TIME,
    status={"enum": ["scheduled", "cancelled", "postponed"]},
    location=_record(["name"], name=TEXT, address=MAYBE_TEXT, online_url=MAYBE_TEXT),
    topics={"type": "array", "items": TEXT, "description": "Slugs der verbundenen Zukunftsthemen."},
    registration_url=MAYBE_TEXT,
    updated={"type": ["string", "null"], "format": "date-time", "description": "Letzte Änderung durch die Redaktion."},
    description={"type": "string", "description": "Die Beschreibung als reiner Text."},
)

COMMENT = _record(
    ["id", "topic", "parent", "name", "body", "date", "official"],
    id=TEXT, topic=TEXT, parent={"type": ["string", "null"], "description": "id des beantworteten Kommentars."},
    name=TEXT, body={"type": "string", "description": "Reiner Text, wie eingereicht und freigegeben."},
    date=DATE_TIME, official={"enum": [None, *OFFICIAL]},
)

SCHEMAS = {
    "themen": _dataset("Zukunftsthemen", "topics", TOPIC),
    "termine": _dataset("Termine", "events", EVENT),
    "kommentare": _dataset("Freigegebene Kommentare", "comments", COMMENT),
}


def schema_file(name: str) -> bytes:
    """One schema as the file the site publishes."""
    return (json.dumps(SCHEMAS[name], ensure_ascii=False, indent=1) + "\n").encode("utf-8")
