"""A task's trace: its submit and every later exchange about it, in order.

Traces come from live runs (:mod:`fluxq_conformance.run.driver`) and from recordings
(:mod:`fluxq_conformance.cassettes.replay`); the pure judges in :mod:`fluxq_conformance.checks.lifecycle`
read nothing else.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fluxq_conformance.core.exchange import Exchange
from fluxq_conformance.core.spec import Kind

STATUS_RANK = {"IN_QUEUE": 0, "IN_PROGRESS": 1, "COMPLETED": 2}


@dataclass(frozen=True)
class Step:
    """One exchange after submit, tagged with the operation it addressed."""

    kind: Kind
    exchange: Exchange

    @property
    def reported_status(self) -> str | None:
        """The task status this step reports, or ``None`` when it reports none.

        A 2xx status reply and a 202 result carry ``status``; a 200 result implies ``COMPLETED``.
        """
        code = self.exchange.status_code
        if code is None:
            return None
        body = self.exchange.json_object()
        if self.kind is Kind.STATUS and 200 <= code < 300:
            status = body.get("status")
            return status if isinstance(status, str) else None
        if self.kind is Kind.RESULT and code == 202:
            status = body.get("status")
            return status if isinstance(status, str) else None
        if self.kind is Kind.RESULT and code == 200:
            return "COMPLETED"
        return None


@dataclass
class TaskTrace:
    """What one task looked like from outside.

    Attributes:
        model: The model id.
        scenario: What the task was for (``success``, ``cancel``, ``failure.INFERENCE_FAILURE``...).
        body: The submitted parameters.
        submit: The submit exchange.
        steps: Every later exchange about the task, in the order sent.
        deadline: Seconds the task was given to finish.
        transient: The 429/503 answers the driver waited out and asked again after (not steps:
            they say nothing about the task).
        base_url: The base URL the task was submitted to (``None`` on recordings).
        stopped: Why polling stopped before COMPLETED other than the deadline (``None``: it did not).
    """

    model: str
    scenario: str
    body: dict[str, Any]
    submit: Exchange
    steps: list[Step] = field(default_factory=list)
    deadline: float | None = None
    transient: list[Exchange] = field(default_factory=list)
    base_url: str | None = None
    stopped: str | None = None

    @property
    def request_id(self) -> str | None:
        """The id submit returned, or ``None`` when submit failed."""
        value = self.submit.json_object().get("request_id")
        return value if isinstance(value, str) and value else None

    @property
    def accepted(self) -> bool:
        """Whether submit answered 2xx with a request id."""
        code = self.submit.status_code
        return code is not None and 200 <= code < 300 and self.request_id is not None

    def submitted_url(self, name: str) -> str | None:
        """One of the URLs submit returned (``status_url``, ``response_url``, ``cancel_url``)."""
        value = self.submit.json_object().get(name)
        return value if isinstance(value, str) and value else None

    def first_completed_index(self) -> int | None:
        """Index of the first step that reports ``COMPLETED``, or ``None``."""
        for index, step in enumerate(self.steps):
            if step.reported_status == "COMPLETED":
                return index
        return None

    def completed_at(self) -> float | None:
        """When the first ``COMPLETED`` report was requested, on the run clock."""
        index = self.first_completed_index()
        return None if index is None else self.steps[index].exchange.at

    def final_status_body(self) -> dict[str, Any] | None:
        """The last status-reply body that says ``COMPLETED``."""
        for step in reversed(self.steps):
            if step.kind is Kind.STATUS and step.reported_status == "COMPLETED":
                return step.exchange.json_object()
        return None

    def first_status_body(self, status: str) -> dict[str, Any] | None:
        """The first status-reply body that says ``status``."""
        for step in self.steps:
            if step.kind is Kind.STATUS and step.reported_status == status:
                return step.exchange.json_object()
        return None

    def steps_of(self, kind: Kind) -> list[tuple[int, Step]]:
        """The steps of one kind, with their indexes."""
        return [(index, step) for index, step in enumerate(self.steps) if step.kind is kind]


def outcome_of(status_body: dict[str, Any]) -> str:
    """Summarise a COMPLETED status body: ``success`` or ``error:<error_type>``."""
    if "error" in status_body or "error_type" in status_body:
        return f"error:{status_body.get('error_type')}"
    return "success"


#: Statuses that mean "slow down and ask again" on any operation (contract §6 rev. 2), never a verdict.
TRANSIENT_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` value asks to wait: delta-seconds or an HTTP date (RFC 9110).

    Args:
        value: The header value, or ``None``.
        now: The current wall time (``time.time()`` when ``None``), for HTTP dates.

    Returns:
        Seconds (≥ 0), or ``None`` when the header is absent or unparseable.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def same_origin_and_base(url: str, base_url: str) -> bool:
    """Whether ``url`` is on the base URL's origin (scheme, host, port) and under its path."""
    try:
        given, base = urlsplit(url), urlsplit(base_url)
        given_port, base_port = given.port, base.port
    except ValueError:
        return False
    if (given.scheme, given.hostname, given_port) != (base.scheme, base.hostname, base_port):
        return False
    prefix = base.path.rstrip("/") + "/"
    return given.path.startswith(prefix)


def is_error_body(body: Any) -> bool:
    """Whether a JSON value has one of the two documented error shapes.

    ``detail`` may be a string or FastAPI's list of ``{loc, msg, type}`` items (contract §6 rev. 2).
    """
    if not isinstance(body, dict):
        return False
    gateway = body.get("error")
    if isinstance(gateway, dict) and isinstance(gateway.get("code"), str):
        return isinstance(gateway.get("message"), str)
    detail = body.get("detail")
    if isinstance(detail, list):
        return all(isinstance(item, dict) and "msg" in item for item in detail)
    return isinstance(detail, str)


def is_failed_result(body: Any) -> bool:
    """Whether a 200 result body is the failed-task shape ``{status: COMPLETED, error, error_type}``.

    The official SeaCloud SDK reads exactly this shape (contract §6 rev. 2, evidence); it never has
    ``outputs``.
    """
    return (
        isinstance(body, dict)
        and body.get("status") == "COMPLETED"
        and isinstance(body.get("error"), str)
        and isinstance(body.get("error_type"), str)
        and "outputs" not in body
    )
