"""Who is posting, from where, and how often: the receiver's checks before it reads a form."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict
from typing import Callable, Mapping

from intake.receiver.settings import ReceiverConfig, origin

MAX_CLIENTS = 100_000  # remembered client hashes; the oldest are forgotten first


def plain(address: str) -> str:
    """An address as one spelling: an IPv4-mapped IPv6 address (a dual-stack socket's view of an IPv4
    peer, `::ffff:127.0.0.1`) as the IPv4 address, IPv6 compressed; anything else as it is."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return address.strip()
    mapped = getattr(ip, "ipv4_mapped", None)
    return str(mapped or ip)


def client_address(environ: Mapping[str, str], trusted: frozenset[str]) -> str:
    """The visitor's address: the socket's peer, or X-Forwarded-For's last untrusted hop behind our proxies."""
    ours = {plain(t) for t in trusted}
    peer = plain(environ.get("REMOTE_ADDR", ""))
    if peer not in ours:
        return peer  # a client could send any X-Forwarded-For: only our own proxies are believed
    hops = [plain(h) for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):  # each proxy appends the address it saw: walk back past our own
        if hop not in ours:
            return hop
    return hops[0] if hops else peer


def client_key(address: str) -> str:
    """What the rate limit counts: an IPv4 address, or an IPv6 address's /64 (one customer's line gets a
    whole /64, so counting single IPv6 addresses would give each visitor 2^64 fresh allowances)."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return address  # not an address (a unix socket, a proxy's odd header): counted as it is
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def same_site(environ: Mapping[str, str], allowed: frozenset[str]) -> bool:
    """The form was sent from our own pages (Origin, else Referer); a request with neither is let through."""
    sent = environ.get("HTTP_ORIGIN", "").strip()
    if sent:
        return sent.lower() in allowed
    referer = environ.get("HTTP_REFERER", "").strip()
    return not referer or origin(referer) in allowed


class RateLimit:
    """At most `count` submissions per client within `seconds`, keyed by a hash of the address.

    The hash key is made anew at every start and never stored, so the addresses cannot be recovered
    from memory dumps by trying all of them, and nothing about them outlives the process.
    """

    def __init__(self, count: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.count, self.seconds, self.clock = count, seconds, clock
        self._key = secrets.token_bytes(32)
        self._seen: OrderedDict[bytes, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        """Record a submission from address; False when it is over the limit (then nothing is recorded)."""
        if self.count == 0:
            return True  # 0 switches the limit off
        client = hmac.new(self._key, client_key(address).encode("utf-8", "replace"), hashlib.sha256).digest()
        now = self.clock()
        with self._lock:
            times = [t for t in self._seen.pop(client, []) if now - t < self.seconds]
            allowed = len(times) < self.count
            if allowed:
                times.append(now)
            self._seen[client] = times
            while len(self._seen) > MAX_CLIENTS:
                self._seen.popitem(last=False)
        return allowed


def make_limit(config: ReceiverConfig) -> RateLimit:
    """The rate limit the settings ask for."""
    return RateLimit(config.rate_count, config.rate_seconds)
