"""Typed results and their output files: ``bytes()``, ``save(path)``, ``save_all(dir)``.

Downloads (`fluxq._downloads`) use a separate HTTP client that never carries the API key, accept only
http(s) URLs on hosts the client may reach, and are capped in size and time. Server-given file names
are reduced to a bare name (no directories) without control characters or bidi marks, so a result can
neither write outside the chosen directory nor disguise a name on a terminal; `save_all` gives outputs
that share a name distinct names instead of overwriting one with another.
"""

from __future__ import annotations

import mimetypes
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import fluxq_generation_models
import fluxq_models

from ._downloads import AsyncDownloader, SyncDownloader
from ._exceptions import MalformedResponse

PathInput = str | os.PathLike[str]

_MAX_NAME_BYTES = 200
"""Longest file name kept (file systems allow 255 bytes; room is left for ``-N`` and ``.part``)."""


def download_url(item: fluxq_models.OutputItem) -> str:
    """Return an output's URL after checking it is http(s).

    Raises:
        MalformedResponse: For any other scheme (``file:``, ``data:``, ...).
    """
    url = str(item.url)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise MalformedResponse(f"refusing to download an output from a non-http(s) URL: {url[:80]!r}")
    return url


def _printable_name(name: str) -> str:
    """Drop controls (C0, C1, DEL, NUL), format characters (bidi marks, zero-width) and line separators."""
    kept = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    return kept.strip()


def _shorten(name: str) -> str:
    if len(name.encode()) <= _MAX_NAME_BYTES:
        return name
    stem, suffix = os.path.splitext(name)
    suffix = suffix if len(suffix.encode()) <= 16 else ""
    room = _MAX_NAME_BYTES - len(suffix.encode())
    return stem.encode()[:room].decode(errors="ignore") + suffix


def output_filename(item: fluxq_models.OutputItem, request_id: str, index: int) -> str:
    """Return a safe file name: the server's bare, printable name, else ``<request_id>_<index><ext>``."""
    given = _printable_name(PurePosixPath((item.file_name or "").replace("\\", "/")).name)
    if given and not given.startswith("."):
        return _shorten(given)
    guessed = mimetypes.guess_extension(item.content_type) if item.content_type else None
    extension = guessed or PurePosixPath(urlsplit(str(item.url)).path).suffix
    if not extension.isascii() or not extension[1:].isalnum():
        extension = ""
    # ASCII letters, digits and "-" are kept; anything else becomes "_" (so "_" stays "_").
    safe_id = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "_" for c in request_id)
    return _shorten(f"{safe_id}_{index}{extension}")


def distinct_names(names: list[str]) -> list[str]:
    """Return ``names`` with repeats renamed ``stem-2.ext``, ``stem-3.ext``, ... (distinct ignoring case)."""
    taken: set[str] = set()
    result: list[str] = []
    for name in names:
        candidate, number = name, 1
        stem, suffix = os.path.splitext(name)
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{stem}-{number}{suffix}"
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _target(path: PathInput, default_name: str) -> Path:
    target = Path(path)
    return target / default_name if target.is_dir() else target


#: Characters of an output URL a repr shows.
_URL_SHOWN = 80


@dataclass(frozen=True, slots=True, repr=False)
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

    def __repr__(self) -> str:
        # One line (the generated item and the downloader would span screens in a REPL).
        size = f", {self.width}×{self.height}" if self.width and self.height else ""
        kind = f", {self.content_type!r}" if self.content_type else ""
        url = self.url if len(self.url) <= _URL_SHOWN else self.url[: _URL_SHOWN - 1] + "…"
        return f"{type(self).__name__}(#{self.index}{kind}{size}, url={url!r})"


@dataclass(frozen=True, slots=True, repr=False)
class Output(_OutputBase):
    """One output file of a result (sync). ``item`` is the generated ``fluxq_models.OutputItem``."""

    downloader: SyncDownloader

    def bytes(self) -> bytes:
        """Download the file into memory (at most ``Limits.max_download_bytes``).

        Raises:
            MalformedResponse: The URL is not http(s).
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is larger than ``Limits.max_download_bytes``.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or ``Limits.download_seconds`` passed.
        """
        return self.downloader.fetch(download_url(self.item))

    def save(self, path: PathInput) -> Path:
        """Stream the file to ``path`` (a file, or a directory to save into under `filename`).

        Raises:
            MalformedResponse: The URL is not http(s).
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is larger than ``Limits.max_download_bytes``.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or ``Limits.download_seconds`` passed.
            OSError: The file cannot be written.
        """
        url = download_url(self.item)
        target = _target(path, self.filename)
        self.downloader.save(url, target)
        return target


@dataclass(frozen=True, slots=True, repr=False)
class AsyncOutput(_OutputBase):
    """One output file of a result (async). ``item`` is the generated ``fluxq_models.OutputItem``."""

    downloader: AsyncDownloader

    async def bytes(self) -> bytes:
        """Download the file into memory; see `Output.bytes`.

        Raises:
            MalformedResponse: The URL is not http(s).
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is larger than ``Limits.max_download_bytes``.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or ``Limits.download_seconds`` passed.
        """
        return await self.downloader.fetch(download_url(self.item))

    async def save(self, path: PathInput) -> Path:
        """Stream the file to ``path``; see `Output.save`.

        Raises:
            MalformedResponse: The URL is not http(s).
            DownloadRefused: The URL (or a redirect) is on an internal host.
            ResponseTooLarge: The file is larger than ``Limits.max_download_bytes``.
            APIError: The file host answered an HTTP error.
            APIConnectionError: The download failed or ``Limits.download_seconds`` passed.
            OSError: The file cannot be written.
        """
        url = download_url(self.item)
        target = _target(path, self.filename)
        await self.downloader.save(url, target)
        return target


@dataclass(frozen=True, slots=True, repr=False)
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

    def __repr__(self) -> str:
        outputs: tuple[_OutputBase, ...] = getattr(self, "outputs", ())
        usage = getattr(self, "usage", None)
        cost = f", cost={usage.cost!r}" if usage is not None else ""
        return f"{type(self).__name__}(request_id={self.request_id!r}, outputs={list(outputs)!r}{cost})"


@dataclass(frozen=True, slots=True, repr=False)
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
        downloader: SyncDownloader,
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

        Outputs that share a file name are saved as ``name.png``, ``name-2.png``, ...

        Raises:
            MalformedResponse: An output URL is not http(s).
            DownloadRefused: An output URL is on an internal host.
            ResponseTooLarge: A file is larger than ``Limits.max_download_bytes``.
            APIError: The file host answered an HTTP error.
            APIConnectionError: A download failed.
            OSError: A file cannot be written.
        """
        Path(directory).mkdir(parents=True, exist_ok=True)
        names = distinct_names([output.filename for output in self.outputs])
        return [output.save(Path(directory) / name) for output, name in zip(self.outputs, names, strict=True)]


@dataclass(frozen=True, slots=True, repr=False)
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
        downloader: AsyncDownloader,
        usage: fluxq_generation_models.Usage | None = None,
    ) -> AsyncResult:
        """Wrap a validated result body."""
        outputs = tuple(
            AsyncOutput(item, raw.request_id, i, downloader) for i, item in enumerate(raw.outputs)
        )
        return cls(raw, outputs, usage)

    async def save_all(self, directory: PathInput) -> list[Path]:
        """Save every output into ``directory`` (created if needed); return the paths in order.

        Outputs that share a file name are saved as ``name.png``, ``name-2.png``, ...

        Raises:
            MalformedResponse: An output URL is not http(s).
            DownloadRefused: An output URL is on an internal host.
            ResponseTooLarge: A file is larger than ``Limits.max_download_bytes``.
            APIError: The file host answered an HTTP error.
            APIConnectionError: A download failed.
            OSError: A file cannot be written.
        """
        Path(directory).mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - one mkdir; the downloads are awaited
        names = distinct_names([output.filename for output in self.outputs])
        pairs = zip(self.outputs, names, strict=True)
        return [await output.save(Path(directory) / name) for output, name in pairs]
