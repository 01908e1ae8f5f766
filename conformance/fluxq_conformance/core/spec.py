"""The spec as the checks need it: where it is, its twelve operations, and URL → operation matching.

Everything is derived from ``spec/fluxq.openapi.yaml``: models come from the operations' tags,
operation kinds from the operationId prefixes, URL patterns from the paths.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import fluxq_spec


class Kind(StrEnum):
    """The four queue operations."""

    SUBMIT = "submit"
    STATUS = "status"
    RESULT = "result"
    CANCEL = "cancel"


@dataclass(frozen=True)
class SpecOperation:
    """One operation of the spec.

    Attributes:
        operation_id: e.g. ``status_flux_pro_11``.
        model: The model id (the operation's tag).
        kind: submit, status, result or cancel.
        method: Upper-case HTTP method.
        path: The path template relative to the base URL.
        statuses: The documented response status codes.
    """

    operation_id: str
    model: str
    kind: Kind
    method: str
    path: str
    statuses: frozenset[int]

    @property
    def pattern(self) -> re.Pattern[str]:
        """A regex matching this operation's path at the end of a URL path."""
        escaped = re.escape(self.path).replace(re.escape("{request_id}"), "(?P<request_id>[^/]+)")
        return re.compile(escaped + "$")

    def url(self, base_url: str, request_id: str = "") -> str:
        """Build this operation's URL under ``base_url``."""
        return base_url.rstrip("/") + self.path.replace("{request_id}", request_id)


def load_spec() -> dict[str, Any]:
    """Return a deep copy of the parsed spec (callers may change it freely).

    Raises:
        FileNotFoundError: If the spec file does not exist.
    """
    return fluxq_spec.load_spec()


def _load() -> dict[str, Any]:
    return fluxq_spec.cached_spec()


@functools.cache
def operations() -> tuple[SpecOperation, ...]:
    """Return the spec's operations, in document order.

    Raises:
        FileNotFoundError: If the spec file does not exist.
    """
    found: list[SpecOperation] = []
    for path, item in _load()["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            operation_id: str = operation["operationId"]
            kind = Kind(operation_id.split("_", 1)[0])
            statuses = frozenset(int(code) for code in operation["responses"] if str(code).isdigit())
            found.append(
                SpecOperation(operation_id, operation["tags"][0], kind, method.upper(), path, statuses)
            )
    return tuple(found)


def models() -> tuple[str, ...]:
    """Return the model ids, in document order."""
    return tuple(dict.fromkeys(operation.model for operation in operations()))


def operation_for(model: str, kind: Kind) -> SpecOperation:
    """Return the operation of ``kind`` for ``model``.

    Raises:
        KeyError: If the spec has no such operation.
    """
    for operation in operations():
        if operation.model == model and operation.kind is kind:
            return operation
    raise KeyError(f"{kind.value} of {model}")


def match_url(method: str, url: str) -> tuple[SpecOperation, str | None] | None:
    """Find the operation a request URL addresses, whatever the base URL.

    Returns:
        The operation and the request id in the URL (``None`` for submit), or ``None`` when the URL
        is not one of the spec's operations (an output file, say).
    """
    path = httpx_path(url)
    for operation in operations():
        if operation.method != method.upper():
            continue
        matched = operation.pattern.search(path)
        if matched:
            return operation, matched.groupdict().get("request_id")
    return None


def httpx_path(url: str) -> str:
    """Return the path part of a URL (no query)."""
    without_scheme = url.split("://", 1)[-1]
    path = "/" + without_scheme.split("/", 1)[1] if "/" in without_scheme else "/"
    return path.split("?", 1)[0]


def documented_body(model: str) -> dict[str, Any]:
    """Return the documented example request body of ``model``'s submit (without placeholder images).

    Raises:
        KeyError: If the spec documents no example for that model.
    """
    spec = load_spec()
    submit = operation_for(model, Kind.SUBMIT)
    reference: str = spec["paths"][submit.path]["post"]["requestBody"]["$ref"]
    body_name = reference.rsplit("/", 1)[-1]
    examples = spec["components"]["requestBodies"][body_name]["content"]["application/json"]["examples"]
    value: dict[str, Any] = dict(next(iter(examples.values()))["value"])
    # The documented flux_2_pro example carries a placeholder instead of image data.
    return {name: item for name, item in value.items() if not name.startswith("input_image")}


def known_error_types() -> tuple[str, ...]:
    """Return the ``ErrorType`` values the spec lists as known."""
    schema = _load()["components"]["schemas"]["ErrorType"]
    return tuple(schema["examples"])


def submit_properties(model: str) -> dict[str, Any]:
    """The property schemas of ``model``'s submit body."""
    spec = _load()
    submit = operation_for(model, Kind.SUBMIT)
    reference: str = spec["paths"][submit.path]["post"]["requestBody"]["$ref"]
    body = spec["components"]["requestBodies"][reference.rsplit("/", 1)[-1]]
    schema_ref: str = body["content"]["application/json"]["schema"]["$ref"]
    properties: dict[str, Any] = spec["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]["properties"]
    return properties


def has_size_parameters(model: str) -> bool:
    """Whether ``model``'s submit body has explicit ``width``/``height`` (its outputs must match them)."""
    properties = submit_properties(model)
    return "width" in properties and "height" in properties
