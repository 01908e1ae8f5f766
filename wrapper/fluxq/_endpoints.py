"""Per-model accessors with typed parameters: ``client.flux_pro_11.submit(prompt=..., width=...)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from ._drive import EventHandler
from ._types import Flux2ProParams, FluxKontextProParams, FluxPro11Params

if TYPE_CHECKING:
    from ._client import AsyncClient, Client
    from ._job import AsyncJob, Job
    from ._outputs import AsyncResult, Result


class _Sync:
    model = ""

    def __init__(self, client: Client) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<fluxq model {self.model}>"


class _Async:
    model = ""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<fluxq model {self.model} (async)>"


class FluxKontextPro(_Sync):
    """FLUX.1 Kontext [pro] on a sync client."""

    model = "flux_kontext_pro"

    def submit(self, **params: Unpack[FluxKontextProParams]) -> Job:
        """Validate and submit a task; see `Client.submit` (raises the same errors)."""
        return self._client.submit(self.model, params)

    def run(
        self,
        *,
        timeout: float | None = None,
        on_update: EventHandler | None = None,
        **params: Unpack[FluxKontextProParams],
    ) -> Result:
        """Submit, wait and return the result; see `Client.run` (raises the same errors)."""
        return self._client.run(self.model, params, timeout=timeout, on_update=on_update)


class FluxPro11(_Sync):
    """FLUX 1.1 [pro] on a sync client."""

    model = "flux_pro_11"

    def submit(self, **params: Unpack[FluxPro11Params]) -> Job:
        """Validate and submit a task; see `Client.submit` (raises the same errors)."""
        return self._client.submit(self.model, params)

    def run(
        self,
        *,
        timeout: float | None = None,
        on_update: EventHandler | None = None,
        **params: Unpack[FluxPro11Params],
    ) -> Result:
        """Submit, wait and return the result; see `Client.run` (raises the same errors)."""
        return self._client.run(self.model, params, timeout=timeout, on_update=on_update)


class Flux2Pro(_Sync):
    """FLUX.2 [pro] on a sync client."""

    model = "flux_2_pro"

    def submit(self, **params: Unpack[Flux2ProParams]) -> Job:
        """Validate and submit a task; see `Client.submit` (raises the same errors)."""
        return self._client.submit(self.model, params)

    def run(
        self,
        *,
        timeout: float | None = None,
        on_update: EventHandler | None = None,
        **params: Unpack[Flux2ProParams],
    ) -> Result:
        """Submit, wait and return the result; see `Client.run` (raises the same errors)."""
        return self._client.run(self.model, params, timeout=timeout, on_update=on_update)


class AsyncFluxKontextPro(_Async):
    """FLUX.1 Kontext [pro] on an async client."""

    model = "flux_kontext_pro"

    async def submit(self, **params: Unpack[FluxKontextProParams]) -> AsyncJob:
        """Validate and submit a task; see `AsyncClient.submit` (raises the same errors)."""
        return await self._client.submit(self.model, params)

    async def run(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - a total deadline, the same argument as the sync method
        on_update: EventHandler | None = None,
        **params: Unpack[FluxKontextProParams],
    ) -> AsyncResult:
        """Submit, wait and return the result; see `AsyncClient.run` (raises the same errors)."""
        return await self._client.run(self.model, params, timeout=timeout, on_update=on_update)


class AsyncFluxPro11(_Async):
    """FLUX 1.1 [pro] on an async client."""

    model = "flux_pro_11"

    async def submit(self, **params: Unpack[FluxPro11Params]) -> AsyncJob:
        """Validate and submit a task; see `AsyncClient.submit` (raises the same errors)."""
        return await self._client.submit(self.model, params)

    async def run(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - a total deadline, the same argument as the sync method
        on_update: EventHandler | None = None,
        **params: Unpack[FluxPro11Params],
    ) -> AsyncResult:
        """Submit, wait and return the result; see `AsyncClient.run` (raises the same errors)."""
        return await self._client.run(self.model, params, timeout=timeout, on_update=on_update)


class AsyncFlux2Pro(_Async):
    """FLUX.2 [pro] on an async client."""

    model = "flux_2_pro"

    async def submit(self, **params: Unpack[Flux2ProParams]) -> AsyncJob:
        """Validate and submit a task; see `AsyncClient.submit` (raises the same errors)."""
        return await self._client.submit(self.model, params)

    async def run(
        self,
        *,
        timeout: float | None = None,  # noqa: ASYNC109 - a total deadline, the same argument as the sync method
        on_update: EventHandler | None = None,
        **params: Unpack[Flux2ProParams],
    ) -> AsyncResult:
        """Submit, wait and return the result; see `AsyncClient.run` (raises the same errors)."""
        return await self._client.run(self.model, params, timeout=timeout, on_update=on_update)
