"""Status events: small frozen values describing where a task is.

The API has exactly three statuses; a failed or canceled task is ``COMPLETED`` with ``error_type``.
`Completed.ok` tells the two kinds of completion apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Queued:
    """The task waits in the queue.

    Attributes:
        request_id: The task's id.
        position: Its queue position (0 is next), when the provider reports one.
    """

    request_id: str
    position: int | None = None


@dataclass(frozen=True, slots=True)
class InProgress:
    """The model is running the task.

    Attributes:
        request_id: The task's id.
        logs: Log entries, when the provider returns them.
    """

    request_id: str
    logs: tuple[Mapping[str, Any], ...] | None = None


@dataclass(frozen=True, slots=True)
class Completed:
    """The task is finished, successfully or not (final; it never changes).

    Attributes:
        request_id: The task's id.
        error_type: Why it ended without outputs (``CONTENT_BLOCKED``, ``CANCELED``, ...), or None on success.
        error: The server's message for a failure, or None.
        inference_time: Seconds the model ran, when reported.
    """

    request_id: str
    error_type: str | None = None
    error: str | None = None
    inference_time: float | None = None

    @property
    def ok(self) -> bool:
        """True when the task finished successfully (no error reported)."""
        return self.error_type is None and self.error is None


StatusEvent = Queued | InProgress | Completed
"""Any of the three status events."""


EventHandler = Callable[[StatusEvent], object]
"""Called with each new status event (the async client also awaits a coroutine function's result)."""
