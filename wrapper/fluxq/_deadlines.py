"""Deadline arithmetic: one wall-clock budget per HTTP exchange, shared by every layer below it.

httpx's timeouts are per read: a server sending one byte a second resets them forever. fluxq sets a
*total* deadline (``time.monotonic()`` seconds) around each exchange — connect, headers and body —
in a context variable; the network backend (`fluxq._network`) shortens every socket operation to the
time left and fails it once none is left, and body readers (`fluxq._bodies`) check it between chunks.
A context variable reaches the socket layer without threading the value through httpx, and follows
each asyncio task on its own.
"""

from __future__ import annotations

import math
import time
from contextvars import ContextVar, Token

_DEADLINE: ContextVar[float | None] = ContextVar("fluxq_deadline", default=None)


class total_deadline:  # lower case: it is used like the function it replaces (`with total_deadline(...)`)
    """Bound everything inside the block to ``seconds`` of wall-clock time (None or inf: no bound).

    A deadline already in force and sooner is kept: nested budgets only ever shrink. A class rather
    than a ``@contextmanager`` generator: it runs around every request, and a generator costs more.
    """

    __slots__ = ("_seconds", "_token")

    def __init__(self, seconds: float | None) -> None:
        """Remember the budget; the clock starts when the block is entered."""
        self._seconds = seconds
        self._token: Token[float | None] | None = None

    def __enter__(self) -> None:
        """Put the deadline in force."""
        seconds = self._seconds
        at = None if seconds is None or math.isinf(seconds) else time.monotonic() + max(seconds, 0.0)
        outer = _DEADLINE.get()
        if outer is not None and (at is None or outer < at):
            at = outer
        self._token = _DEADLINE.set(at)

    def __exit__(self, *exc_info: object) -> None:
        """Restore the deadline in force before the block."""
        if self._token is not None:
            _DEADLINE.reset(self._token)
            self._token = None


def time_left() -> float | None:
    """Return the seconds left before the current deadline (never negative), or None without one."""
    at = _DEADLINE.get()
    return None if at is None else max(0.0, at - time.monotonic())


def bounded(timeout: float | None) -> float | None:
    """Return ``timeout`` shortened to the time left (a socket operation's effective timeout)."""
    left = time_left()
    if left is None:
        return timeout
    return left if timeout is None else min(timeout, left)
