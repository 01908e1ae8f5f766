"""Pure helpers of the CLI: parameter parsing, exit codes, JSON shapes, progress text.

Nothing here imports typer, rich, httpx or pydantic, so ``fluxq --help`` stays fast.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._generated_models import MODEL_IDS
from ._terminal import inert

if TYPE_CHECKING:
    from ._status import StatusEvent

EXIT_OK = 0
EXIT_TASK_FAILED = 1
EXIT_USAGE = 2
EXIT_API = 3
EXIT_TIMEOUT = 4
EXIT_INTERRUPTED = 130

SERVE_HINT = (
    "To try fluxq locally, start the reference provider in another terminal:\n"
    "    fluxq serve --fast\n"
    "then point the CLI at it:\n"
    f"    fluxq generate {MODEL_IDS[0]} 'a red apple' \\\n"
    "        --base-url http://127.0.0.1:8765/model --api-key fluxq-demo-key\n"
    "(or export FLUXQ_BASE_URL and FLUXQ_API_KEY)."
)
CONFORMANCE_EXTRA_HINT = "this command needs the conformance extra: pip install 'fluxq[conformance]'"


class UsageProblem(ValueError):
    """A command-line argument that cannot be used (exit code 2)."""


def parse_param(text: str) -> tuple[str, Any]:
    """Return ``(name, value)`` from ``name=value``; JSON scalars are typed (``42``, ``true``), else a string.

    Raises:
        UsageProblem: Without ``=`` or with an empty name.
    """
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise UsageProblem(f"--param expects name=value (got {text!r})")
    try:
        value = json.loads(raw)
    except ValueError:
        return name.strip(), raw
    if isinstance(value, dict | list):
        return name.strip(), raw
    return name.strip(), value


def parse_rate(text: str) -> float:
    """Parse ``--rate``: ``R/s``, ``R/min`` or a bare number (per second); must be positive.

    Raises:
        UsageProblem: For anything else.
    """
    number, _, unit = text.strip().partition("/")
    per = {"": 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}.get(unit.strip().lower())
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if per is None or not value > 0 or value == float("inf"):
        raise UsageProblem(
            f"--rate expects a positive number of submits per second, as R/s or R/min (got {text!r})"
        )
    return value / per


def assign_images(paths: Sequence[str], image_fields: Sequence[str]) -> dict[str, Any]:
    """Map ``--image`` values to a model's image fields, in order (URLs stay strings, others are paths).

    Raises:
        UsageProblem: More images than the model has fields.
    """
    if len(paths) > len(image_fields):
        raise UsageProblem(f"this model takes at most {len(image_fields)} image(s) (got {len(paths)})")
    assigned: dict[str, Any] = {}
    for field, value in zip(image_fields, paths, strict=False):
        assigned[field] = value if value.lower().startswith(("http://", "https://")) else Path(value)
    return assigned


def check_timeout(option: str, value: float) -> float:
    """Return ``--timeout`` after checking it is a positive number of seconds (``inf``: no limit).

    Raises:
        UsageProblem: NaN, zero or negative.
    """
    if math.isnan(value) or value <= 0:
        raise UsageProblem(f"{option} must be a positive number of seconds (got {value!r})")
    return value


def check_output_dir(option: str, directory: Path) -> Path:
    """Make sure ``directory`` exists and a file can be created in it, before anything is submitted.

    A probe file is created and removed: permission bits alone say nothing when running as root, on
    read-only mounts or with ACLs.

    Raises:
        UsageProblem: The directory cannot be created or written.
    """
    import tempfile  # imported late: kept out of `fluxq --help`

    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".fluxq-probe-", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageProblem(f"{option} {str(directory)!r}: cannot write there ({reason})") from None
    return directory


def exit_code_for(error: BaseException) -> int:
    """Return the documented exit code for an exception raised by a command."""
    from ._exceptions import (  # imported late: kept out of `fluxq --help`
        FluxqError,
        TaskFailed,
        ValidationError,
        WaitTimeout,
    )

    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, ValidationError | UsageProblem):
        return EXIT_USAGE
    if isinstance(error, TaskFailed):
        return EXIT_TASK_FAILED
    if isinstance(error, WaitTimeout):
        return EXIT_TIMEOUT
    if isinstance(error, FluxqError):
        return EXIT_API
    if isinstance(error, OSError):  # after WaitTimeout: a TimeoutError is an OSError; e.g. --out not writable
        return EXIT_USAGE
    raise error


def error_lines(error: BaseException, code: int) -> list[str]:
    """Return the lines the CLI prints on stderr for a failed command (server text made inert)."""
    message = "interrupted" if code == EXIT_INTERRUPTED else str(error)
    lines = [f"fluxq: {type(error).__name__}: {inert(message)}"]
    request_id = getattr(error, "request_id", None)
    if isinstance(request_id, str) and request_id not in message:
        lines.append(f"fluxq: request id: {inert(request_id)}")
    lines += [f"fluxq: {inert(note)}" for note in getattr(error, "__notes__", [])]
    return lines


def error_dict(error: BaseException, code: int) -> dict[str, Any]:
    """Return the JSON object ``--json`` prints when a command fails."""
    message = "interrupted" if code == EXIT_INTERRUPTED else str(error)
    shape: dict[str, Any] = {"error": type(error).__name__, "message": message, "exit_code": code}
    for name in ("request_id", "error_type", "status_code"):
        value = getattr(error, name, None)
        if value is not None:
            shape[name] = value
    return shape


def event_dict(event: StatusEvent) -> dict[str, Any]:
    """Return a status event as the JSON object the CLI prints."""
    from ._status import Completed, Queued  # imported late: kept out of `fluxq --help`

    if isinstance(event, Queued):
        return {"request_id": event.request_id, "status": "IN_QUEUE", "queue_position": event.position}
    if isinstance(event, Completed):
        shape: dict[str, Any] = {"request_id": event.request_id, "status": "COMPLETED", "ok": event.ok}
        if not event.ok:
            shape |= {"error_type": event.error_type, "error": event.error}
        if event.inference_time is not None:
            shape["inference_time"] = event.inference_time
        return shape
    return {"request_id": event.request_id, "status": "IN_PROGRESS"}


def describe_event(event: StatusEvent) -> str:
    """Return a short human description of a status event (server text made inert)."""
    shape = event_dict(event)
    if shape["status"] == "IN_QUEUE":
        position = shape["queue_position"]
        return "queued" if position is None else f"queued (position {position})"
    if shape["status"] == "IN_PROGRESS":
        return "running"
    return "completed" if shape["ok"] else inert(f"failed ({shape['error_type']}): {shape['error']}")


def dumps(value: Mapping[str, Any]) -> str:
    """Return compact, stable JSON for ``--json`` output."""
    return json.dumps(value, sort_keys=True, default=str)
