"""The receiver's rate limit as configured: the gaps the mutation run (bench/mutation.py) left in
intake/receiver/guard.py after test_receiver_guard.py."""

from __future__ import annotations

from pathlib import Path

from intake.config import Limits
from intake.receiver.guard import RateLimit, make_limit
from intake.receiver.settings import ReceiverConfig


def config(count: int, seconds: float) -> ReceiverConfig:
    return ReceiverConfig(url=None, database=Path("db"), token_env="T", base_url="https://a.example",
                          allowed_origins=frozenset(), trusted_proxies=frozenset(), max_body=1000, rate_count=count,
                          rate_seconds=seconds, per_page=10, delete_after_pull=True, limits=Limits())


def test_the_limit_is_the_configured_count_within_the_configured_seconds() -> None:
    limit = make_limit(config(2, 30))
    assert (limit.count, limit.seconds) == (2, 30)
    assert [limit.allow("203.0.113.5") for _ in range(3)] == [True, True, False]


def test_a_count_of_0_switches_the_limit_off() -> None:
    limit = RateLimit(0, 60, clock=lambda: 0.0)
    assert all(limit.allow("203.0.113.5") for _ in range(100))
