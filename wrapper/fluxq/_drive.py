"""Drivers that run flows (`fluxq._flow`): the only place that sends HTTP and sleeps.

`SyncDriver` and `AsyncDriver` are the same loop; they differ only in how they send and sleep.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._bodies import aread_capped, read_capped, settled
from ._deadlines import total_deadline
from ._exceptions import ResponseTooLarge
from ._flow import Flow, Send, Sleep, Step, WireRequest, cap_timeout
from ._limits import Limits
from ._secrets import Scrubber
from ._status import EventHandler, StatusEvent

if TYPE_CHECKING:
    from httpx._client import UseClientDefault  # the type of httpx.USE_CLIENT_DEFAULT, not exported

__all__ = ["AsyncDriver", "EventHandler", "SyncDriver"]

logger = logging.getLogger("fluxq")
_T = TypeVar("_T")


@dataclass(slots=True)
class Stepper(Generic[_T]):
    """Advances a flow, feeding it the last response or transport exception."""

    flow: Flow[_T]
    reply: httpx.Response | None = None
    error: httpx.TransportError | ResponseTooLarge | None = None
    done: bool = False
    value: Any = None

    def next_step(self) -> Step | None:
        try:
            if self.error is not None:
                error, self.error = self.error, None
                return self.flow.throw(error)
            reply, self.reply = self.reply, None
            return self.flow.send(reply)
        except StopIteration as stop:
            self.done, self.value = True, stop.value
            return None


_parsed_url = lru_cache(maxsize=1024)(httpx.URL)
"""A request URL parsed once: a client sends to the same submit URL again and again, and polls a task's
result URL until it finishes (httpx would parse the string anew on every request; a URL is immutable)."""


def _headers(request: WireRequest) -> dict[str, str]:
    if request.body is None:
        return {}
    return {"Content-Type": "application/json", "Content-Length": str(request.body.length)}


def _log(request: WireRequest, response: httpx.Response) -> None:
    logger.debug("%s %s -> %d", request.method, request.url, response.status_code)


def _budget(request: WireRequest, limits: Limits) -> float:
    """The request's total wall-clock budget: the client's cap, shortened by a wait's time left."""
    if request.timeout_cap is None:
        return limits.request_seconds
    return min(limits.request_seconds, max(request.timeout_cap, 0.0))


def _scrubbed(exc: httpx.TransportError, scrubber: Scrubber) -> httpx.TransportError:
    """The transport error with its text scrubbed (h11 may quote header values, the key among them)."""
    text = str(exc)
    clean = scrubber.text(text)
    if clean == text:
        return exc
    replacement = type(exc)(clean)
    replacement.__cause__ = None
    return replacement


def _timeout(http: httpx.Client | httpx.AsyncClient, cap: float | None) -> httpx.Timeout | UseClientDefault:
    """The request's timeout: the client's own unless ``cap`` shortens it (httpx copies one passed in)."""
    timeout = cap_timeout(http.timeout, cap)
    return httpx.USE_CLIENT_DEFAULT if timeout is http.timeout else timeout


def _reply_what(request: WireRequest) -> str:
    return f"the reply to {request.method} {request.url}"


class SyncDriver:
    """Runs flows with a blocking ``httpx.Client`` and a blocking sleep."""

    def __init__(
        self,
        http: httpx.Client,
        sleep: Callable[[float], None],
        limits: Limits | None = None,
        scrubber: Scrubber | None = None,
    ) -> None:
        """Create a driver.

        Args:
            http: The (authenticated) HTTP client.
            sleep: Blocking sleep, in seconds.
            limits: Reply size cap and per-request budget.
            scrubber: Removes the key from every reply before it is read.
        """
        self._http = http
        self._sleep = sleep
        self._limits = limits or Limits()
        self._scrubber = scrubber or Scrubber()

    def send(self, request: WireRequest) -> httpx.Response:
        """Send one request and read its body (capped, within the total budget, scrubbed).

        Raises:
            httpx.TransportError: When the request fails or its total budget passes.
            ResponseTooLarge: The reply body exceeds ``Limits.max_json_bytes``.
        """
        content = None if request.body is None else request.body.sync_content()
        with total_deadline(_budget(request, self._limits)):
            built = self._http.build_request(
                request.method,
                _parsed_url(request.url),
                content=content,
                headers=_headers(request),
                timeout=_timeout(self._http, request.timeout_cap),
            )
            response = self._http.send(built, stream=True)
            try:
                body = read_capped(response, self._limits.max_json_bytes, _reply_what(request))
            finally:
                response.close()
        _log(request, response)
        return settled(response, body, self._scrubber)

    def feed(self, stepper: Stepper[Any], request: WireRequest) -> httpx.Response | None:
        """Send a flow's request and hand the flow its reply, or the failure to throw into it.

        The one place where a send's failures become the flow's: transport errors (scrubbed of the key)
        and oversize replies. `iterate`, `run` and the batch engine all feed through it.

        Returns:
            The reply, or None when the request failed.
        """
        try:
            stepper.reply = self.send(request)
        except httpx.TransportError as exc:
            stepper.error = _scrubbed(exc, self._scrubber)
        except ResponseTooLarge as exc:
            stepper.error = exc
        return stepper.reply

    def iterate(self, flow: Flow[_T], on_done: Callable[[_T], None]) -> Iterator[StatusEvent]:
        """Run a flow, yielding its events; pass its return value to ``on_done``.

        Raises:
            FluxqError: Whatever the flow raises.
        """
        stepper = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            if isinstance(step, Send):
                self.feed(stepper, step.request)
            elif isinstance(step, Sleep):
                self._sleep(step.seconds)
            else:
                yield step.event
        on_done(stepper.value)

    def run(self, flow: Flow[_T], on_event: EventHandler | None = None) -> _T:
        """Run a flow to its end, calling ``on_event`` for each event; return its value.

        Raises:
            FluxqError: Whatever the flow raises.
        """
        # The same loop as `iterate`, without a generator in between: `run` is the common path.
        stepper: Stepper[_T] = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            if isinstance(step, Send):
                self.feed(stepper, step.request)
            elif isinstance(step, Sleep):
                self._sleep(step.seconds)
            elif on_event is not None:
                on_event(step.event)
        value: _T = stepper.value
        return value


class AsyncDriver:
    """Runs flows with an ``httpx.AsyncClient`` and an awaitable sleep."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        sleep: Callable[[float], Awaitable[None]],
        limits: Limits | None = None,
        scrubber: Scrubber | None = None,
    ) -> None:
        """Create a driver.

        Args:
            http: The (authenticated) HTTP client.
            sleep: Awaitable sleep, in seconds.
            limits: Reply size cap and per-request budget.
            scrubber: Removes the key from every reply before it is read.
        """
        self._http = http
        self._sleep = sleep
        self._limits = limits or Limits()
        self._scrubber = scrubber or Scrubber()

    async def pause(self, seconds: float) -> None:
        """Sleep with the driver's (injectable) sleep."""
        await self._sleep(seconds)

    async def send(self, request: WireRequest) -> httpx.Response:
        """Send one request and read its body (capped, within the total budget, scrubbed).

        Raises:
            httpx.TransportError: When the request fails or its total budget passes.
            ResponseTooLarge: The reply body exceeds ``Limits.max_json_bytes``.
        """
        content = None if request.body is None else request.body.async_content()
        with total_deadline(_budget(request, self._limits)):
            built = self._http.build_request(
                request.method,
                _parsed_url(request.url),
                content=content,
                headers=_headers(request),
                timeout=_timeout(self._http, request.timeout_cap),
            )
            response = await self._http.send(built, stream=True)
            try:
                body = await aread_capped(response, self._limits.max_json_bytes, _reply_what(request))
            finally:
                await response.aclose()
        _log(request, response)
        return settled(response, body, self._scrubber)

    async def feed(self, stepper: Stepper[Any], request: WireRequest) -> httpx.Response | None:
        """Send a flow's request and hand the flow its reply, or the failure to throw into it.

        The one place where a send's failures become the flow's: transport errors (scrubbed of the key)
        and oversize replies. `iterate`, `run` and the batch engine all feed through it.

        Returns:
            The reply, or None when the request failed.
        """
        try:
            stepper.reply = await self.send(request)
        except httpx.TransportError as exc:
            stepper.error = _scrubbed(exc, self._scrubber)
        except ResponseTooLarge as exc:
            stepper.error = exc
        return stepper.reply

    async def iterate(self, flow: Flow[_T], on_done: Callable[[_T], None]) -> AsyncIterator[StatusEvent]:
        """Run a flow, yielding its events; pass its return value to ``on_done``.

        Raises:
            FluxqError: Whatever the flow raises.
        """
        stepper = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            if isinstance(step, Send):
                await self.feed(stepper, step.request)
            elif isinstance(step, Sleep):
                await self._sleep(step.seconds)
            else:
                yield step.event
        on_done(stepper.value)

    async def run(self, flow: Flow[_T], on_event: EventHandler | None = None) -> _T:
        """Run a flow to its end, calling (and awaiting, if async) ``on_event`` per event; return its value.

        Raises:
            FluxqError: Whatever the flow raises.
        """
        # The same loop as `iterate`, without an async generator in between: `run` is the common path.
        stepper: Stepper[_T] = Stepper(flow)
        while (step := stepper.next_step()) is not None:
            if isinstance(step, Send):
                await self.feed(stepper, step.request)
            elif isinstance(step, Sleep):
                await self._sleep(step.seconds)
            elif on_event is not None:
                outcome = on_event(step.event)
                if inspect.isawaitable(outcome):
                    await outcome
        value: _T = stepper.value
        return value
