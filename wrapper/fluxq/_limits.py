"""Documented caps on what a server can make fluxq wait for or hold in memory.

A client keeps one `Limits`: reply bodies of the API are read up to `max_json_bytes` (a status or result
is a few hundred bytes; 4 MiB leaves room for long logs), output downloads up to
`max_download_bytes`, each checked while streaming — an endless or huge body is cut off, never
buffered first. Every API request is bounded by `request_seconds` of wall-clock time (connect, headers
and body together; a wait's own deadline shortens it), every download by `download_seconds`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._arguments import check_count, check_seconds

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps on reply sizes and request durations.

    Attributes:
        max_json_bytes: Largest API reply body read (default 4 MiB); more is `ResponseTooLarge`.
        max_download_bytes: Largest output file downloaded (default 256 MiB); more is `ResponseTooLarge`.
        request_seconds: Total wall-clock budget of one API request (default 120 s).
        download_seconds: Total wall-clock budget of one output download (default 300 s).
    """

    max_json_bytes: int = 4 * MiB
    max_download_bytes: int = 256 * MiB
    request_seconds: float = 120.0
    download_seconds: float = 300.0

    def __post_init__(self) -> None:
        """Check the values.

        Raises:
            ValidationError: A size that is not a positive integer, or a duration that is not positive.
        """
        check_count("max_json_bytes", self.max_json_bytes, minimum=1)
        check_count("max_download_bytes", self.max_download_bytes, minimum=1)
        check_seconds("request_seconds", self.request_seconds)
        check_seconds("download_seconds", self.download_seconds)
