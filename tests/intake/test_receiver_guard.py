"""The receiver's guard, unit by unit: whose address counts, which pages may post, the rate limit.

Written for the mutation check (bench/mutation.py): each test pins a behaviour a changed line broke
without any other test noticing.
"""

from __future__ import annotations

import pytest

from intake.receiver import guard
from intake.receiver.guard import RateLimit, client_address, client_key, same_site

PROXIES = frozenset({"10.0.0.2", "10.0.0.3"})
SITE = frozenset({"https://zukunft.example.de"})


@pytest.mark.parametrize("environ,expected", [
    ({"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "203.0.113.9"),  # not our proxy
    ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "198.51.100.1"),
    ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1,10.0.0.3"}, "198.51.100.1"),  # two of ours
    ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.1"}, "198.51.100.1"),  # a forged first hop
    ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "10.0.0.3, 10.0.0.2"}, "10.0.0.3"),  # only ours: the first
    ({"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),  # our proxy, no header
    ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": " , "}, "10.0.0.2"),
    ({"REMOTE_ADDR": "::ffff:10.0.0.2", "HTTP_X_FORWARDED_FOR": "[2001:db8::1]"}, "2001:db8::1"),
    ({}, ""),  # no peer at all (a unix socket)
])
def test_the_visitors_address_is_the_last_hop_our_proxies_did_not_add(environ: dict, expected: str) -> None:
    assert client_address(environ, PROXIES) == expected


@pytest.mark.parametrize("address,expected", [
    ("198.51.100.7", "198.51.100.7"),
    ("::ffff:198.51.100.7", "198.51.100.7"),  # a dual-stack socket's view of an IPv4 visitor
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("[2001:db8:1:2:bbbb::2]", "2001:db8:1:2::/64"),  # one line, one allowance
    ("unix:/run/receiver.sock", "unix:/run/receiver.sock"),
])
def test_the_rate_limit_counts_an_ipv4_address_or_an_ipv6_64(address: str, expected: str) -> None:
    assert client_key(address) == expected


@pytest.mark.parametrize("headers,expected", [
    ({"HTTP_ORIGIN": "https://zukunft.example.de"}, True),
    ({"HTTP_ORIGIN": "HTTPS://Zukunft.Example.DE"}, True),
    ({"HTTP_ORIGIN": "https://evil.example"}, False),
    ({"HTTP_ORIGIN": "https://evil.example", "HTTP_REFERER": "https://zukunft.example.de/themen/x/"}, False),
    ({"HTTP_REFERER": "https://zukunft.example.de/themen/x/"}, True),  # no Origin: the Referer decides
    ({"HTTP_REFERER": "https://evil.example/themen/x/"}, False),
    ({}, True),  # neither: a privacy setting or an old browser, let through
])
def test_a_form_may_come_only_from_our_own_pages(headers: dict, expected: bool) -> None:
    assert same_site(headers, SITE) is expected


def test_the_limit_forgets_a_submission_exactly_when_its_window_ends() -> None:
    now = [100.0]
    limit = RateLimit(1, 60, clock=lambda: now[0])
    assert limit.allow("198.51.100.1")
    now[0] = 159.9
    assert not limit.allow("198.51.100.1")
    now[0] = 160.0  # 60 s after the first: outside "within 60 s"
    assert limit.allow("198.51.100.1")


def test_the_oldest_clients_are_forgotten_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_CLIENTS", 2)
    limit = RateLimit(1, 3600, clock=lambda: 0.0)
    assert limit.allow("198.51.100.1") and limit.allow("198.51.100.2")
    assert not limit.allow("198.51.100.1")  # two clients fit: both still remembered
    assert limit.allow("198.51.100.3")  # a third: the least recently seen (.2) is forgotten
    assert limit.allow("198.51.100.2")
    assert not limit.allow("198.51.100.3")  # the newest is never the one forgotten


def test_an_address_that_is_not_text_cannot_break_the_limit() -> None:
    """A proxy's header may carry bytes that are no UTF-8: counted, not a crash."""
    limit = RateLimit(1, 60, clock=lambda: 0.0)
    assert limit.allow("\udcff")
    assert not limit.allow("\udcff")
