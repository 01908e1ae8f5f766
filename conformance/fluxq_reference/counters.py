"""What the provider has seen: requests per operation and model, tasks, cancels, faults.

Tests and benchmarks read these to prove properties a client promises, such as "no duplicate
submit" (``tasks_created``) or "no request was sent" (``total_requests()``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Operation = Literal["submit", "status", "result", "cancel", "download", "create", "poll"]
"""The queue format's four operations, downloads, and the generation format's create and poll."""


@dataclass
class Counters:
    """Mutable counters of one provider instance.

    Attributes:
        requests: Requests received, keyed by ``(operation, model)``; every request that reached
            an operation's route counts, whatever its answer (401, 422, fault, ...). Downloads
            are counted under the task's model.
        tasks_created: Tasks accepted by submit.
        cancels_accepted: Cancels answered 202.
        faults: Injected faults by kind (``rate_limit``, ``server_error``, ...).
    """

    requests: Counter[tuple[str, str]] = field(default_factory=Counter)
    tasks_created: int = 0
    cancels_accepted: int = 0
    faults: Counter[str] = field(default_factory=Counter)

    def count(self, operation: Operation, model: str | None = None) -> int:
        """Requests received for ``operation``, for one model or (``model=None``) all of them."""
        if model is not None:
            return self.requests[(operation, model)]
        return sum(n for (op, _), n in self.requests.items() if op == operation)

    def total_requests(self) -> int:
        """All requests received, downloads included."""
        return sum(self.requests.values())

    def reset(self) -> None:
        """Set every counter back to zero (tasks themselves are kept)."""
        self.requests.clear()
        self.faults.clear()
        self.tasks_created = 0
        self.cancels_accepted = 0
