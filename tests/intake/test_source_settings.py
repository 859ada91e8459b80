"""Each backend's validated settings carry the token, and never show it."""

from __future__ import annotations

import pytest

from intake.sources.formspree import FormspreeSettings
from intake.sources.jsonapi import JsonSettings
from intake.sources.netlify import NetlifySettings

TOKEN = "tok-5ecret-value"


@pytest.mark.parametrize("settings", [
    NetlifySettings(api_base="https://api.example", site_id="s1", form_name="kommentare", form_id=None,
                    secret=TOKEN, per_page=100, include_spam=True, can_delete=False),
    FormspreeSettings(api_base="https://api.example", form_id="f1", secret=TOKEN, limit=100, since=None),
    JsonSettings(url="https://api.example/subs", secret=TOKEN, items=None, id_field="id",
                 date_field="created_at", next_field="next", fields={"name": "name"}),
], ids=["netlify", "formspree", "json"])
def test_settings_keep_the_token_out_of_their_repr(settings: object) -> None:
    assert settings.secret == TOKEN  # type: ignore[attr-defined]
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
