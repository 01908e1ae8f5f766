"""fluxq's reference provider: a faithful, runnable simulation of a FLUX queue API.

Example:
    >>> import httpx
    >>> from fluxq_reference import FakeClock, ProviderConfig, create_app
    >>> clock = FakeClock()
    >>> app = create_app(ProviderConfig(clock=clock, sleep=clock.sleep))
    >>> client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://provider")

``app.state.provider`` holds ``.counters``, ``.clock`` and ``.config``. See
:mod:`fluxq_reference.planning` for the prompt markers that choose an outcome and
:mod:`fluxq_reference.bodies` for the HTTP status of each failure type.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names load on first use, so `fluxq serve --help` (which imports fluxq_reference.cli) stays fast.
_EXPORTS: dict[str, str] = {
    "ConnectionDropped": "app",
    "create_app": "app",
    "ClockStalled": "clock",
    "FakeClock": "clock",
    "DEMO_API_KEY": "defaults",
    "Duration": "config",
    "FaultRates": "config",
    "ModelTiming": "config",
    "ProviderConfig": "config",
    "default_timings": "config",
    "same_timing": "config",
    "Counters": "counters",
    "run_in_thread": "server",
    "serve_in_thread": "server",
    "ProviderState": "state",
}

if TYPE_CHECKING:
    from fluxq_reference.app import ConnectionDropped, create_app
    from fluxq_reference.clock import ClockStalled, FakeClock
    from fluxq_reference.config import (
        Duration,
        FaultRates,
        ModelTiming,
        ProviderConfig,
        default_timings,
        same_timing,
    )
    from fluxq_reference.counters import Counters
    from fluxq_reference.defaults import DEMO_API_KEY
    from fluxq_reference.server import run_in_thread, serve_in_thread
    from fluxq_reference.state import ProviderState


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fluxq_reference' has no attribute {name!r}")
    return getattr(importlib.import_module(f"fluxq_reference.{module}"), name)


__all__ = [
    "DEMO_API_KEY",
    "ClockStalled",
    "ConnectionDropped",
    "Counters",
    "Duration",
    "FakeClock",
    "FaultRates",
    "ModelTiming",
    "ProviderConfig",
    "ProviderState",
    "create_app",
    "default_timings",
    "run_in_thread",
    "same_timing",
    "serve_in_thread",
]
