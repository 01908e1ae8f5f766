"""Run a zero-time reference provider in its own process (``python -m benchmarks.provider_process``).

It serves with the provider's ``run_in_thread`` on a free loopback port, prints the base URL on
its first output line, and stops when its standard input closes (or after ``LIFETIME_S``), so a
client measured in another process owns its CPU alone.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIFETIME_S = 900.0
START_TIMEOUT_S = 30.0


def serve_until_stdin_closes(workers: int) -> None:
    """Serve a zero-time provider, print its URL, return when stdin closes or the lifetime ends."""
    from fluxq_reference import ModelTiming, ProviderConfig, run_in_thread, same_timing

    config = ProviderConfig(timings=same_timing(ModelTiming.zero()), workers=workers)
    stdin_closed = threading.Event()

    def watch_stdin() -> None:
        sys.stdin.read()
        stdin_closed.set()

    with run_in_thread(config) as base_url:
        print(base_url, flush=True)
        threading.Thread(target=watch_stdin, daemon=True).start()
        stdin_closed.wait(LIFETIME_S)


@contextlib.contextmanager
def provider_process(workers: int) -> Iterator[str]:
    """Start the provider process; yield its base URL; stop it on exit.

    Raises:
        RuntimeError: If the process does not print its URL.
    """
    args = [sys.executable, "-m", "benchmarks.provider_process", str(workers)]
    # S603: our own module, started with this interpreter; no shell, no outside input.
    process = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the provider process did not start (got {line!r})")
        yield line
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    serve_until_stdin_closes(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
