"""Sign-in throttling: failures counted per username and per client address in a sliding window, and a bound
on password hashes computed at once (argon2 takes 64 MB each). In memory, per process."""

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from app.errors import TooManyRequests

log = logging.getLogger("xuncha.signin")
MAX_KEYS = 100_000  # past this, keys whose failures have all aged out are forgotten


@dataclass
class _Failures:
    times: deque[float] = field(default_factory=deque)
    logged_until: float = 0.0  # the end of the block already logged, so a burst is logged once


class SignInThrottle:
    """Refuses a sign-in (TooManyRequests, with the seconds to wait) while its username or its address has
    failed too often in the last `window_s` seconds."""

    def __init__(self, window_s: float, max_per_user: int, max_per_address: int):
        self.window_s = window_s
        self.limits = {"username": max_per_user, "address": max_per_address}
        self._failures: dict[tuple[str, str], _Failures] = {}
        self._lock = threading.RLock()

    def _recent(self, key: tuple[str, str], now: float) -> _Failures:
        found = self._failures.get(key)
        if found is None:
            return _Failures()
        while found.times and found.times[0] <= now - self.window_s:
            found.times.popleft()
        return found

    def check(self, username: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for kind, value in (("username", username.lower()), ("address", address)):
                failures = self._recent((kind, value), now)
                if len(failures.times) >= self.limits[kind]:
                    wait = failures.times[0] + self.window_s - now
                    if failures.logged_until < now:
                        failures.logged_until = now + wait
                        log.warning(
                            "sign-in refused: %d failures for %s %r in %g s; refused for %.0f s",
                            len(failures.times),
                            kind,
                            value,
                            self.window_s,
                            wait,
                        )
                    raise TooManyRequests(
                        f"too many failed sign-ins for this {kind}; try again in {wait:.0f} s",
                        retry_after=max(1, round(wait + 0.5)),
                    )

    def failed(self, username: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._failures = {k: f for k, f in self._failures.items() if self._recent(k, now).times}
            for key in (("username", username.lower()), ("address", address)):
                self._failures.setdefault(key, _Failures()).times.append(now)

    def begin(self, username: str, address: str, now: float | None = None) -> float:
        """check(), then count this attempt as a failure at once (so a burst sent all together is counted
        while its hashes are still running); succeeded() takes it back. Returns the attempt's time."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self.check(username, address, now)
            self.failed(username, address, now)
        return now

    def succeeded(self, username: str, address: str | None = None, at: float | None = None) -> None:
        with self._lock:
            self._failures.pop(("username", username.lower()), None)
            found = self._failures.get(("address", address)) if address is not None else None
            if found is not None and at in found.times:
                found.times.remove(at)
