"""Run the provider on a real loopback port, in a background thread (tests, benchmarks, CLI)."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from fluxq_reference.app import PREFIX, create_app
from fluxq_reference.config import ProviderConfig

LOOPBACK = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 10.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0


class _DropInvalidRequestWarnings(logging.Filter):
    """Drops uvicorn's ``Invalid HTTP request received.`` warnings.

    uvicorn has already answered such a request with 400; the conformance suite sends malformed
    requests on purpose, so on both terminals (``fluxq serve`` and the suite's) the warning is noise
    that hides what matters.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Invalid HTTP request received")


def quiet_invalid_requests() -> None:
    """Install the filter on uvicorn's error logger (idempotent; call after ``uvicorn.Config``,
    which reconfigures logging)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(item, _DropInvalidRequestWarnings) for item in logger.filters):
        logger.addFilter(_DropInvalidRequestWarnings())


def free_port(host: str = LOOPBACK) -> int:
    """A port that was free a moment ago on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serve_in_thread(app: Any, port: int = 0, base_path: str = PREFIX) -> Iterator[str]:
    """Serve any ASGI app on ``127.0.0.1`` in a daemon thread; stop it on exit.

    Args:
        app: The ASGI app (e.g. a provider built with ``create_app`` whose counters you read).
        port: The port; 0 picks a free one.
        base_path: The path the API lives under.

    Yields:
        The base URL, ``http://127.0.0.1:PORT/model``.

    Raises:
        RuntimeError: If the server does not start within 10 seconds.
    """
    chosen = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host=LOOPBACK, port=chosen, log_level="warning", lifespan="off", access_log=False)
    )
    quiet_invalid_requests()
    thread = threading.Thread(target=server.run, name=f"fluxq-provider-{chosen}", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the provider did not start on {LOOPBACK}:{chosen}")
        time.sleep(0.01)
    try:
        yield f"http://{LOOPBACK}:{chosen}{base_path}"
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT_SECONDS)


@contextlib.contextmanager
def run_in_thread(config: ProviderConfig | None = None, port: int = 0) -> Iterator[str]:
    """Serve a new reference provider on ``127.0.0.1`` in a daemon thread; stop it on exit.

    Args:
        config: The provider configuration (``ProviderConfig()`` when omitted).
        port: The port; 0 picks a free one.

    Yields:
        The base URL, ``http://127.0.0.1:PORT/model``.

    Raises:
        RuntimeError: If the server does not start within 10 seconds.
    """
    with serve_in_thread(create_app(config), port) as base_url:
        yield base_url
