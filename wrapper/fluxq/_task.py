"""Where a task lives: its URLs, from submit's reply or built from base URL, model and id.

The URLs submit returned are used when they are on the API's own host; otherwise (and for a handle
rebuilt from an id) they are built from the base URL, so the API key is never sent to another host.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

from pydantic import AnyUrl

import fluxq_models

logger = logging.getLogger("fluxq")


@dataclass(frozen=True, slots=True)
class TaskRef:
    """Where a task lives.

    Attributes:
        model: Model id.
        request_id: The task's id.
        status_url: Its status URL.
        response_url: Its result URL.
        cancel_url: Its cancel URL.
        submitted_at: ``Runtime.clock`` value at submit, or None for a handle rebuilt from an id.
    """

    model: str
    request_id: str
    status_url: str
    response_url: str
    cancel_url: str
    submitted_at: float | None = None


def submit_url(base_url: str, model: str) -> str:
    """Return the submit URL of a model."""
    return f"{base_url.rstrip('/')}/v1/queue/{quote(model, safe='')}"


def task_urls(base_url: str, model: str, request_id: str) -> tuple[str, str, str]:
    """Return the (status, response, cancel) URLs built from base URL, model and id."""
    root = f"{submit_url(base_url, model)}/requests/{quote(request_id, safe='')}"
    return f"{root}/status", f"{root}/response", f"{root}/cancel"


@lru_cache(maxsize=64)
def _origin_prefix(base_url: str) -> str:
    """``scheme://host[:port]/`` of a base URL, written by ``AnyUrl`` (the type that validated the task URLs).

    ``AnyUrl`` writes an origin one way only (lower-case scheme and host, IDNA, no default port,
    bracketed IPv6, a ``/`` after the authority), so a validated URL is on this origin exactly when it
    starts with these characters. Credentials in the base URL are not part of its origin. A base URL
    ``AnyUrl`` cannot write (an IPv6 zone, a port over 65535) keeps its own spelling, which no validated
    URL starts with: then every task URL is built from it.
    """
    parts = urlsplit(base_url)
    host_and_port = parts.netloc.rpartition("@")[2]
    origin = f"{parts.scheme}://{host_and_port}"
    try:
        return str(AnyUrl(origin))
    except ValueError:
        return f"{origin}/"


def same_origin(url: str, base_url: str) -> bool:
    """Return True when ``url`` shares scheme, host and port with ``base_url`` (so the key may go there).

    ``url`` is one validated by the generated models (an ``AnyUrl``, so written one way). Default ports
    count as given (``http://h`` and ``http://h:80`` are one origin).
    """
    return url.startswith(_origin_prefix(base_url))


def task_ref(base_url: str, model: str, submission: fluxq_models.QueueSubmission, now: float) -> TaskRef:
    """Return the task a submit created, using the URLs it returned when they are on the API's host.

    A returned URL on another host is replaced by the built one (the API key is never sent elsewhere).
    """
    returned = (str(submission.status_url), str(submission.response_url), str(submission.cancel_url))
    chosen = list(returned)
    for index, given in enumerate(returned):
        if not same_origin(given, base_url):
            chosen[index] = task_urls(base_url, model, submission.request_id)[index]
            logger.warning("submit returned %s on another host; using %s instead", given, chosen[index])
    return TaskRef(model, submission.request_id, chosen[0], chosen[1], chosen[2], now)
