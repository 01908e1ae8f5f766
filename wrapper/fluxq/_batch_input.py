"""A batch's input: one job per JSONL line, read and validated before anything is sent.

A line is a JSON object: ``model`` (a model id), an optional ``id`` (the output name: letters, digits,
``.``, ``_``, ``-``; unique in the file; default ``line-N``) and the model's parameters, exactly as
``client.submit`` takes them::

    {"model": "flux_pro_11", "id": "apple", "prompt": "a red apple", "width": 1024, "height": 768}

Each line is checked with the generated models (``fluxq_models``) like a single submit. A bad line
becomes a `LineProblem` naming its line number and the field and rule it breaks; the other lines run.
Blank lines are skipped (they keep their numbers).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._exceptions import ValidationError
from ._generated_models import MODEL_IDS
from ._params import prepare_body

Check = Callable[[str, Mapping[str, Any]], object]
"""Validates one job's model and parameters (raising `ValidationError`): the client's own submit check."""

_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")
RESERVED_KEYS = ("model", "id")


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One valid job of a batch.

    Attributes:
        line: Its 1-based line number in the input (its key in the journal).
        name: Its output name (the ``id`` field, or ``line-N``).
        model: The model id.
        params: The parameters, as given (validated).
    """

    line: int
    name: str
    model: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A line that cannot run, and why.

    Attributes:
        line: Its 1-based line number.
        message: ``"field: rule (got value)"`` problems, joined by ``; ``.
        text: The line as given (shortened), for the manifest.
        name: The line's ``id`` when it gave a usable one, else ``line-N``.
        model: The line's ``model`` when it gave a string, else ``""``.
    """

    line: int
    message: str
    text: str = ""
    name: str = ""
    model: str = ""

    def __str__(self) -> str:
        """``line N: message``."""
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class BatchInput:
    """A whole input: valid items, bad lines, and a digest that identifies it (for resume).

    Attributes:
        items: The valid jobs, in line order.
        problems: The bad lines, in line order.
        digest: SHA-256 over the lines' canonical JSON; a resumed journal must have the same one.
    """

    items: tuple[BatchItem, ...]
    problems: tuple[LineProblem, ...]
    digest: str


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_job(line: int, job: Any, seen: set[str], check: Check = prepare_body) -> BatchItem | LineProblem:
    """Validate one decoded job (a JSON object) and return it as a `BatchItem`, or why it cannot run.

    Args:
        line: Its 1-based line number.
        job: The decoded line.
        seen: Names already used by earlier lines (updated with this one's).
        check: Validates the model and parameters (default: the queue API's models).
    """
    shown = _shorten(json.dumps(job, sort_keys=True, default=str))
    if not isinstance(job, Mapping):
        return LineProblem(line, f"body: must be a JSON object (got {type(job).__name__})", shown)
    default = f"line-{line}"
    model = job.get("model")
    if not isinstance(model, str) or not model:
        return LineProblem(line, f"model: is required (a model id such as {MODEL_IDS[0]})", shown, default)
    name = job.get("id", default)
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return LineProblem(
            line,
            f"id: must be 1-100 letters, digits, '.', '_' or '-', not starting with '.' (got {name!r})",
            shown,
            default,
            model,
        )
    if name in seen:
        return LineProblem(
            line,
            f"id: must be unique in the input ({name!r} is used by an earlier line)",
            shown,
            default,
            model,
        )
    params = {key: value for key, value in job.items() if key not in RESERVED_KEYS}
    try:
        check(model, params)
    except ValidationError as error:
        return LineProblem(line, str(error), shown, name, model)
    seen.add(name)
    return BatchItem(line, name, model, params)


def _digest_update(digest: Any, line: int, job: Any) -> None:
    digest.update(f"{line}:".encode())
    digest.update(json.dumps(job, sort_keys=True, separators=(",", ":"), default=str).encode())
    digest.update(b"\n")


def read_lines(lines: Iterable[str], check: Check = prepare_body) -> BatchInput:
    """Read JSONL lines (1-based numbers; blank lines skipped but counted).

    Args:
        lines: The input's lines, e.g. an open text file.
        check: Validates each job's model and parameters.
    """
    items: list[BatchItem] = []
    problems: list[LineProblem] = []
    seen: set[str] = set()
    digest = hashlib.sha256()
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            job = json.loads(text)
        except ValueError as error:
            problems.append(LineProblem(number, f"not valid JSON: {error}", _shorten(text)))
            _digest_update(digest, number, text)
            continue
        _digest_update(digest, number, job)
        checked = check_job(number, job, seen, check)
        if isinstance(checked, BatchItem):
            items.append(checked)
        else:
            problems.append(checked)
    return BatchInput(tuple(items), tuple(problems), digest.hexdigest())


def read_jobs(jobs: Iterable[Mapping[str, Any]], check: Check = prepare_body) -> BatchInput:
    """Read jobs given as mappings (the library's ``client.batch([...])``); numbered from 1 like lines."""
    items: list[BatchItem] = []
    problems: list[LineProblem] = []
    seen: set[str] = set()
    digest = hashlib.sha256()
    for number, job in enumerate(jobs, start=1):
        _digest_update(digest, number, job)
        checked = check_job(number, job, seen, check)
        if isinstance(checked, BatchItem):
            items.append(checked)
        else:
            problems.append(checked)
    return BatchInput(tuple(items), tuple(problems), digest.hexdigest())
