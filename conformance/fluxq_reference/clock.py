"""A manual clock for tests: time moves only when told to.

The provider reads time through ``ProviderConfig.clock`` and sleeps through
``ProviderConfig.sleep``; a :class:`FakeClock` supplies both, so a test can walk a task
through its whole lifecycle without waiting.
"""

from __future__ import annotations


class ClockStalled(RuntimeError):
    """A :class:`FakeClock` was read too many times without time moving: a loop that never sleeps."""


class FakeClock:
    """A monotonic clock that only moves when :meth:`advance` (or :meth:`sleep`) is called.

    On fake time a loop whose exit depends on the clock spins forever if it stops sleeping (a broken
    deadline check, say): nothing else moves time. ``stall_limit`` turns that hang into an immediate,
    named failure.

    Args:
        start: The initial reading, in seconds.
        stall_limit: Raise :class:`ClockStalled` on the reading after this many consecutive readings at
            the same time (``None``: never).

    Example:
        >>> clock = FakeClock()
        >>> clock.advance(2.5)
        >>> clock()
        2.5
    """

    def __init__(self, start: float = 0.0, stall_limit: int | None = None) -> None:
        self._now = float(start)
        self._stall_limit = stall_limit
        self._still_reads = 0

    def __call__(self) -> float:
        """Return the current reading in seconds.

        Raises:
            ClockStalled: When ``stall_limit`` readings in a row saw the same time.
        """
        self._still_reads += 1
        if self._stall_limit is not None and self._still_reads > self._stall_limit:
            raise ClockStalled(
                f"the fake clock was read {self._stall_limit} times at {self._now} s without moving: "
                "a loop that never sleeps (or waits on time that cannot pass)"
            )
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward.

        Args:
            seconds: How far to move, in seconds (0 or more).

        Raises:
            ValueError: If ``seconds`` is negative (a monotonic clock never goes back).
        """
        if seconds < 0:
            raise ValueError(f"a monotonic clock cannot go back ({seconds} s)")
        if seconds > 0:
            self._still_reads = 0
        self._now += seconds

    async def sleep(self, seconds: float) -> None:
        """An async sleep that returns at once after advancing the clock by ``seconds``.

        Raises:
            ValueError: If ``seconds`` is negative.
        """
        self.advance(seconds)
