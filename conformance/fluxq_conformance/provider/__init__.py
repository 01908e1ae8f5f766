"""fluxq's reference provider: a faithful, runnable simulation of a FLUX queue API.

Example:
    >>> import httpx
    >>> from fluxq_conformance.provider import FakeClock, ProviderConfig, create_app
    >>> clock = FakeClock()
    >>> app = create_app(ProviderConfig(clock=clock, sleep=clock.sleep))
    >>> client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://provider")

``app.state.provider`` holds ``.counters``, ``.clock`` and ``.config``. See
:mod:`fluxq_conformance.provider.planning` for the prompt markers that choose an outcome and
:mod:`fluxq_conformance.provider.bodies` for the HTTP status of each failure type.
"""

from fluxq_conformance.provider.app import ConnectionDropped, create_app
from fluxq_conformance.provider.clock import FakeClock
from fluxq_conformance.provider.config import (
    DEMO_API_KEY,
    Duration,
    FaultRates,
    ModelTiming,
    ProviderConfig,
    default_timings,
    same_timing,
)
from fluxq_conformance.provider.counters import Counters
from fluxq_conformance.provider.server import run_in_thread, serve_in_thread
from fluxq_conformance.provider.state import ProviderState

__all__ = [
    "DEMO_API_KEY",
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
