"""Is a response one the spec documents? Status code, JSON media type and schema, per exchange.

Used on every exchange of the lifecycle checks and of a cassette replay
(``lifecycle.documented_response``); the schema part is schemathesis' ``validate_response``.
"""

from __future__ import annotations

import functools
from typing import Any

import schemathesis
from schemathesis.core.failures import FailureGroup

from fluxq_conformance.checks.registry import Basis, Family, declare
from fluxq_conformance.core.exchange import Exchange
from fluxq_conformance.core.spec import match_url
from fluxq_spec import spec_path

DOCUMENTED_RESPONSE = declare(
    "lifecycle.documented_response",
    Family.LIFECYCLE,
    "Every response the lifecycle saw has a documented status, JSON media type and a body valid for "
    "that status (schemathesis validate_response). A body that breaks its documented shape fails; a "
    "status code the spec does not list is a warning (the spec's code lists are fluxq's choice).",
    basis=Basis.DOCUMENTED,
    location="#/paths (responses of each operation)",
)


@functools.cache
def _schema() -> Any:
    return schemathesis.openapi.from_path(str(spec_path()))


def undocumented_finding(exchange: Exchange) -> tuple[str, str] | None:
    """Why an exchange's response is not documented by the spec, with the basis of that rule, or
    ``None`` when it is documented.

    Exchanges that address no spec operation (output files) and failed requests return ``None``.
    Every way the validation can fail (schemathesis raises ``AssertionError`` subclasses and
    ``FailureGroup`` exception groups) becomes a finding, never an exception.
    """
    matched = match_url(exchange.method, exchange.url)
    if matched is None or exchange.status_code is None:
        return None
    operation = matched[0]
    if exchange.status_code not in operation.statuses:
        return (
            f"{operation.operation_id} answered {exchange.status_code}, which the spec does not document",
            Basis.CHOICE.value,
        )
    if exchange.content_type != "application/json":
        what = exchange.content_type or "no content type"
        return f"{operation.operation_id} answered {what}, not JSON", Basis.DOCUMENTED.value
    api_operation = _schema()[operation.path][operation.method]
    try:
        api_operation.validate_response(exchange.to_httpx())
    except FailureGroup as group:
        # Several distinct violations come as an exception *group* (not an AssertionError).
        detail = failure_detail(group)
        return f"{operation.operation_id} {exchange.status_code}: {detail}", Basis.DOCUMENTED.value
    except AssertionError as error:  # one violation: a schemathesis Failure
        detail = failure_detail(error)
        return f"{operation.operation_id} {exchange.status_code}: {detail}", Basis.DOCUMENTED.value
    except Exception as error:  # anything else schemathesis raises is a finding too, never a crash
        detail = f"{type(error).__name__}: {error}"
        return f"{operation.operation_id} {exchange.status_code}: {detail}", Basis.DOCUMENTED.value
    return None


#: Longest detail kept from one schemathesis failure message (its schema dumps run to pages).
MAX_DETAIL = 400


def failure_detail(error: BaseException) -> str:
    """schemathesis' own account of a failure: its title, the field, and what the spec allows there.

    A schema violation becomes ``Response violates schema: at /status: "FAILED" is not one of
    "IN_QUEUE", "IN_PROGRESS" or "COMPLETED"``; other failures keep their message's lines (joined,
    cut at :data:`MAX_DETAIL` characters). A group of failures lists each, separated by ``; ``.
    """
    items = list(getattr(error, "exceptions", None) or [error])
    parts = []
    for item in items:
        title = str(getattr(item, "title", "") or type(item).__name__)
        validation = str(getattr(item, "validation_message", "") or "")
        if validation:
            path = getattr(item, "instance_path", None) or []
            where = "/" + "/".join(str(part) for part in path)
            parts.append(f"{title}: at {where}: {validation}")
            continue
        message = str(getattr(item, "message", "") or item).strip()
        lines = [line.strip() for line in message.splitlines() if line.strip() and line.strip() != title]
        detail = " · ".join(lines)
        if len(detail) > MAX_DETAIL:
            detail = detail[:MAX_DETAIL] + "…"
        parts.append(f"{title}: {detail}" if detail else title)
    return "; ".join(parts)


def undocumented_reason(exchange: Exchange) -> str | None:
    """Why an exchange's response is not documented by the spec, or ``None`` when it is (the message
    of :func:`undocumented_finding`)."""
    finding = undocumented_finding(exchange)
    return finding[0] if finding else None
