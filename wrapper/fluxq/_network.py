"""The socket layer of fluxq's HTTP clients: total deadlines and the internal-address check.

`DeadlineBackend` (blocking) and `AsyncDeadlineBackend` wrap httpcore's own backends. Every connect,
read and write gets the smaller of httpx's per-phase timeout and the time left before the total
deadline (`fluxq._deadlines`), and fails as a timeout once none is left — so a server trickling its
status line, headers or body a byte at a time cannot stretch an exchange past its budget. A backend
made with ``refuse_internal=True`` (the downloads') also checks the address each connection reached,
which catches a public-looking name that resolves to an internal address.

httpcore's async interface names its parameter ``timeout``; these overrides must keep that name
(hence the ``ASYNC109`` exemptions).
"""

from __future__ import annotations

import ssl
import typing
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from ._deadlines import bounded, time_left
from ._exceptions import DownloadRefused
from ._origins import internal_address

SocketOption = Any  # httpcore's SOCKET_OPTION union; not exported by httpcore


def _budget(timeout: float | None, expired: type[Exception]) -> float | None:
    left = time_left()
    if left is not None and left <= 0:
        raise expired("the total deadline of this request passed")
    return bounded(timeout)


def _refuse_if_internal(stream: httpcore.NetworkStream | httpcore.AsyncNetworkStream, host: str) -> None:
    peer = stream.get_extra_info("server_addr")
    address = peer[0] if isinstance(peer, tuple) and peer else None
    if isinstance(address, str) and internal_address(address):
        raise DownloadRefused(
            f"refusing to download from {host!r}: it resolved to the internal address {address} "
            "(pass allow_internal_downloads=True to allow it)"
        )


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        budget = _budget(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, budget))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's blocking backend, bounded by the total deadline (and refusing internal peers if asked)."""

    def __init__(self, *, refuse_internal: bool = False) -> None:
        """Create a backend.

        Args:
            refuse_internal: Refuse connections that reach an internal address (downloads).
        """
        self._inner = httpcore.SyncBackend()
        self._refuse_internal = refuse_internal

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect within the time left; refuse an internal peer when asked."""
        budget = _budget(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, budget, local_address, socket_options)
        if self._refuse_internal:
            try:
                _refuse_if_internal(stream, host)
            except DownloadRefused:
                stream.close()
                raise
        return _Stream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> httpcore.NetworkStream:
        """Connect to a Unix socket within the time left."""
        budget = _budget(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, budget, socket_options))

    def sleep(self, seconds: float) -> None:
        """Sleep (httpcore's retry pause)."""
        self._inner.sleep(seconds)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return await self._inner.read(max_bytes, _budget(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._inner.write(buffer, _budget(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> httpcore.AsyncNetworkStream:
        budget = _budget(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, budget))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class AsyncDeadlineBackend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, bounded by the total deadline (and refusing internal peers if asked)."""

    def __init__(self, *, refuse_internal: bool = False) -> None:
        """Create a backend.

        Args:
            refuse_internal: Refuse connections that reach an internal address (downloads).
        """
        self._inner = httpcore.AnyIOBackend()
        self._refuse_internal = refuse_internal

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect within the time left; refuse an internal peer when asked."""
        budget = _budget(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, budget, local_address, socket_options)
        if self._refuse_internal:
            try:
                _refuse_if_internal(stream, host)
            except DownloadRefused:
                await stream.aclose()
                raise
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to a Unix socket within the time left."""
        budget = _budget(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_unix_socket(path, budget, socket_options))

    async def sleep(self, seconds: float) -> None:
        """Sleep (httpcore's retry pause)."""
        await self._inner.sleep(seconds)


def sync_transport(*, refuse_internal: bool = False) -> httpx.HTTPTransport:
    """Return httpx's default blocking transport running on a `DeadlineBackend`.

    httpx offers no argument for the network backend, so the transport's connection pool is replaced by
    an identical one built on ours (httpx's defaults: TLS verification on, HTTP/1.1, default limits).
    """
    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(  # the only hook for a network backend
        ssl_context=httpx.create_ssl_context(),
        max_connections=httpx.Limits().max_connections,
        max_keepalive_connections=httpx.Limits().max_keepalive_connections,
        keepalive_expiry=httpx.Limits().keepalive_expiry,
        network_backend=DeadlineBackend(refuse_internal=refuse_internal),
    )
    return transport


def async_transport(*, refuse_internal: bool = False) -> httpx.AsyncHTTPTransport:
    """Return httpx's default async transport running on an `AsyncDeadlineBackend` (see `sync_transport`)."""
    transport = httpx.AsyncHTTPTransport()
    transport._pool = httpcore.AsyncConnectionPool(  # the only hook for a network backend
        ssl_context=httpx.create_ssl_context(),
        max_connections=httpx.Limits().max_connections,
        max_keepalive_connections=httpx.Limits().max_keepalive_connections,
        keepalive_expiry=httpx.Limits().keepalive_expiry,
        network_backend=AsyncDeadlineBackend(refuse_internal=refuse_internal),
    )
    return transport
