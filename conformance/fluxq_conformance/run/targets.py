"""Targets: where a run points — the built-in reference provider, any ASGI app, or a live base URL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fluxq_conformance.core.session import AuthScheme
from fluxq_reference import (
    DEMO_API_KEY,
    Duration,
    ModelTiming,
    ProviderConfig,
    create_app,
    same_timing,
)
from fluxq_reference.server import serve_in_thread

#: Short, fixed task durations so the default run is quick.
REFERENCE_TIMING = ModelTiming(queue=Duration.fixed(0.05), run=Duration.fixed(0.25))


@dataclass(frozen=True)
class Target:
    """A provider to judge.

    Attributes:
        label: What reports call it.
        base_url: The base URL (ends in ``/model`` on the real providers).
        api_key: The key (never shown in reports).
        scheme: The auth scheme, or ``None`` to detect it.
        live: Whether tasks cost money (caps apply, failures cannot be forced).
        markers: Whether the reference provider's prompt markers work here.
    """

    label: str
    base_url: str
    api_key: str
    scheme: AuthScheme | None = None
    live: bool = True
    markers: bool = False


def reference_config(**overrides: Any) -> ProviderConfig:
    """The reference provider configuration of a default run (fast tasks, enough workers)."""
    options: dict[str, Any] = {"timings": same_timing(REFERENCE_TIMING), "workers": 16, "seed": 0}
    options.update(overrides)
    return ProviderConfig(**options)


@contextlib.contextmanager
def app_target(app: Any, *, label: str = "reference", api_key: str = DEMO_API_KEY) -> Iterator[Target]:
    """Serve an ASGI app that behaves like the reference provider, on a loopback port.

    Yields:
        A non-live target with prompt markers enabled.

    Raises:
        RuntimeError: If the app cannot be served.
    """
    with serve_in_thread(app) as base_url:
        yield Target(label, base_url, api_key, live=False, markers=True)


@contextlib.contextmanager
def reference_target(config: ProviderConfig | None = None) -> Iterator[Target]:
    """Serve the built-in reference provider.

    Raises:
        RuntimeError: If it cannot be served.
    """
    with app_target(create_app(config or reference_config())) as target:
        yield target
