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
    # The library's notes already say "fluxq: ..." for tracebacks; the CLI prefixes every line itself.
    notes = [note.removeprefix("fluxq: ") for note in getattr(error, "__notes__", [])]
    if code == EXIT_INTERRUPTED:
        # Ctrl-C: one line, whatever the library attached (which task, whether a cancel was sent).
        return [f"fluxq: interrupted{': ' if notes else ''}{inert('; '.join(notes))}"]
    message = str(error)
    lines = [f"fluxq: {type(error).__name__}: {inert(message)}"]
    request_id = getattr(error, "request_id", None)
    if isinstance(request_id, str) and request_id not in message:
        lines.append(f"fluxq: request id: {inert(request_id)}")
    lines += [f"fluxq: {inert(note)}" for note in notes]
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
        # The API counts from 0 (tasks ahead); people count from 1.
        return "queued" if position is None else f"queued, {ordinal(position + 1)} in line"
    if shape["status"] == "IN_PROGRESS":
        return "running"
    return "completed" if shape["ok"] else inert(f"failed ({shape['error_type']}): {shape['error']}")


def dumps(value: Mapping[str, Any]) -> str:
    """Return compact, stable JSON for ``--json`` output."""
    return json.dumps(value, sort_keys=True, default=str)


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``..."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0] or url


def _is_loopback(host: str) -> bool:
    name = host.rsplit(":", 1)[0].strip("[]").lower()
    return name in ("localhost", "::1") or name.startswith("127.")


def hint_lines(
    error: BaseException, *, command: str, base_url: str, source: str, model: str | None
) -> list[str]:
    """What usually causes an error, naming the host (lines for stderr, after the error itself).

    Args:
        error: What the command raised.
        command: The CLI command (``generate``, ``status``, ...).
        base_url: The base URL the client used.
        source: Where the base URL came from (see ``fluxq._config.resolve_base_url``).
        model: The model the command addressed, when it names one.
    """
    from ._exceptions import APIConnectionError, APIError, NotFoundError  # late: kept out of --help

    host = _host(base_url)
    hints: list[str] = []
    if isinstance(error, APIConnectionError):
        cause = "is `fluxq serve` running there?" if _is_loopback(host) else "check the URL and the network"
        hints.append(f"fluxq: could not talk to {host}: {cause} (base URL {base_url})")
    elif isinstance(error, NotFoundError):
        if command in ("generate", "batch") and not base_url.rstrip("/").endswith("/model"):
            hints.append(
                f"fluxq: {host} has no such path: does the base URL end in /model? (it is {base_url})"
            )
        elif command in ("status", "result", "cancel"):
            hints.append(
                f"fluxq: {host} does not know this task under {model}: is it the right --model? "
                "(a task id only exists under the model it was submitted to)"
            )
    if source == "default" and isinstance(error, APIConnectionError | APIError):
        hints.append(
            f"fluxq: talking to SeaCloud ({base_url}), the default: neither --base-url, --provider "
            "nor FLUXQ_BASE_URL is set"
        )
    return hints
