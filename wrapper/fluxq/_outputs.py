"""Typed results and their output files: ``bytes()``, ``save(path)``, ``save_all(dir)``.

Downloads use a separate plain HTTP client that never carries the API key, accept only http(s) URLs,
stream to a ``.part`` file and rename it when complete. Server-given file names are reduced to a
bare name (no directories), so a result cannot write outside the chosen directory.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import httpx

import fluxq_generation_models
import fluxq_models

from ._exceptions import APIConnectionError, APITimeoutError, FluxqError, MalformedResponse
from ._responses import api_error

PathInput = str | os.PathLike[str]


def download_url(item: fluxq_models.OutputItem) -> str:
    """Return an output's URL after checking it is http(s).

    Raises:
        MalformedResponse: For any other scheme (``file:``, ``data:``, ...).
    """
    url = str(item.url)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise MalformedResponse(f"refusing to download an output from a non-http(s) URL: {url[:80]!r}")
    return url


def output_filename(item: fluxq_models.OutputItem, request_id: str, index: int) -> str:
    """Return a safe file name for an output: the server's bare name, else ``<request_id>_<index><ext>``."""
    given = PurePosixPath((item.file_name or "").replace("\\", "/")).name
    if given and not given.startswith("."):
        return given
    extension = (
        mimetypes.guess_extension(item.content_type or "")
        or PurePosixPath(urlsplit(str(item.url)).path).suffix
    )
    safe_id = "".join(c if c.isalnum() or c in "-_" else "_" for c in request_id)
    return f"{safe_id}_{index}{extension}"


def _target(path: PathInput, default_name: str) -> Path:
    target = Path(path)
    return target / default_name if target.is_dir() else target


def _download_failure(exc: httpx.TransportError, url: str) -> FluxqError:
    message = f"download of {url[:120]} failed: {type(exc).__name__}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(message)
    return APIConnectionError(message)


@dataclass(frozen=True, slots=True)
class _OutputBase:
    item: fluxq_models.OutputItem
    request_id: str
    index: int

    @property
    def url(self) -> str:
        """Where the file is served (may expire)."""
        return str(self.item.url)

    @property
    def content_type(self) -> str | None:
        """The file's media type, when given."""
        return self.item.content_type

    @property
    def width(self) -> int | None:
        """Image width in pixels, when given."""
        return self.item.width

    @property
    def height(self) -> int | None:
        """Image height in pixels, when given."""
        return self.item.height

    @property
    def filename(self) -> str:
        """A safe file name for this output."""
        return output_filename(self.item, self.request_id, self.index)


@dataclass(frozen=True, slots=True)
class Output(_OutputBase):
    """One output file of a result (sync). ``item`` is the generated ``fluxq_models.OutputItem``."""

    downloader: httpx.Client

    def bytes(self) -> bytes:
        """Download the file into memory.

        Raises:
            MalformedResponse: The URL is not http(s).
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed.
        """
        url = download_url(self.item)
        try:
            response = self.downloader.get(url)
        except httpx.TransportError as exc:
            raise _download_failure(exc, url) from exc
        if response.status_code >= 400:
            raise api_error(response)
        return response.content

    def save(self, path: PathInput) -> Path:
        """Stream the file to ``path`` (a file, or a directory to save into under `filename`).

        Raises:
            MalformedResponse: The URL is not http(s).
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed.
            OSError: The file cannot be written.
        """
        url = download_url(self.item)
        target = _target(path, self.filename)
        partial = target.with_name(target.name + ".part")
        try:
            with self.downloader.stream("GET", url) as response:
                if response.status_code >= 400:
                    response.read()
                    raise api_error(response)
                with partial.open("wb") as file:
                    for chunk in response.iter_bytes():
                        file.write(chunk)
        except httpx.TransportError as exc:
            partial.unlink(missing_ok=True)
            raise _download_failure(exc, url) from exc
        partial.replace(target)
        return target


@dataclass(frozen=True, slots=True)
class AsyncOutput(_OutputBase):
    """One output file of a result (async). ``item`` is the generated ``fluxq_models.OutputItem``."""

    downloader: httpx.AsyncClient

    async def bytes(self) -> bytes:
        """Download the file into memory.

        Raises:
            MalformedResponse: The URL is not http(s).
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed.
        """
        url = download_url(self.item)
        try:
            response = await self.downloader.get(url)
        except httpx.TransportError as exc:
            raise _download_failure(exc, url) from exc
        if response.status_code >= 400:
            raise api_error(response)
        return response.content

    async def save(self, path: PathInput) -> Path:
        """Stream the file to ``path`` (a file, or a directory to save into under `filename`).

        Raises:
            MalformedResponse: The URL is not http(s).
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed.
            OSError: The file cannot be written.
        """
        url = download_url(self.item)
        target = _target(path, self.filename)
        partial = target.with_name(target.name + ".part")
        try:
            async with self.downloader.stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise api_error(response)
                with partial.open("wb") as file:
                    async for chunk in response.aiter_bytes():
                        file.write(chunk)
        except httpx.TransportError as exc:
            partial.unlink(missing_ok=True)
            raise _download_failure(exc, url) from exc
        partial.replace(target)
        return target


@dataclass(frozen=True, slots=True)
class _ResultBase:
    raw: fluxq_models.QueueResult

    @property
    def request_id(self) -> str:
        """The task's id."""
        return self.raw.request_id

    @property
    def metadata(self) -> dict[str, Any]:
        """Provider-defined metadata (for example the seed used)."""
        return dict(self.raw.metadata or {})


@dataclass(frozen=True, slots=True)
class Result(_ResultBase):
    """A successful task's result (sync): ``outputs`` in order, ``raw`` the generated ``QueueResult``.

    ``usage`` is what the provider billed (``usage.cost``, a USD string, and ``usage.discount``) when it
    reports it (the generation format does; the queue format does not: None).
    """

    outputs: tuple[Output, ...]
    usage: fluxq_generation_models.Usage | None = None

    @classmethod
    def build(
        cls,
        raw: fluxq_models.QueueResult,
        downloader: httpx.Client,
        usage: fluxq_generation_models.Usage | None = None,
    ) -> Result:
        """Wrap a validated result body."""
        return cls(
            raw,
            tuple(Output(item, raw.request_id, i, downloader) for i, item in enumerate(raw.outputs)),
            usage,
        )

    def save_all(self, directory: PathInput) -> list[Path]:
        """Save every output into ``directory`` (created if needed); return the paths in order.

        Raises:
            MalformedResponse: An output URL is not http(s).
            APIError: The file host answered an HTTP error.
            APIConnectionError: A download failed.
            OSError: A file cannot be written.
        """
        Path(directory).mkdir(parents=True, exist_ok=True)
        return [output.save(Path(directory) / output.filename) for output in self.outputs]


@dataclass(frozen=True, slots=True)
class AsyncResult(_ResultBase):
    """A successful task's result (async): ``outputs`` in order, ``raw`` the generated ``QueueResult``.

    ``usage`` is what the provider billed, when it reports it (see `Result`).
    """

    outputs: tuple[AsyncOutput, ...]
    usage: fluxq_generation_models.Usage | None = None

    @classmethod
    def build(
        cls,
        raw: fluxq_models.QueueResult,
        downloader: httpx.AsyncClient,
        usage: fluxq_generation_models.Usage | None = None,
    ) -> AsyncResult:
        """Wrap a validated result body."""
        outputs = tuple(
            AsyncOutput(item, raw.request_id, i, downloader) for i, item in enumerate(raw.outputs)
        )
        return cls(raw, outputs, usage)

    async def save_all(self, directory: PathInput) -> list[Path]:
        """Save every output into ``directory`` (created if needed); return the paths in order.

        Raises:
            MalformedResponse: An output URL is not http(s).
            APIError: The file host answered an HTTP error.
            APIConnectionError: A download failed.
            OSError: A file cannot be written.
        """
        Path(directory).mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - one mkdir; the downloads are awaited
        return [await output.save(Path(directory) / output.filename) for output in self.outputs]
