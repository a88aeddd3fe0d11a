"""How much of the intake one sender may take: connections in all and per client address, and
letters per minute per address. Without these, 900 idle connections were all accepted and
held, and one address could open as many parallel letters as it liked.

Pure Python. Used from the event loop's thread only, so it needs no lock. An IPv6 client counts
by its /64 network (one host usually has the whole /64, and would otherwise get 2^64
addresses' worth of connections); an IPv4-mapped IPv6 address counts as the IPv4 one.
"""

from __future__ import annotations

import ipaddress
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

TOO_MANY_CONNECTIONS = "421 4.7.0 Too many connections; please try again later"
TOO_MANY_FROM_ADDRESS = "421 4.7.0 Too many connections from your address; please try again later"
TOO_MANY_LETTERS = "451 4.7.1 Too many messages from your address; please try again later"
_WINDOW = 60.0  # seconds: the rate is letters per minute
# Addresses remembered before the quiet ones are forgotten; the sweep looks at every address, so
# it runs at most once a window, not at each letter while that many are active.
_SWEEP_AT = 4096


@dataclass(frozen=True)
class Limits:
    """0 (or None) turns a limit off."""

    connections: int = 100
    per_address: int = 10
    letters_per_minute: int = 60


def client_key(peer: object) -> str:
    """The address a client is counted by (see the module's docstring)."""
    host = peer[0] if isinstance(peer, tuple) and peer else peer
    try:
        address = ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return str(host or "")
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class Gate:
    """Admits connections and letters, or says which reply refuses them."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self.open = 0
        self.by_address: defaultdict[str, int] = defaultdict(int)
        self.sent: dict[str, deque[float]] = {}
        self.swept = float("-inf")  # when quiet addresses were last forgotten

    def admit(self, key: str) -> str | None:
        """A new connection: None and counted, or the 421 reply to close it with."""
        if self.limits.connections and self.open >= self.limits.connections:
            return TOO_MANY_CONNECTIONS
        if self.limits.per_address and self.by_address[key] >= self.limits.per_address:
            return TOO_MANY_FROM_ADDRESS
        self.open += 1
        self.by_address[key] += 1
        return None

    def release(self, key: str) -> None:
        """An admitted connection closed."""
        self.open -= 1
        self.by_address[key] -= 1
        if self.by_address[key] <= 0:
            del self.by_address[key]

    def letter(self, key: str) -> str | None:
        """A new letter (MAIL FROM): None and counted, or the 451 reply."""
        limit = self.limits.letters_per_minute
        if not limit:
            return None
        now = self.clock()
        times = self.sent.setdefault(key, deque())
        while times and times[0] <= now - _WINDOW:
            times.popleft()
        if len(times) >= limit:
            return TOO_MANY_LETTERS
        times.append(now)
        if len(self.sent) > _SWEEP_AT and now - self.swept >= _WINDOW:
            self._forget_quiet(now)
        return None

    def _forget_quiet(self, now: float) -> None:
        """Addresses with no letter in the window take no memory."""
        self.swept = now
        for key in [key for key, times in self.sent.items() if times[-1] <= now - _WINDOW]:
            del self.sent[key]
