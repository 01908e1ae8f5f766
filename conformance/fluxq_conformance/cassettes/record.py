"""vcrpy cassettes: record a run with every secret scrubbed, replay one with the network blocked.

Recording scrubs the key from the ``Authorization`` header (the scheme stays, the key becomes
``$FLUXQ_API_KEY``), drops other credential headers (``filter_headers``), and replaces the key
wherever else it appears — URLs, request and response bodies, response headers
(``before_record_request`` / ``before_record_response``).

It also normalises what changes from one recording to the next without any change of behaviour,
so that re-recording (``scripts/record``) is a small diff: a loopback server's port (always
``127.0.0.1:8765`` in a cassette), the ``Date`` response header, and the random tokens the
reference provider mints — task ids (``mmsu_…``), gateway request ids (``req_…``) and output file
tokens — renumbered in order of first appearance, with their length and alphabet kept. The
renaming is one map per cassette, applied to URLs and bodies alike, so the replay (which re-sends
the recorded URLs) and its identity checks see the same consistent ids.
"""

from __future__ import annotations

import contextlib
import functools
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import vcr

from fluxq_conformance.core.exchange import Redactor

CASSETTE_NAME = "run.yaml"
#: What a loopback server's address becomes in a cassette (its real port is random).
RECORDED_LOOPBACK = "127.0.0.1:8765"
RECORDED_DATE = "Thu, 01 Jan 2026 00:00:00 GMT"
_LOOPBACK = re.compile(r"\b127\.0\.0\.1:\d{1,5}\b")
#: Random tokens of the reference provider: (pattern, prefix of the stable replacement).
_TOKENS = (
    (re.compile(r"\bmmsu_[a-z0-9]{26}\b"), "mmsu_"),
    (re.compile(r"\breq_[0-9a-f]{24}\b"), "req_"),
    (re.compile(r"(?<=/files/)[A-Za-z0-9_-]{24}(?=/)"), ""),
)


class Normaliser:
    """Rewrites one cassette's volatile parts (ports, random tokens) the same way every time."""

    def __init__(self) -> None:
        self._renamed: dict[str, str] = {}

    def _rename(self, match: re.Match[str], prefix: str) -> str:
        token = match.group(0)
        if token not in self._renamed:
            number = str(len(self._renamed) + 1)
            self._renamed[token] = prefix + number.rjust(len(token) - len(prefix), "0")
        return self._renamed[token]

    def __call__(self, text: str) -> str:
        """Return ``text`` with a stable port and stable tokens."""
        text = _LOOPBACK.sub(RECORDED_LOOPBACK, text)
        for pattern, prefix in _TOKENS:
            text = pattern.sub(functools.partial(self._rename, prefix=prefix), text)
        return text


DROPPED_HEADERS = ("x-key", "x-api-key", "cookie", "set-cookie", "proxy-authorization")


class NetworkBlocked(OSError):
    """Raised when something tries to open a connection during an offline replay."""


def _scrub_bytes(value: Any, redact: Redactor, normalise: Callable[[str], str]) -> Any:
    if isinstance(value, bytes):
        try:
            return normalise(redact(value.decode("utf-8"))).encode("utf-8")
        except UnicodeDecodeError:
            for secret in redact.secrets:
                if secret:
                    value = value.replace(secret.encode("utf-8"), b"$FLUXQ_API_KEY")
            return value
    if isinstance(value, str):
        return normalise(redact(value))
    return value


def _same(text: str) -> str:
    return text


def scrub_request(request: Any, redact: Redactor, normalise: Callable[[str], str] = _same) -> Any:
    """``before_record_request``: redact the key in the URI, headers and body of a vcrpy request."""
    request.uri = normalise(redact(request.uri))
    for name in list(request.headers):
        request.headers[name] = normalise(redact(str(request.headers[name])))
    request.body = _scrub_bytes(request.body, redact, normalise)
    return request


def scrub_response(
    response: dict[str, Any], redact: Redactor, normalise: Callable[[str], str] = _same
) -> dict[str, Any]:
    """``before_record_response``: redact the key in a vcrpy response's headers and body."""
    headers = response.get("headers", {})
    for name, values in list(headers.items()):
        if name.lower() in DROPPED_HEADERS:
            del headers[name]
            continue
        if name.lower() == "date":
            headers[name] = [RECORDED_DATE]
            continue
        headers[name] = [normalise(redact(str(value))) for value in values]
    body = response.get("body", {})
    if "string" in body:
        body["string"] = _scrub_bytes(body["string"], redact, normalise)
    return response


def make_vcr(secrets: tuple[str, ...], record_mode: str) -> vcr.VCR:
    """A vcrpy configuration that scrubs ``secrets``, normalises volatile parts, matches in order."""
    redact = Redactor(secrets)
    # vcrpy also runs these hooks on requests it matches during playback: renumbering there would
    # renumber the already stable ids again, so only a recording normalises.
    normalise: Callable[[str], str] = Normaliser() if record_mode != "none" else _same
    return vcr.VCR(
        record_mode=record_mode,
        filter_headers=[(name, None) for name in DROPPED_HEADERS],
        before_record_request=lambda request: scrub_request(request, redact, normalise),
        before_record_response=lambda response: scrub_response(response, redact, normalise),
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
