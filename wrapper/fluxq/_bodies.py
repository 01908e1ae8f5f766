"""Reading reply bodies under a size cap and the total deadline, then scrubbing them.

The cap is checked against ``Content-Length`` before reading and against the bytes actually received
(after decompression, so a gzip bomb is cut off too) while streaming — a body is never buffered first
and checked afterwards. The deadline is checked between chunks, which also bounds transports that
have no socket (in-process ASGI apps).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx

from ._deadlines import time_left
from ._exceptions import ResponseTooLarge
from ._secrets import Scrubber


def check_declared_size(response: httpx.Response, limit: int, what: str) -> None:
    """Refuse a reply whose ``Content-Length`` already exceeds ``limit``.

    Raises:
        ResponseTooLarge: The declared length is over the cap.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(what, limit)


class Meter:
    """Counts streamed bytes against a cap and the total deadline."""

    def __init__(self, response: httpx.Response, limit: int, what: str) -> None:
        """Start counting for ``response``.

        Raises:
            ResponseTooLarge: The declared length is already over the cap.
        """
        check_declared_size(response, limit, what)
        self._request = response.request
        self._limit = limit
        self._what = what
        self.size = 0

    def count(self, chunk: bytes) -> bytes:
        """Count one chunk and return it.

        Raises:
            ResponseTooLarge: The body grew past the cap.
            httpx.ReadTimeout: The total deadline passed while the body was still arriving.
        """
        self.size += len(chunk)
        if self.size > self._limit:
            raise ResponseTooLarge(self._what, self._limit)
        if time_left() == 0.0:
            raise httpx.ReadTimeout("the total deadline passed while reading the body", request=self._request)
        return chunk


def read_capped(response: httpx.Response, limit: int, what: str) -> bytes:
    """Read a streamed response's (decoded) body, at most ``limit`` bytes.

    Raises:
        ResponseTooLarge: The body is larger than ``limit``.
        httpx.TransportError: The connection failed or the total deadline passed.
    """
    meter = Meter(response, limit, what)
    return b"".join(meter.count(chunk) for chunk in response.iter_bytes())


async def aread_capped(response: httpx.Response, limit: int, what: str) -> bytes:
    """Async `read_capped`.

    Raises:
        ResponseTooLarge: The body is larger than ``limit``.
        httpx.TransportError: The connection failed or the total deadline passed.
    """
    meter = Meter(response, limit, what)
    return b"".join([meter.count(chunk) async for chunk in response.aiter_bytes()])


def sync_chunks(response: httpx.Response, limit: int, what: str) -> Iterator[bytes]:
    """Yield a streamed body's chunks, enforcing the cap and the deadline (for streaming to a file).

    Raises:
        ResponseTooLarge: The body is larger than ``limit``.
        httpx.TransportError: The connection failed or the total deadline passed.
    """
    meter = Meter(response, limit, what)
    for chunk in response.iter_bytes():
        yield meter.count(chunk)


async def async_chunks(response: httpx.Response, limit: int, what: str) -> AsyncIterator[bytes]:
    """Async `sync_chunks`.

    Raises:
        ResponseTooLarge: The body is larger than ``limit``.
        httpx.TransportError: The connection failed or the total deadline passed.
    """
    meter = Meter(response, limit, what)
    async for chunk in response.aiter_bytes():
        yield meter.count(chunk)


def settled(response: httpx.Response, content: bytes, scrubber: Scrubber) -> httpx.Response:
    """Return ``response`` fully read as ``content``, with every secret scrubbed.

    A reply in which no secret occurs (the usual case) is returned as it is, holding ``content``.
    Otherwise a copy is returned: it drops ``Content-Encoding`` and ``Content-Length`` (the content is
    already decoded) and scrubs the body, every header and the reason phrase, so nothing read from it
    later — message, body, logs — can carry the key.
    """
    if not _carries_secret(response, content, scrubber):
        # httpx has no public way to attach a body read chunk by chunk (through the cap and the
        # deadline); `_content` is what its own `read()` assigns. Building a second `Response`
        # instead costs about as much as the rest of the wrapper's work on the reply.
        response._content = content
        return response
    dropped = (b"content-encoding", b"content-length")  # the content is decoded; httpx sets the length
    # Values are scrubbed as httpx decodes them and go back as bytes in that encoding: a Latin-1
    # header would not survive the ASCII default of a `str` header.
    encoding = response.headers.encoding
    headers = [
        (k, scrubber.text(v.decode(encoding)).encode(encoding))
        for k, v in response.headers.raw
        if k.lower() not in dropped
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=scrubber.data(content),
        request=response.request,
        extensions={"reason_phrase": scrubber.text(response.reason_phrase).encode("ascii", "replace")},
    )


def _carries_secret(response: httpx.Response, content: bytes, scrubber: Scrubber) -> bool:
    """Whether a secret occurs in the body, the reason phrase or any header value.

    Body and headers are compared as bytes: the API key is printable ASCII (`clean_api_key`), whose
    bytes are the same in every header encoding httpx may decode with (ASCII, UTF-8, Latin-1). A
    non-ASCII secret is always treated as present, so its replies keep taking the scrubbing copy.
    """
    if not scrubber.ascii_only:
        return True
    # One search over body and header values: a header value cannot hold a line break, so joining
    # them with one can only add a (harmless) false alarm, never hide a secret.
    searched = b"\n".join([content, *(value for _, value in response.headers.raw)])
    if scrubber.occurs_in(searched):
        return True
    # The server's reason phrase, decoded as httpx decodes it (dropping non-ASCII bytes, which could
    # join a key's pieces). Without one httpx shows its own phrase for the status: no server text.
    phrase: bytes | None = response.extensions.get("reason_phrase")
    return phrase is not None and scrubber.occurs_in_text(phrase.decode("ascii", errors="ignore"))
