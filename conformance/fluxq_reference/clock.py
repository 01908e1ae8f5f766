"""A manual clock for tests: time moves only when told to.

The provider reads time through ``ProviderConfig.clock`` and sleeps through
``ProviderConfig.sleep``; a :class:`FakeClock` supplies both, so a test can walk a task
through its whole lifecycle without waiting.
"""

from __future__ import annotations


class FakeClock:
    """A monotonic clock that only moves when :meth:`advance` (or :meth:`sleep`) is called.

    Args:
        start: The initial reading, in seconds.

    Example:
        >>> clock = FakeClock()
        >>> clock.advance(2.5)
        >>> clock()
        2.5
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def __call__(self) -> float:
        """Return the current reading in seconds."""
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
        self._now += seconds

    async def sleep(self, seconds: float) -> None:
        """An async sleep that returns at once after advancing the clock by ``seconds``.

        Raises:
            ValueError: If ``seconds`` is negative.
        """
        self.advance(seconds)
