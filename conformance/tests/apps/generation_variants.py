"""Variants of the reference provider's generation format, each breaking one rule (and the check that
must catch it). Built with the same buffering middleware as the queue-format variants (:mod:`variants`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from variants import ASGIApp, Call, Mutant, Mutation, Reply

CREATE_PATH = "/model/v1/generation"
TASK_PATH = "/model/v1/generation/task/"


def _is_poll(call: Call) -> bool:
    return call.method == "GET" and TASK_PATH in call.url


def _is_create(call: Call) -> bool:
    return call.method == "POST" and call.url.endswith(CREATE_PATH)


def _task(reply: Reply) -> dict[str, Any] | None:
    body = reply.json()
    return body if reply.status == 200 and isinstance(body, dict) and "status" in body else None


def upper_case_statuses(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Polls answer ``COMPLETED``/``PROCESSING`` (the queue format's spelling) instead of lower case."""
    task = _task(reply)
    if _is_poll(call) and task is not None:
        reply.set_json({**task, "status": str(task["status"]).upper()})


def no_usage(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """A completed task carries no ``usage``."""
    task = _task(reply)
    if _is_poll(call) and task is not None and task["status"] == "completed":
        reply.set_json({key: value for key, value in task.items() if key != "usage"})


def no_output(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """A completed task carries an empty ``output``."""
    task = _task(reply)
    if _is_poll(call) and task is not None and task["status"] == "completed":
        reply.set_json({**task, "output": []})


def failure_without_message(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """A failed task's ``error`` has a code but no message in either spelling."""
    task = _task(reply)
    if _is_poll(call) and task is not None and task["status"] == "failed":
        reply.set_json({**task, "error": {"code": task["error"]["code"]}})


def final_status_undone(call: Call, reply: Reply, memory: dict[str, Any]) -> None:
    """A task read as completed is read as processing again on the next poll."""
    task = _task(reply)
    if not _is_poll(call) or task is None or task["status"] != "completed":
        return
    seen: set[str] = memory.setdefault("completed", set())
    if task["id"] in seen:
        reply.set_json(
            {key: value for key, value in task.items() if key not in ("output", "usage")}
            | {"status": "processing"}
        )
    seen.add(task["id"])


def foreign_ids(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Polls answer a task object with another task's id."""
    task = _task(reply)
    if _is_poll(call) and task is not None:
        reply.set_json({**task, "id": "someone_else"})


def unknown_ids_found(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Polling an id nobody created answers 200 with a pending task."""
    if _is_poll(call) and reply.status == 404:
        reply.set_json({"id": call.url.rsplit("/", 1)[-1], "status": "pending"}, status=200)


def ignores_auth(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Requests without a valid key are answered as if the key were fine (401 becomes 404 / 422)."""
    if reply.status == 401 and (_is_poll(call) or _is_create(call)):
        status = 404 if _is_poll(call) else 422
        reply.set_json(
            {"error": {"code": "X", "message": "not the auth error", "error_message": "x"}}, status=status
        )


def not_images(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Output URLs serve text, not images."""
    if call.method == "GET" and "/model/files/" in call.url and reply.status == 200:
        reply.body = b"this is not an image"
        reply.headers = [(b"content-type", b"text/plain")]


def accepts_invalid(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """A create the document forbids is answered 200 with a task."""
    if _is_create(call) and reply.status == 422:
        reply.set_json({"id": "accepted_anyway", "status": "pending"}, status=200)


def no_task_id(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Create answers the task without its ``id`` (as ``task_id``)."""
    task = _task(reply)
    if _is_create(call) and task is not None:
        reply.set_json({"task_id": task["id"], **{k: v for k, v in task.items() if k != "id"}})


def created_with_201(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Create answers 201, a status the document does not declare."""
    if _is_create(call) and reply.status == 200:
        reply.status = 201


@dataclass(frozen=True)
class GenerationVariant:
    """A wrapped provider and the check that must catch it."""

    name: str
    mutation: Mutation
    caught_by: str
    sections: tuple[str, ...] = ("auth", "lifecycle", "outputs")

    def wrap(self, app: ASGIApp) -> Mutant:
        """Wrap the reference app."""
        return Mutant(app, self.mutation)


BROKEN: tuple[GenerationVariant, ...] = (
    GenerationVariant("upper-case statuses", upper_case_statuses, "lifecycle.generation.statuses"),
    GenerationVariant("no usage on completion", no_usage, "outputs.generation.usage"),
    GenerationVariant("no output on completion", no_output, "outputs.generation.present"),
    GenerationVariant("failure without a message", failure_without_message, "lifecycle.generation.failure"),
    GenerationVariant("a final status undone", final_status_undone, "lifecycle.generation.final"),
    GenerationVariant("polls naming another task", foreign_ids, "lifecycle.generation.identity"),
    GenerationVariant("unknown ids answer 200", unknown_ids_found, "lifecycle.generation.unknown_id"),
    GenerationVariant("ignores auth", ignores_auth, "auth.generation.missing"),
    GenerationVariant("outputs that are not images", not_images, "outputs.generation.image"),
    GenerationVariant("invalid creates accepted", accepts_invalid, "lifecycle.generation.invalid_refused"),
    GenerationVariant("create without an id", no_task_id, "lifecycle.generation.created"),
    GenerationVariant("create answers 201", created_with_201, "schema.generation.replies", ("schema",)),
)


def sdk_error_spelling(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """Errors in seaart-sdk's spelling only: an integer ``code`` and ``error_message`` (no ``message``)."""
    body = reply.json()
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        text = body["error"].get("message") or "failed"
        reply.set_json({**body, "error": {"code": 1001, "error_message": text}})


def numeric_cost_and_extras(call: Call, reply: Reply, _memory: dict[str, Any]) -> None:
    """``usage.cost`` as a number, and fields the document does not name on every task object."""
    task = _task(reply)
    if task is None:
        return
    task = {**task, "created_at": 1764661200, "queue_hint": {"eta_seconds": 3}}
    if isinstance(task.get("usage"), dict):
        task["usage"] = {**task["usage"], "cost": 0.04, "used": 1}
    reply.set_json(task)


#: Providers that differ from the reference in ways the document allows: no finding, not even a warning.
FAITHFUL: tuple[GenerationVariant, ...] = (
    GenerationVariant(
        "errors in the SDK's spelling", sdk_error_spelling, "", ("auth", "lifecycle", "outputs", "schema")
    ),
    GenerationVariant(
        "numeric cost and extra fields", numeric_cost_and_extras, "", ("lifecycle", "outputs", "schema")
    ),
)
