"""Which failures are retried, and after how long: pure functions that never re-bill.

Rules (``attempt`` counts retries already made; at most ``max_retries`` are made):

- submit (POST, creates a billed task): 429, and connection failures *before* the request was sent
  (connect error, connect timeout, pool timeout, proxy error);
- status and result (GET): every transient transport failure, 429, 5xx;
- cancel (PUT, idempotent in effect): like a GET.

After an ambiguous submit failure (read/write timeout, broken connection, protocol error, 5xx) the task
may exist, so the submit is never re-sent (`SubmitOutcomeUnknown`). Delays use full jitter
(uniform in ``[0, min(cap, base × 2^attempt)]``); a ``Retry-After`` is honoured up to ``retry_after_cap``.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

import httpx

from ._arguments import check_count
from ._exceptions import ValidationError


class Operation(enum.Enum):
    """The four queue operations."""

    SUBMIT = "submit"
    STATUS = "status"
    RESULT = "result"
    CANCEL = "cancel"


class FailureKind(enum.Enum):
    """How far a failed request got (the members' values mean nothing)."""

    NOT_SENT = enum.auto()
    """The connection was never established: the server cannot have seen the request."""
    AMBIGUOUS = enum.auto()
    """The request may have reached the server (read/write timeout, broken connection, protocol error)."""
    FATAL = enum.auto()
    """A local mistake (bad URL, unsupported protocol): retrying cannot help."""


_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
)
_AMBIGUOUS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def classify_failure(exc: httpx.TransportError) -> FailureKind:
    """Return how far the request behind a transport exception got."""
    if isinstance(exc, _NOT_SENT):
        return FailureKind.NOT_SENT
    if isinstance(exc, _AMBIGUOUS):
        return FailureKind.AMBIGUOUS
    return FailureKind.FATAL


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry parameters (durations in seconds).

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        base: First backoff ceiling; doubles with each retry.
        cap: Largest backoff ceiling.
        retry_after_cap: Largest ``Retry-After`` honoured; longer hints are cut to it.
    """

    max_retries: int = 2
    base: float = 0.5
    cap: float = 8.0
    retry_after_cap: float = 60.0

    def __post_init__(self) -> None:
        """Check the parameters.

        Raises:
            ValidationError: (a ``ValueError``) If ``max_retries`` is not an integer of 0 or more, or a
                duration is negative or NaN.
        """
        check_count("max_retries", self.max_retries)
        for name in ("base", "cap", "retry_after_cap"):
            value = getattr(self, name)
            if not value >= 0:  # also refuses NaN
                raise ValidationError([f"{name}: must be 0 or more seconds (got {value!r})"], name)


def retryable_status(operation: Operation, status_code: int) -> bool:
    """Return True when an HTTP status is worth retrying for this operation (ignoring attempt counts)."""
    if status_code == 429:
        return True
    return operation is not Operation.SUBMIT and status_code >= 500


def retryable_failure(operation: Operation, kind: FailureKind) -> bool:
    """Return True when a transport failure is worth retrying for this operation (ignoring attempt counts)."""
    if kind is FailureKind.FATAL:
        return False
    return kind is FailureKind.NOT_SENT or operation is not Operation.SUBMIT


def retry_delay(
    policy: RetryPolicy, attempt: int, rng: random.Random, retry_after: float | None = None
) -> float:
    """Return the wait before retry number ``attempt`` (0-based).

    Args:
        policy: Retry parameters.
        attempt: Retries made so far.
        rng: Source of jitter.
        retry_after: The server's ``Retry-After`` in seconds, when present; honoured up to the cap.
    """
    if retry_after is not None:
        return min(retry_after, policy.retry_after_cap)
    ceiling = min(policy.cap, policy.base * 2.0**attempt)
    return rng.uniform(0.0, ceiling)
