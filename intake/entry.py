"""One submission as the private inbox keeps it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping

from sitegen.core.contract import COMMENT_ID

STATUSES = ("pending", "approved", "rejected", "spam", "erased")
KEY = COMMENT_ID  # an entry's key becomes its comment's id (and file name) when approved
# Fields that are published when approved; everything personal lives in `personal`.
PUBLIC_FIELDS = ("topic", "parent", "name", "body")
PERSONAL_FIELDS = ("email", "website", "ip", "user_agent", "referrer")


@dataclass(frozen=True)
class Entry:
    """A submission plus its verdicts and moderation record."""

    key: str
    source: str
    date: str  # submission time, UTC ISO 8601
    status: str = "pending"
    source_id: str | None = None
    received_at: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    personal: Mapping[str, str] = field(default_factory=dict)
    email_hash: str | None = None
    fingerprint: str | None = None
    spam_reasons: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    official: str | None = None
    moderated_at: str | None = None
    moderated_by: str | None = None
    reason: str | None = None
    comment_path: str | None = None
    purged_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for YAML, in a stable order."""
        data = asdict(self)
        data["fields"] = dict(self.fields)
        data["personal"] = dict(self.personal)
        data["spam_reasons"] = list(self.spam_reasons)
        data["invalid"] = list(self.invalid)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entry:
        """Rebuild an entry from YAML data, ignoring keys a newer version may add."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["spam_reasons"] = tuple(values.get("spam_reasons") or ())
        values["invalid"] = tuple(values.get("invalid") or ())
        values["fields"] = dict(values.get("fields") or {})
        values["personal"] = dict(values.get("personal") or {})
        return cls(**values)

    def with_changes(self, **changes: Any) -> Entry:
        """A copy with some fields changed."""
        return replace(self, **changes)

    @property
    def topic(self) -> str:
        """The topic slug the visitor posted to."""
        return str(self.fields.get("topic") or "")

    @property
    def name(self) -> str:
        """The display name the visitor gave."""
        return str(self.fields.get("name") or "")
