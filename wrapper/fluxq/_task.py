"""Where a task lives: its URLs, from submit's reply or built from base URL, model and id.

The URLs submit returned are used when they are on the API's own host; otherwise (and for a handle
rebuilt from an id) they are built from the base URL, so the API key is never sent to another host.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

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


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_with_port(url: str) -> tuple[str, str | None, int | None]:
    scheme, host, port = _origin(url)
    return scheme, host, port if port is not None else _DEFAULT_PORTS.get(scheme)


_base_origin = lru_cache(maxsize=64)(_origin_with_port)
"""The origin of a client's base URL: the same few strings, asked for on every submit."""


@lru_cache(maxsize=64)
def _origin_prefix(base_url: str) -> str:
    """``scheme://host[:port]`` of a base URL, written the way a validated ``AnyUrl`` writes it."""
    scheme, host, port = _origin_with_port(base_url)
    shown_host = f"[{host}]" if host and ":" in host else host
    shown_port = "" if port == _DEFAULT_PORTS.get(scheme) else f":{port}"
    return f"{scheme}://{shown_host}{shown_port}"


def same_origin(url: str, base_url: str) -> bool:
    """Return True when ``url`` shares scheme, host and port with ``base_url`` (so the key may go there).

    Default ports count as given (``http://h`` and ``http://h:80`` are one origin). A URL that starts
    with the base URL's origin exactly (how validated replies are written) is recognised without parsing
    it; any other is parsed and compared part by part.
    """
    prefix = _origin_prefix(base_url)
    if url.startswith(prefix) and url[len(prefix) : len(prefix) + 1] in ("", "/", "?", "#"):
        return True
    return _origin_with_port(url) == _base_origin(base_url)


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
