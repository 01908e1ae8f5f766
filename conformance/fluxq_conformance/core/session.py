"""The HTTP side of a run: credentials, a recording client, the task budget and the open-task ledger.

:class:`ProviderSession` sends every request the lifecycle, output and auth checks make, remembers
each exchange, counts submits against ``--max-tasks`` and remembers every task it created so that
:meth:`ProviderSession.cancel_open_tasks` can cancel what is still running (also after Ctrl-C).

A target under test may be hostile or broken, so the session applies the wrapper's policies (one
place each, in ``fluxq``): every request has a total wall-clock budget (`REQUEST_SECONDS`; a server
trickling bytes cannot stall a probe), every reply is read under a size cap (`MAX_REPLY_BYTES`,
`MAX_OUTPUT_BYTES` for output files; an endless body becomes an error exchange, not gigabytes of
memory), and the key is scrubbed from everything the server sends back before any check, console
line, report or cassette can see it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx

from fluxq._bodies import read_capped
from fluxq._deadlines import total_deadline
from fluxq._exceptions import ResponseTooLarge
from fluxq._network import sync_transport
from fluxq._secrets import Scrubber
from fluxq_conformance.core.exchange import Exchange, Redactor
from fluxq_conformance.core.trace import TRANSIENT_STATUSES, retry_after_seconds, same_origin_and_base

WRONG_KEY = "fluxq-conformance-wrong-key"
REQUEST_SECONDS = 60.0
"""Total wall-clock budget of one request of the suite (connect, headers and body)."""
MAX_REPLY_BYTES = 8 * 1024 * 1024
"""Largest API reply body read (a status or result is a few hundred bytes)."""
MAX_OUTPUT_BYTES = 64 * 1024 * 1024
"""Largest output file fetched."""
MAX_TRANSIENT_RETRIES = 5
"""How many 429/503 answers in a row one request waits out before returning the last one."""
MAX_RETRY_AFTER = 30.0
"""The longest single wait a ``Retry-After`` may impose."""
DEFAULT_TRANSIENT_WAIT = 1.0
"""The wait after a 429/503 without a usable ``Retry-After``."""


def session_client(transport: httpx.BaseTransport | None) -> httpx.Client:
    """The suite's HTTP client: the given transport, else the network with total deadlines."""
    return httpx.Client(
        timeout=httpx.Timeout(30.0, connect=10.0),
        transport=transport or sync_transport(),
        follow_redirects=True,
    )


class AuthScheme(StrEnum):
    """How the API key is sent."""

    BEARER = "bearer"
    KEY = "key"


class Credentials(StrEnum):
    """Which credentials one request carries (the auth checks vary them)."""

    VALID = "valid"
    MISSING = "missing"
    WRONG = "wrong"


def authorization_header(scheme: AuthScheme, key: str) -> str:
    """Return the ``Authorization`` header value for ``key`` under ``scheme``."""
    return f"Bearer {key}" if scheme is AuthScheme.BEARER else f"Key {key}"


class RefusedURL(Exception):
    """A request the session would not send (its URL is outside the base URL, and it carries the key)."""


class BudgetExhausted(Exception):
    """Raised when a check would create more tasks than ``--max-tasks`` allows."""


@dataclass
class TaskBudget:
    """Counts created tasks against a cap (``None``: no cap). Thread-safe."""

    limit: int | None
    used: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self) -> None:
        """Reserve one task.

        Raises:
            BudgetExhausted: If the cap is reached.
        """
        with self._lock:
            if self.limit is not None and self.used >= self.limit:
                raise BudgetExhausted(f"--max-tasks {self.limit} reached")
            self.used += 1

    def give_back(self) -> None:
        """Release one reservation whose submit created no task."""
        with self._lock:
            self.used = max(0, self.used - 1)


@dataclass(frozen=True)
class Clock:
    """The run's notion of time: ``now`` in seconds and ``sleep``. Tests inject a fake one."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass
class ProviderSession:
    """Sends the suite's own requests to one provider and records them.

    Attributes:
        base_url: The provider's base URL (ends in ``/model`` on the real providers).
        api_key: The key sent with ``Credentials.VALID``.
        scheme: The auth scheme in use.
        client: The httpx client (its transport decides where requests go).
        budget: The task cap.
        clock: The run's clock.
        request_seconds: Total wall-clock budget of each request.
    """

    base_url: str
    api_key: str
    scheme: AuthScheme
    client: httpx.Client
    budget: TaskBudget
    clock: Clock = field(default_factory=Clock)
    request_seconds: float = REQUEST_SECONDS
    exchanges: list[Exchange] = field(default_factory=list)
    transient: list[Exchange] = field(default_factory=list)
    open_tasks: dict[str, str] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def redactor(self) -> Redactor:
        """A redactor for this session's key."""
        return Redactor((self.api_key,))

    def send(
        self,
        method: str,
        url: str,
        *,
        body: Any = None,
        credentials: Credentials = Credentials.VALID,
        scheme: AuthScheme | None = None,
        max_bytes: int = MAX_REPLY_BYTES,
        transient: list[Exchange] | None = None,
    ) -> Exchange:
        """Send one request and record the exchange; transport errors become exchanges too.

        The key goes to the base URL's origin and path only (as the wrapper does): a request with
        credentials to any other URL is not sent and becomes an error exchange. 429 and 503 are
        transient on every operation (contract §6 rev. 2): the session waits ``Retry-After`` (a
        default wait when absent or unparseable), asks again (a few times at most) and returns the
        first other answer. Submits are never repeated (that could create a second billed task).

        Args:
            method: The HTTP method.
            url: The absolute URL.
            body: A JSON body, or ``None``.
            credentials: Which credentials to send.
            scheme: The auth scheme for this request (default: the session's).
            max_bytes: The reply body's size cap.
            transient: Where to keep the 429/503 answers that were waited out (else the session's).

        Returns:
            The recorded exchange (``status_code`` is ``None`` when the request failed, ran out of
            ``request_seconds``, sent more than ``max_bytes`` or was refused), the key scrubbed from
            the reply.
        """
        exchange = self._send_once(method, url, body, credentials, scheme, max_bytes)
        if method.upper() == "POST":
            return exchange
        sink = self.transient if transient is None else transient
        for _attempt in range(MAX_TRANSIENT_RETRIES):
            if exchange.status_code not in TRANSIENT_STATUSES or self.stopping.is_set():
                break
            with self._lock:
                sink.append(exchange)
            asked = retry_after_seconds(exchange.response_headers.get("retry-after"))
            self.clock.sleep(min(asked if asked is not None else DEFAULT_TRANSIENT_WAIT, MAX_RETRY_AFTER))
            exchange = self._send_once(method, url, body, credentials, scheme, max_bytes)
        return exchange

    def _send_once(
        self,
        method: str,
        url: str,
        body: Any,
        credentials: Credentials,
        scheme: AuthScheme | None,
        max_bytes: int,
    ) -> Exchange:
        headers: dict[str, str] = {"accept": "application/json"}
        if credentials is not Credentials.MISSING and not same_origin_and_base(url, self.base_url):
            # A task URL elsewhere is the provider's finding (lifecycle.identity), never a reason to
            # send the key there.
            request = self.client.build_request(method, url, headers=headers, json=body)
            refused = RefusedURL(f"not sent: {url} is outside the base URL {self.base_url}")
            exchange = Exchange.from_error(request, refused, at=self.clock.now())
            with self._lock:
                self.exchanges.append(exchange)
            return exchange
        if credentials is not Credentials.MISSING:
            key = self.api_key if credentials is Credentials.VALID else WRONG_KEY
            headers["authorization"] = authorization_header(scheme or self.scheme, key)
        request = self.client.build_request(method, url, headers=headers, json=body)
        started = self.clock.now()
        scrub = Scrubber((self.api_key,))
        try:
            with total_deadline(self.request_seconds):
                response = self.client.send(request, stream=True)
                try:
                    content = read_capped(response, max_bytes, f"the reply to {method} {url}")
                finally:
                    response.close()
            exchange = Exchange.from_httpx(response, at=started, content=content).scrubbed(scrub)
        except (httpx.HTTPError, ResponseTooLarge) as error:
            exchange = Exchange.from_error(request, error, at=started).scrubbed(scrub)
        with self._lock:
            self.exchanges.append(exchange)
        return exchange

    def fetch_anonymous(self, url: str) -> Exchange:
        """GET a URL without any credentials (output files must not need the key)."""
        return self.send("GET", url, credentials=Credentials.MISSING, max_bytes=MAX_OUTPUT_BYTES)

    def submit(self, url: str, body: dict[str, Any]) -> Exchange:
        """Submit a task, counting it against the budget and remembering it while it is open.

        Raises:
            BudgetExhausted: If ``--max-tasks`` is reached.
        """
        if self.stopping.is_set():
            raise BudgetExhausted("the run is stopping")
        self.budget.take()
        exchange = self.send("POST", url, body=body)
        submitted = exchange.json_object()
        request_id = submitted.get("request_id")
        if exchange.status_code is not None and exchange.status_code < 300 and isinstance(request_id, str):
            cancel_url = submitted.get("cancel_url")
            if not isinstance(cancel_url, str) or not same_origin_and_base(cancel_url, self.base_url):
                # Building the URL from base + model + id is allowed (contract §2).
                cancel_url = f"{url.rstrip('/')}/requests/{request_id}/cancel"
            with self._lock:
                self.open_tasks[request_id] = cancel_url
        elif exchange.status_code is not None and exchange.status_code >= 400:
            self.budget.give_back()
        return exchange

    def mark_finished(self, request_id: str) -> None:
        """Forget a task that reached a terminal state."""
        with self._lock:
            self.open_tasks.pop(request_id, None)

    def cancel_open_tasks(self) -> list[str]:
        """Cancel every task this session created that is not known to be finished.

        Returns:
            The ids it asked to cancel.
        """
        with self._lock:
            pending = dict(self.open_tasks)
            self.open_tasks.clear()
        for cancel_url in pending.values():
            if cancel_url:
                self.send("PUT", cancel_url)
        return list(pending)
