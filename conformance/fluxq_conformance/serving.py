"""Serve any ASGI app on an ephemeral ``127.0.0.1`` port in a background thread.

The runner serves the reference provider (or a test's wrapped variant of it) this way, because
schemathesis and the output downloads need a real socket. The server stops when the context exits.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

LOOPBACK = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 10.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serve_app(app: Any, base_path: str = "/model") -> Iterator[str]:
    """Serve ``app`` on a free loopback port until the context exits.

    Args:
        app: An ASGI application.
        base_path: The path the API lives under.

    Yields:
        The base URL, e.g. ``http://127.0.0.1:PORT/model``.

    Raises:
        RuntimeError: If the server does not start within 10 seconds.
    """
    port = _free_port()
    config = uvicorn.Config(
        app, host=LOOPBACK, port=port, log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"fluxq-conformance-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the app did not start on {LOOPBACK}:{port}")
        time.sleep(0.01)
    try:
        yield f"http://{LOOPBACK}:{port}{base_path}"
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT_SECONDS)
