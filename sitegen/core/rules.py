"""The front-matter contracts of topics, events, pages and comments (see DESIGN.md)."""

from __future__ import annotations

from . import schema as s
from .contract import OFFICIAL

TOPIC = {
    "title": s.text(required=True, example="Digital.Stadt.Jena"),
    "subtitle": s.text(),
    "category": s.text(default="Zukunftsthema"),
    "summary": s.text(),
    "date": s.DATE,
    "themenpate": s.struct(name=s.text(required=True), role=s.text(required=True),
                           photo=s.url(), photo_credit=s.text(),
                           photo_crop=s.choice("square")),  # a face-friendly square, only when asked
    "interview": s.struct(title=s.text(required=True), url=s.url(), source=s.text()),
    "documents": s.list_of(s.struct(title=s.text(required=True), url=s.url(),
                                    format=s.text(required=True, example="PDF"), size=s.text())),
    "image": s.struct(src=s.url(), alt=s.text(required=True), credit=s.text()),
    "comments": s.choice("open", "closed", default="open"),
    "comments_until": s.DATE,  # the last day comments are taken (Europe/Berlin); see window.py
    "tags": s.list_of(s.text()),
    "draft": s.BOOL,
}

EVENT = {
    "title": s.text(required=True, example="Bürgerforum Digitalisierung"),
    "start": s.DATETIME,
    "end": s.DATETIME,
    "location": s.struct(required=True, name=s.text(required=True), address=s.text(), online_url=s.url()),
    "topics": s.list_of(s.text()),
    "registration_url": s.url(),
    "status": s.choice("scheduled", "cancelled", "postponed", default="scheduled"),
    # set by the editor on every change, so calendars that subscribed pick the change up (ical.py)
    "updated": s.Rule("datetime", example="2026-11-20 09:30"),
    "sequence": s.Rule("int"),
}

PAGE = {
    "title": s.text(required=True, example="Impressum"),
    "summary": s.text(),
    "layout": s.choice("default", "impressum", "datenschutz", "barrierefreiheit", default="default"),
    "footer": s.BOOL,
    "order": s.Rule("int", default=100),
}

COMMENT = {
    "id": s.text(required=True),
    "topic": s.text(required=True),
    "parent": s.text(),
    "name": s.text(required=True),
    "body": s.text(required=True),
    "date": s.Rule("datetime", required=True),
    "official": s.choice(*OFFICIAL),
    "moderated_at": s.Rule("datetime"),
    "moderated_by": s.text(),
}
