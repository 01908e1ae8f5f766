"""The ``documented`` cassette set: the providers' documented examples, transcribed as vcrpy cassettes.

Submit replies are the model pages' examples (identical in the spec's ``Submitted*`` examples);
status, result, cancel and error replies are the spec's examples. Each story is one cassette, so the
replay judges it like a recording: ``scripts/record`` rewrites the set from the spec.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from fluxq_conformance.checks.auth import UNKNOWN_ID
from fluxq_conformance.core.exchange import KEY_PLACEHOLDER
from fluxq_conformance.core.spec import Kind, documented_body, load_spec, models, operation_for

BASE_URL = "https://odirouter.ai/model"
AUTH = {"Authorization": [f"Bearer {KEY_PLACEHOLDER}"], "Content-Type": ["application/json"]}


def _example(name: str) -> Any:
    return load_spec()["components"]["examples"][name]["value"]


def _interaction(
    method: str, url: str, status: int, body: Any, *, request: Any = None, auth: bool = True
) -> Any:
    headers = AUTH if auth else {"Content-Type": ["application/json"]}
    return {
        "request": {
            "method": method,
            "uri": url,
            "body": json.dumps(request) if request is not None else None,
            "headers": headers
            if request is not None
            else {k: v for k, v in headers.items() if k != "Content-Type"},
        },
        "response": {
            "status": {"code": status, "message": ""},
            "headers": {"content-type": ["application/json"]},
            "body": {"string": json.dumps(body)},
        },
    }


def _submit(model: str) -> tuple[Any, str]:
    reply = _example(
        {"flux_kontext_pro": "SubmittedFluxKontextPro", "flux_pro_11": "SubmittedFluxPro11"}.get(
            model, "SubmittedFlux2Pro"
        )
    )
    url = operation_for(model, Kind.SUBMIT).url(BASE_URL)
    return _interaction("POST", url, 200, reply, request=documented_body(model)), reply["request_id"]


def _call(model: str, kind: Kind, request_id: str, status: int, body: Any, *, auth: bool = True) -> Any:
    operation = operation_for(model, kind)
    return _interaction(operation.method, operation.url(BASE_URL, request_id), status, body, auth=auth)


def success_story(model: str) -> list[Any]:
    """Submit, IN_QUEUE, IN_PROGRESS, COMPLETED with the result, then a refused late cancel."""
    submit, rid = _submit(model)
    return [
        submit,
        _call(model, Kind.STATUS, rid, 200, _example("StatusInQueue")),
        _call(model, Kind.RESULT, rid, 202, _example("StatusInQueue")),
        _call(model, Kind.STATUS, rid, 200, _example("StatusInProgress")),
        _call(model, Kind.RESULT, rid, 202, _example("StatusInProgress")),
        _call(model, Kind.STATUS, rid, 200, _example("StatusCompleted")),
        _call(model, Kind.RESULT, rid, 200, _example("Result")),
        _call(model, Kind.STATUS, rid, 200, _example("StatusCompleted")),
        _call(model, Kind.CANCEL, rid, 400, {"status": "ALREADY_COMPLETED"}),
    ]


def failure_story(model: str) -> list[Any]:
    """A task that fails: COMPLETED + INFERENCE_FAILURE, and a 5xx result."""
    submit, rid = _submit(model)
    return [
        submit,
        _call(model, Kind.STATUS, rid, 200, _example("StatusInProgress")),
        _call(model, Kind.STATUS, rid, 200, _example("StatusFailed")),
        _call(model, Kind.RESULT, rid, 500, _example("ErrorInternal")),
    ]


def cancel_story(model: str) -> list[Any]:
    """A task cancelled while queued: 202, COMPLETED + CANCELED, an error result, a refused re-cancel."""
    submit, rid = _submit(model)
    return [
        submit,
        _call(model, Kind.CANCEL, rid, 202, {"status": "CANCELLATION_REQUESTED"}),
        _call(model, Kind.STATUS, rid, 200, _example("StatusCanceled")),
        _call(model, Kind.RESULT, rid, 400, _example("ErrorCanceled")),
        _call(model, Kind.CANCEL, rid, 400, {"status": "ALREADY_COMPLETED"}),
    ]


def error_story(model: str) -> list[Any]:
    """Unknown ids (404 on status, result, cancel), missing credentials (401), webhooks refused (400)."""
    submit_url = operation_for(model, Kind.SUBMIT).url(BASE_URL)
    webhook = {**documented_body(model), "webhook_url": "https://example.com/hook"}
    return [
        _call(model, Kind.STATUS, UNKNOWN_ID, 404, _example("ErrorRequestNotFound")),
        _call(model, Kind.RESULT, UNKNOWN_ID, 404, _example("ErrorRequestNotFound")),
        _call(model, Kind.CANCEL, UNKNOWN_ID, 404, {"status": "NOT_FOUND"}),
        _call(model, Kind.STATUS, UNKNOWN_ID, 401, _example("ErrorUnauthorized"), auth=False),
        _interaction("POST", submit_url, 400, _example("ErrorWebhook"), request=webhook),
    ]


def documented_cassettes() -> dict[str, dict[str, Any]]:
    """Every story, by file name."""
    stories: dict[str, list[Any]] = {}
    for model in models():
        stories[f"{model}-success.yaml"] = success_story(model)
    first = models()[0]
    stories[f"{first}-failure.yaml"] = failure_story(first)
    stories[f"{first}-cancel.yaml"] = cancel_story(first)
    stories[f"{first}-errors.yaml"] = error_story(first)
    return {name: {"interactions": items, "version": 1} for name, items in stories.items()}


def write_documented(directory: Path) -> list[Path]:
    """Write the documented set under ``directory`` (replacing its ``*.yaml``).

    Raises:
        OSError: If the directory cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.yaml"):
        old.unlink()
    written = []
    for name, cassette in documented_cassettes().items():
        path = directory / name
        path.write_text(yaml.safe_dump(cassette, sort_keys=False, allow_unicode=True), encoding="utf-8")
        written.append(path)
    return written
