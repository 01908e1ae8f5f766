"""vcrpy cassettes: record a run with every secret scrubbed, replay one with the network blocked.

Recording scrubs the key from the ``Authorization`` header (the scheme stays, the key becomes
``$FLUXQ_API_KEY``), drops other credential headers (``filter_headers``), and replaces the key
wherever else it appears — URLs, request and response bodies, response headers
(``before_record_request`` / ``before_record_response``).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import vcr

from fluxq_conformance.core.exchange import Redactor

CASSETTE_NAME = "run.yaml"
DROPPED_HEADERS = ("x-key", "x-api-key", "cookie", "set-cookie", "proxy-authorization")


class NetworkBlocked(OSError):
    """Raised when something tries to open a connection during an offline replay."""


def _scrub_bytes(value: Any, redact: Redactor) -> Any:
    if isinstance(value, bytes):
        try:
            return redact(value.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            for secret in redact.secrets:
                if secret:
                    value = value.replace(secret.encode("utf-8"), b"$FLUXQ_API_KEY")
            return value
    if isinstance(value, str):
        return redact(value)
    return value


def scrub_request(request: Any, redact: Redactor) -> Any:
    """``before_record_request``: redact the key in the URI, headers and body of a vcrpy request."""
    request.uri = redact(request.uri)
    for name in list(request.headers):
        request.headers[name] = redact(str(request.headers[name]))
    request.body = _scrub_bytes(request.body, redact)
    return request


def scrub_response(response: dict[str, Any], redact: Redactor) -> dict[str, Any]:
    """``before_record_response``: redact the key in a vcrpy response's headers and body."""
    headers = response.get("headers", {})
    for name, values in list(headers.items()):
        if name.lower() in DROPPED_HEADERS:
            del headers[name]
            continue
        headers[name] = [redact(str(value)) for value in values]
    body = response.get("body", {})
    if "string" in body:
        body["string"] = _scrub_bytes(body["string"], redact)
    return response


def make_vcr(secrets: tuple[str, ...], record_mode: str) -> vcr.VCR:
    """A vcrpy configuration that scrubs ``secrets`` and matches requests in order."""
    redact = Redactor(secrets)
    return vcr.VCR(
        record_mode=record_mode,
        filter_headers=[(name, None) for name in DROPPED_HEADERS],
        before_record_request=lambda request: scrub_request(request, redact),
        before_record_response=lambda response: scrub_response(response, redact),
        match_on=["method", "scheme", "host", "port", "path", "query"],
        decode_compressed_response=True,
    )


@contextlib.contextmanager
def recording(directory: Path, *, secrets: tuple[str, ...], name: str = CASSETTE_NAME) -> Iterator[None]:
    """Record every httpx exchange of the block into ``directory/name`` (replacing it).

    Raises:
        OSError: If the directory cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.unlink(missing_ok=True)
    with make_vcr(secrets, "all").use_cassette(str(path)):
        yield


@contextlib.contextmanager
def block_network() -> Iterator[None]:
    """Refuse every outgoing connection (``socket.connect``) inside the block."""
    original_connect = socket.socket.connect
    original_create = socket.create_connection

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise NetworkBlocked("network access is blocked during cassette replay")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse
    try:
        yield
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.create_connection = original_create
