"""How the reference provider is configured: keys, workers, timings, faults, clock.

Everything random in the provider is drawn from generators seeded by ``ProviderConfig.seed``,
so two providers with the same configuration that receive the same requests behave the same.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from fluxq_reference.defaults import DEMO_API_KEY as DEMO_API_KEY

AuthScheme = Literal["bearer", "key"]
DistributionKind = Literal["fixed", "uniform", "lognormal"]


@dataclass(frozen=True)
class Duration:
    """A distribution of durations in seconds.

    Use the constructors: :meth:`fixed`, :meth:`uniform`, :meth:`lognormal`.

    Attributes:
        kind: ``fixed`` (always ``a``), ``uniform`` (between ``a`` and ``b``) or ``lognormal``
            (median ``a``, shape ``b``, capped at ``cap``).
        a: First parameter.
        b: Second parameter.
        cap: Upper bound applied to every draw.
    """

    kind: DistributionKind = "fixed"
    a: float = 0.0
    b: float = 0.0
    cap: float = math.inf

    @classmethod
    def fixed(cls, seconds: float) -> Duration:
        """Always ``seconds``."""
        return cls("fixed", seconds)

    @classmethod
    def uniform(cls, low: float, high: float) -> Duration:
        """Uniformly between ``low`` and ``high`` seconds."""
        return cls("uniform", low, high)

    @classmethod
    def lognormal(cls, median: float, sigma: float, cap: float = math.inf) -> Duration:
        """Log-normal with the given median (seconds) and shape ``sigma``, capped at ``cap``."""
        return cls("lognormal", median, sigma, cap)

    def draw(self, rng: random.Random) -> float:
        """Draw one duration (never negative, never above ``cap``)."""
        if self.kind == "fixed":
            value = self.a
        elif self.kind == "uniform":
            value = rng.uniform(self.a, self.b)
        else:
            value = self.a * math.exp(rng.gauss(0.0, self.b)) if self.a > 0 else 0.0
        return min(max(value, 0.0), self.cap)


@dataclass(frozen=True)
class ModelTiming:
    """How long a model's tasks wait in the queue and run.

    Attributes:
        queue: The minimum time a task waits before a worker may take it (the queue wait
            when workers are free; waiting for a busy worker comes on top).
        run: How long a task runs once a worker took it.
    """

    queue: Duration = field(default_factory=lambda: Duration.uniform(0.2, 1.0))
    run: Duration = field(default_factory=lambda: Duration.lognormal(5.0, 0.3, cap=30.0))

    @classmethod
    def zero(cls) -> ModelTiming:
        """No waiting and no running: for benchmarks and load generation."""
        return cls(Duration.fixed(0.0), Duration.fixed(0.0))

    @classmethod
    def fast(cls) -> ModelTiming:
        """Sub-second tasks, for demos (``fluxq serve --fast``)."""
        return cls(Duration.uniform(0.0, 0.2), Duration.uniform(0.3, 1.0))


def default_timings() -> dict[str, ModelTiming]:
    """Plausible timings per model (FLUX.2 [pro] is the slowest)."""
    return {
        "flux_kontext_pro": ModelTiming(Duration.uniform(0.2, 1.0), Duration.lognormal(5.0, 0.3, cap=30.0)),
        "flux_pro_11": ModelTiming(Duration.uniform(0.2, 1.0), Duration.lognormal(4.0, 0.3, cap=30.0)),
        "flux_2_pro": ModelTiming(Duration.uniform(0.5, 2.0), Duration.lognormal(9.0, 0.3, cap=60.0)),
    }


class _SameForEveryModel(Mapping[str, ModelTiming]):
    """A timings mapping that answers one timing for any model id (the spec's models are not listed)."""

    def __init__(self, timing: ModelTiming) -> None:
        self._timing = timing

    def __getitem__(self, model: str) -> ModelTiming:
        return self._timing

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def same_timing(timing: ModelTiming) -> Mapping[str, ModelTiming]:
    """The same timing for every model of the spec (e.g. ``same_timing(ModelTiming.zero())``)."""
    return _SameForEveryModel(timing)


@dataclass(frozen=True)
class FaultRates:
    """Request-level faults, each fired with its probability (drawn from the seeded generator).

    A fault replaces the normal handling of a request: the request has no other effect (a
    faulted submit creates no task). Faults apply to the twelve API operations only, never to
    output downloads.

    Attributes:
        rate_limit: 429 gateway error with ``Retry-After: retry_after`` seconds.
        server_error: 500, 502 or 503 gateway error (chosen by the same generator).
        slow: The request is answered normally after sleeping ``slow_seconds``.
        dropped_connection: The response starts, then the connection is dropped.
        malformed_body: 502 whose ``application/json`` body is cut in the middle.
        slow_seconds: How long a slow response sleeps.
        retry_after: The ``Retry-After`` value of a 429, in seconds.
    """

    rate_limit: float = 0.0
    server_error: float = 0.0
    slow: float = 0.0
    dropped_connection: float = 0.0
    malformed_body: float = 0.0
    slow_seconds: float = 2.0
    retry_after: int = 1

    def total(self) -> float:
        """The probability that some fault fires on a request."""
        return self.rate_limit + self.server_error + self.slow + self.dropped_connection + self.malformed_body


async def _asyncio_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class ProviderConfig:
    """Everything the reference provider can be told.

    Attributes:
        api_keys: Accepted API keys.
        auth_schemes: Accepted ``Authorization`` schemes: ``bearer`` (``Bearer K``) and/or ``key``
            (``Key K``).
        workers: Tasks that may run at once (over all models).
        timings: Per-model queue and run durations; models not listed use ``ModelTiming()``.
        seed: Seed of every random draw (durations, faults, image seeds).
        clock: Monotonic time in seconds (``FakeClock`` in tests).
        sleep: Async sleep used by slow-response faults (``FakeClock.sleep`` in tests).
        faults: Request-level fault injection.
        public_base_url: Base URL (ending in ``/model``) used in absolute URLs; by default it is
            derived from each request.
        max_megapixels: Largest FLUX.2 [pro] output; larger tasks are accepted at submit and
            fail with ``REQUEST_INVALID`` when a worker takes them.
        output_cache_bytes: Memory bound of the cache of rendered output images.
        max_tasks: Tasks remembered; beyond it the oldest finished tasks are forgotten (their
            ids then answer 404, like expired results), so a long load test stays bounded.
        max_body_bytes: Largest request body read, or ``None`` for the largest a model can legitimately
            receive (its image fields × 20 MB base64-encoded, plus 1 MiB); more answers 413 before the
            rest is read, so concurrent huge submits cannot exhaust memory.
    """

    api_keys: tuple[str, ...] = (DEMO_API_KEY,)
    auth_schemes: tuple[AuthScheme, ...] = ("bearer", "key")
    workers: int = 2
    timings: Mapping[str, ModelTiming] = field(default_factory=default_timings)
    seed: int = 0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep
    faults: FaultRates = FaultRates()
    public_base_url: str | None = None
    max_megapixels: float = 4.2
    output_cache_bytes: int = 64 * 1024 * 1024
    max_tasks: int = 200_000
    max_body_bytes: int | None = None

    def __post_init__(self) -> None:
        """Refuse configurations that cannot work.

        Raises:
            ValueError: If there are no workers, no room for tasks, no keys or no schemes, or if
                the fault rates add up to more than 1.
        """
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if self.max_tasks < 1:
            raise ValueError("max_tasks must be at least 1")
        if not self.api_keys or not self.auth_schemes:
            raise ValueError("at least one API key and one auth scheme are needed")
        if not 0.0 <= self.faults.total() <= 1.0:
            raise ValueError("fault rates must add up to a probability between 0 and 1")

    def timing_for(self, model: str) -> ModelTiming:
        """The timing of ``model`` (``ModelTiming()`` when not configured)."""
        return self.timings.get(model, ModelTiming())
