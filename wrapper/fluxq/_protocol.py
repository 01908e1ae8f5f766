"""The API format as a small seam: pure functions the shared flows (`fluxq._flow`) call.

fluxq speaks two formats of the same models (contract §2 and §7):

- ``queue`` (SeaCloud, OdiRouter): ``POST /v1/queue/{model}`` with the parameters as the body, then
  the status / response / cancel URLs submit returned;
- ``generation`` (seed 003, ``seaart-sdk``'s family): ``POST /v1/generation`` with ``model`` next to
  the parameters, then ``GET /v1/generation/task/{id}``; no cancel.

A `WireProtocol` says, for one format, where a submit goes, how its reply becomes a `TaskRef`, where a
rebuilt handle lives, how one poll's reply becomes `Pending` / `Failure` / `Succeeded`, how a status
reply becomes an event, and which generated models validate the parameters. Retries, deadlines,
polling cadence and the sync/async drivers stay in one place and never branch on the format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import httpx

from . import _generation
from ._exceptions import ValidationError
from ._generation import Succeeded
from ._params import GENERATION_MODELS, MODELS, ModelInfo
from ._responses import Failure, Pending, read_result, read_status, read_submission
from ._status import StatusEvent
from ._task import TaskRef, submit_url, task_ref, task_urls

ProtocolName = Literal["queue", "generation"]
PollOutcome = Pending | Failure | Succeeded
"""What one poll yields, in either format."""


@dataclass(frozen=True, slots=True)
class WireProtocol:
    """One API format's pure functions.

    Attributes:
        name: ``queue`` or ``generation``.
        models: The models it serves, with the generated models that validate their parameters.
        submit_url: ``(base_url, model) -> URL`` of a submit (POST).
        body_fields: ``model -> fields`` the body carries besides the parameters (``model`` here).
        read_submission: ``(response, base_url, model, now) -> TaskRef`` of a submit's reply.
        rebuild: ``(base_url, model, request_id) -> TaskRef`` of a handle rebuilt from an id.
        read_poll: ``(response, request_id) -> PollOutcome`` of one poll of ``TaskRef.response_url``.
        read_status: ``(response, request_id) -> StatusEvent`` of ``TaskRef.status_url``'s reply.
        can_cancel: Whether the format has a cancel operation (``TaskRef.cancel_url``, PUT).
    """

    name: ProtocolName
    models: Mapping[str, ModelInfo]
    submit_url: Callable[[str, str], str]
    body_fields: Callable[[str], dict[str, str]]
    read_submission: Callable[[httpx.Response, str, str, float], TaskRef]
    rebuild: Callable[[str, str, str], TaskRef]
    read_poll: Callable[[httpx.Response, str], PollOutcome]
    read_status: Callable[[httpx.Response, str], StatusEvent]
    can_cancel: bool


def _queue_submission(response: httpx.Response, base_url: str, model: str, now: float) -> TaskRef:
    return task_ref(base_url, model, read_submission(response), now)


def _queue_rebuild(base_url: str, model: str, request_id: str) -> TaskRef:
    status, result, cancel = task_urls(base_url, model, request_id)
    return TaskRef(model, request_id, status, result, cancel)


def _queue_poll(response: httpx.Response, request_id: str) -> PollOutcome:
    outcome = read_result(response, request_id)
    return outcome if isinstance(outcome, Pending | Failure) else Succeeded(outcome)


def _generation_rebuild(base_url: str, model: str, request_id: str) -> TaskRef:
    url = _generation.task_url(base_url, request_id)
    return TaskRef(model, request_id, url, url, "")


def _generation_submission(response: httpx.Response, base_url: str, model: str, now: float) -> TaskRef:
    task = _generation.read_task(response, None)
    # The poll URL is always built from the base URL: the format returns none, so the key stays home.
    url = _generation.task_url(base_url, task.id)
    return TaskRef(model, task.id, url, url, "", now)


def _generation_status(response: httpx.Response, request_id: str) -> StatusEvent:
    return _generation.task_event(_generation.read_task(response, request_id))


QUEUE = WireProtocol(
    name="queue",
    models=MODELS,
    submit_url=submit_url,
    body_fields=lambda model: {},
    read_submission=_queue_submission,
    rebuild=_queue_rebuild,
    read_poll=_queue_poll,
    read_status=read_status,
    can_cancel=True,
)
"""The queue format (SeaCloud, OdiRouter)."""

GENERATION = WireProtocol(
    name="generation",
    models=GENERATION_MODELS,
    submit_url=lambda base_url, model: _generation.create_url(base_url),
    body_fields=lambda model: {"model": model},
    read_submission=_generation_submission,
    rebuild=_generation_rebuild,
    read_poll=_generation.task_outcome,
    read_status=_generation_status,
    can_cancel=False,
)
"""The generation format (seed 003)."""

PROTOCOLS: Mapping[str, WireProtocol] = {"queue": QUEUE, "generation": GENERATION}
"""Protocol name → its functions."""


def protocol_named(name: str) -> WireProtocol:
    """Return the protocol called ``name``.

    Raises:
        ValidationError: For an unknown name.
    """
    try:
        return PROTOCOLS[name]
    except KeyError:
        known = ", ".join(PROTOCOLS)
        raise ValidationError([f"protocol: must be one of {known} (got {name!r})"], "protocol") from None
