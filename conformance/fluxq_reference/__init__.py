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

from fluxq_reference.app import ConnectionDropped, create_app
from fluxq_reference.clock import FakeClock
from fluxq_reference.config import (
    DEMO_API_KEY,
    Duration,
    FaultRates,
    ModelTiming,
    ProviderConfig,
    default_timings,
    same_timing,
)
from fluxq_reference.counters import Counters
from fluxq_reference.server import run_in_thread, serve_in_thread
from fluxq_reference.state import ProviderState

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
