"""Form backends behind one small interface: pages of submissions, and delete where possible.

The shared parts live in `intake.sources.base`, so a backend never imports this registry back.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from intake.config import IntakeConfig, check_keys
from intake.http import Fetcher
from intake.sources import formspree, jsonapi, netlify, receiver
from intake.sources.base import Source, Submission, stable_key

__all__ = ["Source", "Submission", "make", "stable_key"]

BACKENDS = {"netlify": netlify, "formspree": formspree, "json": jsonapi, "receiver": receiver}


def make(config: IntakeConfig, fetcher: Fetcher, env: Mapping[str, str], now: dt.datetime) -> Source:
    """The configured source, its settings validated."""
    module = BACKENDS[config.source]
    check_keys(config.source_settings, module.SETTINGS, f"intake.{config.source}")
    return module.build(config.source_settings, fetcher, env, now)
