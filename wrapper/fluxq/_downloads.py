"""Output downloads: a key-less HTTP client bounded in time, size and reach.

Each download (and each redirect it follows) must be http(s) and — unless allowed — not on an internal
host (`fluxq._origins`); it runs under `Limits.download_seconds` of wall-clock time and stops at
`Limits.max_download_bytes`. Files are streamed to a ``.part`` file that is renamed when complete and
removed on any failure. Error pages are capped and scrubbed like API replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from ._bodies import aread_capped, async_chunks, read_capped, settled, sync_chunks
from ._deadlines import total_deadline
from ._exceptions import APIConnectionError, APITimeoutError, FluxqError
from ._limits import Limits
from ._network import async_transport, sync_transport
from ._origins import check_download_url
from ._responses import api_error
from ._secrets import Scrubber


def _failure(exc: httpx.TransportError, url: str, scrubber: Scrubber) -> FluxqError:
    message = scrubber.text(f"download of {url[:120]} failed: {type(exc).__name__}")
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(message + " (the download's total deadline may have passed)")
    return APIConnectionError(message)


def _what(url: str) -> str:
    return f"the download of {url[:120]}"


@dataclass(frozen=True, slots=True)
class DownloadPolicy:
    """How outputs may be fetched.

    Attributes:
        limits: Size cap and time budget.
        scrubber: Removes the key from error pages.
        allow_internal: Whether internal hosts may be fetched (local provider, or the caller opted in).
    """

    limits: Limits
    scrubber: Scrubber
    allow_internal: bool

    def check(self, url: str) -> None:
        """Refuse a URL on an internal host unless allowed.

        Raises:
            DownloadRefused: The host is internal.
        """
        check_download_url(url, allow_internal=self.allow_internal)


class SyncDownloader:
    """Fetches outputs with a blocking client that never carries the API key."""

    def __init__(self, policy: DownloadPolicy, transport: httpx.BaseTransport | None, timeout: httpx.Timeout):
        """Create the downloader (``transport``: a test or custom transport; default: fluxq's bounded one)."""
        self.policy = policy

        def on_request(request: httpx.Request) -> None:
            policy.check(str(request.url))  # every hop of a redirect chain, too

        self.http = httpx.Client(
            timeout=timeout,
            transport=transport or sync_transport(refuse_internal=not policy.allow_internal),
            follow_redirects=True,
            event_hooks={"request": [on_request]},
        )

    def fetch(self, url: str) -> bytes:
        """Download ``url`` into memory.

        Raises:
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is over the cap.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or its total deadline passed.
        """
        limits = self.policy.limits
        self.policy.check(url)
        try:
            with total_deadline(limits.download_seconds), self.http.stream("GET", url) as response:
                self._raise_for_status(response)
                return read_capped(response, limits.max_download_bytes, _what(url))
        except httpx.TransportError as exc:
            raise _failure(exc, url, self.policy.scrubber) from None

    def save(self, url: str, target: Path) -> None:
        """Stream ``url`` to ``target`` through a ``.part`` file.

        Raises:
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is over the cap.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or its total deadline passed.
            OSError: The file cannot be written.
        """
        limits = self.policy.limits
        self.policy.check(url)
        partial = target.with_name(target.name + ".part")
        try:
            with total_deadline(limits.download_seconds), self.http.stream("GET", url) as response:
                self._raise_for_status(response)
                with partial.open("wb") as file:
                    for chunk in sync_chunks(response, limits.max_download_bytes, _what(url)):
                        file.write(chunk)
        except httpx.TransportError as exc:
            partial.unlink(missing_ok=True)
            raise _failure(exc, url, self.policy.scrubber) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)

    def _raise_for_status(self, response: httpx.Response) -> None:
        if response.status_code >= 400:
            body = read_capped(response, self.policy.limits.max_json_bytes, "an error page")
            raise api_error(settled(response, body, self.policy.scrubber))

    def close(self) -> None:
        """Close the connections."""
        self.http.close()


class AsyncDownloader:
    """Fetches outputs with an async client that never carries the API key (see `SyncDownloader`)."""

    def __init__(
        self, policy: DownloadPolicy, transport: httpx.AsyncBaseTransport | None, timeout: httpx.Timeout
    ):
        """Create the downloader (``transport``: a test or custom transport; default: fluxq's bounded one)."""
        self.policy = policy

        async def on_request(request: httpx.Request) -> None:
            policy.check(str(request.url))  # every hop of a redirect chain, too

        self.http = httpx.AsyncClient(
            timeout=timeout,
            transport=transport or async_transport(refuse_internal=not policy.allow_internal),
            follow_redirects=True,
            event_hooks={"request": [on_request]},
        )

    async def fetch(self, url: str) -> bytes:
        """Download ``url`` into memory; see `SyncDownloader.fetch`.

        Raises:
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is over the cap.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or its total deadline passed.
        """
        limits = self.policy.limits
        self.policy.check(url)
        try:
            with total_deadline(limits.download_seconds):
                async with self.http.stream("GET", url) as response:
                    await self._raise_for_status(response)
                    return await aread_capped(response, limits.max_download_bytes, _what(url))
        except httpx.TransportError as exc:
            raise _failure(exc, url, self.policy.scrubber) from None

    async def save(self, url: str, target: Path) -> None:
        """Stream ``url`` to ``target`` through a ``.part`` file; see `SyncDownloader.save`.

        Raises:
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is over the cap.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or its total deadline passed.
            OSError: The file cannot be written.
        """
        limits = self.policy.limits
        self.policy.check(url)
        partial = target.with_name(target.name + ".part")
        try:
            with total_deadline(limits.download_seconds):
                async with self.http.stream("GET", url) as response:
                    await self._raise_for_status(response)
                    with partial.open("wb") as file:
                        async for chunk in async_chunks(response, limits.max_download_bytes, _what(url)):
                            file.write(chunk)
        except httpx.TransportError as exc:
            partial.unlink(missing_ok=True)
            raise _failure(exc, url, self.policy.scrubber) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)

    async def _raise_for_status(self, response: httpx.Response) -> None:
        if response.status_code >= 400:
            body = await aread_capped(response, self.policy.limits.max_json_bytes, "an error page")
            raise api_error(settled(response, body, self.policy.scrubber))

    async def close(self) -> None:
        """Close the connections."""
        await self.http.aclose()
