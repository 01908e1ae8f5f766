"""Serve an ASGI app on a loopback port in a background thread, keeping a handle on the app.

The reference provider's own ``run_in_thread`` builds its app inside and yields only the URL;
the benchmarks need the app itself to read ``app.state.provider.counters``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from fluxq_conformance.provider.server import LOOPBACK, free_port

STARTUP_TIMEOUT_S = 10.0
SHUTDOWN_TIMEOUT_S = 10.0


@contextlib.contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Serve ``app`` on ``127.0.0.1`` in a daemon thread; stop it on exit.

    Args:
        app: An ASGI application whose routes live under ``/model``.

    Yields:
        The base URL, ``http://127.0.0.1:PORT/model``.

    Raises:
        RuntimeError: If the server does not start within ten seconds.
    """
    port = free_port()
    config = uvicorn.Config(
        app, host=LOOPBACK, port=port, log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"bench-provider-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the provider did not start on {LOOPBACK}:{port}")
        time.sleep(0.01)
    try:
        yield f"http://{LOOPBACK}:{port}/model"
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT_S)
