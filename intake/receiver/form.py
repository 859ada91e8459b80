"""The posted comment form: decoded, limited and checked, or refused with a reason for the visitor."""

from __future__ import annotations

from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

from intake.config import Limits
from intake.validate import CONSENT
from sitegen.core.contract import COMMENT_ID, SLUG

# What the site's form sends; anything else is dropped, not stored.
FIELDS = ("topic", "parent", "name", "email", "website", "body", "consent", "form_loaded_at", "bot-field",
          "_gotcha")
HONEYPOTS = ("bot-field", "_gotcha")


@dataclass(frozen=True)
class Refusal(Exception):
    """Why a post is not taken: the HTTP status and a sentence for the visitor (German)."""

    status: int
    message: str


def decode(body: bytes, content_type: str) -> dict[str, str]:
    """The form's fields from an urlencoded or multipart body (the last value of a repeated name wins)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                              max_num_fields=len(FIELDS) * 4)
        except (UnicodeDecodeError, ValueError):
            raise Refusal(400, "Das Formular kam unvollständig oder beschädigt an.") from None
        return {k: v for k, v in pairs if k in FIELDS}
    if kind == "multipart/form-data":
        return multipart(body, content_type)
    raise Refusal(400, "Das Formular kam in einem unbekannten Format an.")


def multipart(body: bytes, content_type: str) -> dict[str, str]:
    """Text parts of a multipart form (files are ignored)."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") +
                                                   b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise Refusal(400, "Das Formular kam unvollständig oder beschädigt an.")
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str) and name in FIELDS and part.get_filename() is None:
            payload = part.get_payload(decode=True) or b""
            try:
                fields[name] = payload.decode("utf-8")
            except UnicodeDecodeError:
                raise Refusal(400, "Das Formular kam unvollständig oder beschädigt an.") from None
    return fields


def check(fields: dict[str, str], limits: Limits) -> dict[str, str]:
    """The fields worth storing, or a Refusal saying what to fix."""
    for trap in HONEYPOTS:
        if fields.get(trap, "").strip():
            raise Refusal(400, "Ein verstecktes Feld, das leer bleiben muss, wurde ausgefüllt. Falls Ihr Browser "
                               "Formulare automatisch ausfüllt, schalten Sie das bitte für diese Seite ab.")
    topic, parent = fields.get("topic", ""), fields.get("parent", "")
    if not SLUG.match(topic) or len(topic) > 64 or (parent and not COMMENT_ID.match(parent)):
        raise Refusal(400, "Das Formular gehört zu keinem Thema dieser Seite.")
    for name, label, limit, required in (("name", "Name", limits.name, True),
                                         ("body", "Kommentar", limits.body, True),
                                         ("email", "E-Mail-Adresse", limits.email, False),
                                         ("website", "Webseite", limits.website, False)):
        value = fields.get(name, "").strip()
        if required and not value:
            raise Refusal(400, f"Das Feld „{label}“ ist leer. Bitte füllen Sie es aus.")
        if len(value) > limit:
            raise Refusal(413, f"Das Feld „{label}“ ist mit {len(value)} Zeichen länger als erlaubt "
                               f"(höchstens {limit}). Bitte kürzen Sie es.")
    if fields.get("consent", "").strip().lower() not in CONSENT:
        raise Refusal(400, "Bitte bestätigen Sie, dass Ihr Beitrag nach Prüfung veröffentlicht werden darf.")
    return {k: v for k, v in fields.items() if k not in HONEYPOTS and v != ""}
