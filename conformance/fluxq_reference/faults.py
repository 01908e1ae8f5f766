"""Request-level fault injection: which fault (if any) hits a request.

Draws come from one generator seeded by ``ProviderConfig.seed``, one draw per API request in
arrival order, so a run is reproducible given the same sequence of requests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from fluxq_reference.config import FaultRates

FaultKind = Literal["rate_limit", "server_error", "slow", "dropped_connection", "malformed_body"]
SERVER_ERROR_STATUSES = (500, 502, 503)
MALFORMED_BODY = b'{"error": {"code": "BAD_GATEWAY", "mess'


@dataclass(frozen=True)
class Fault:
    """A fault to inject.

    Attributes:
        kind: What happens.
        status_code: The HTTP status for faults that answer one (0 otherwise).
    """

    kind: FaultKind
    status_code: int = 0


def choose_fault(rates: FaultRates, draw: float, status_draw: float) -> Fault | None:
    """Map two uniform draws in [0, 1) to a fault, by cumulative probability.

    Args:
        rates: The configured probabilities.
        draw: Chooses the fault kind (or none).
        status_draw: Chooses the status of a ``server_error``.
    """
    cumulative = 0.0
    kinds: tuple[tuple[FaultKind, float], ...] = (
        ("rate_limit", rates.rate_limit),
        ("server_error", rates.server_error),
        ("slow", rates.slow),
        ("dropped_connection", rates.dropped_connection),
        ("malformed_body", rates.malformed_body),
    )
    for kind, rate in kinds:
        cumulative += rate
        if draw < cumulative:
            if kind == "rate_limit":
                return Fault(kind, 429)
            if kind == "server_error":
                index = min(int(status_draw * len(SERVER_ERROR_STATUSES)), len(SERVER_ERROR_STATUSES) - 1)
                return Fault(kind, SERVER_ERROR_STATUSES[index])
            if kind == "malformed_body":
                return Fault(kind, 502)
            return Fault(kind)
    return None


class FaultInjector:
    """Seeded source of faults.

    Args:
        rates: The configured probabilities.
        seed: The provider's seed.
    """

    def __init__(self, rates: FaultRates, seed: int) -> None:
        self._rates = rates
        self._enabled = rates.total() > 0
        self._rng = random.Random(f"faults:{seed}")

    def next_fault(self) -> Fault | None:
        """The fault for the next request (two draws per request when enabled)."""
        if not self._enabled:
            return None
        return choose_fault(self._rates, self._rng.random(), self._rng.random())
