"""Which backend a config makes, with its settings checked: the gaps the mutation run (bench/mutation.py)
found in intake/sources/__init__.py."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import httpx
import pytest

from intake import sources
from intake.config import load as load_config
from intake.errors import ConfigError
from intake.http import Fetcher
from intake.sources import formspree, jsonapi, netlify, receiver
from intake_support import intake_section, make_site

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone.utc)
ENV = {"NETLIFY_AUTH_TOKEN": "t", "FORMSPREE_API_KEY": "t", "INTAKE_RECEIVER_TOKEN": "t"}
SETTINGS = {"netlify": {"site_id": "s1"}, "formspree": {"form_id": "f1"}, "json": {"url": "https://j.example/s"},
            "receiver": {"url": "https://r.example"}}
KINDS = {"netlify": netlify.Netlify, "formspree": formspree.Formspree, "json": jsonapi.JsonEndpoint,
         "receiver": receiver.Receiver}


def make(tmp_path: Path, source: str, settings: dict) -> object:
    root = make_site(tmp_path / "site", intake_section(source=source, **{source: settings}))
    config = load_config(root)
    fetcher = Fetcher(httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))), config.http,
                      rng=random.Random(1))
    return sources.make(config, fetcher, ENV, NOW)


@pytest.mark.parametrize("source", list(KINDS))
def test_each_source_name_makes_its_backend_with_its_settings(tmp_path: Path, source: str) -> None:
    made = make(tmp_path, source, SETTINGS[source])
    assert isinstance(made, KINDS[source]) and made.now == NOW  # type: ignore[attr-defined]
    assert isinstance(made.fetcher, Fetcher)  # type: ignore[attr-defined]


def test_the_netlify_settings_reach_the_backend(tmp_path: Path) -> None:
    made = make(tmp_path, "netlify", {"site_id": "s9", "per_page": 7})
    assert (made.site_id, made.per_page) == ("s9", 7)  # type: ignore[attr-defined]


def test_an_unknown_setting_of_the_source_is_named_with_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^intake.formspree.farbe: unknown setting \(allowed: api_base, form_id, "
                                          r"token_env, limit, since\)$"):
        make(tmp_path, "formspree", {"form_id": "f1", "farbe": "rot"})
