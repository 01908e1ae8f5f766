"""Client settings: providers, API key, auth scheme, API format, timeouts — resolved once, never printed.

The API key comes from the ``api_key`` argument or the ``FLUXQ_API_KEY`` environment variable; the
base URL from ``base_url``, ``provider``, or ``FLUXQ_BASE_URL`` (default: the SeaCloud preset); the
API format from ``protocol``, the provider preset's format, or ``FLUXQ_PROTOCOL`` (default ``queue``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Literal

import httpx

from ._arguments import check_seconds
from ._exceptions import ValidationError
from ._providers import PROVIDERS
from ._secrets import clean_api_key

PROVIDER_PROTOCOLS: dict[str, str] = {"seacloud": "queue", "odirouter": "queue"}
"""Provider presets: name → the API format they serve (both serve the queue format, contract §1)."""

PROTOCOL_NAMES = ("queue", "generation")
"""The API formats: ``queue`` (contract §2) and ``generation`` (seed 003, contract §7)."""

AUTH_PREFIXES: dict[str, str] = {"bearer": "Bearer", "key": "Key"}
"""Auth scheme → ``Authorization`` prefix (SeaCloud accepts both, OdiRouter ``Bearer``)."""

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
"""Per-request timeout: 10 s to connect, 60 s for each read, write and pool wait."""

DEFAULT_WAIT_TIMEOUT = 600.0
"""Total deadline of a wait when none is given (``math.inf`` waits forever)."""

Provider = Literal["seacloud", "odirouter"]
AuthScheme = Literal["bearer", "key"]
ProtocolName = Literal["queue", "generation"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved client settings. ``repr`` hides the API key.

    Attributes:
        base_url: The API's base URL (ends in ``/model`` for the real providers).
        api_key: The secret key (excluded from ``repr``).
        auth: ``"bearer"`` or ``"key"``.
        timeout: Per-request timeout.
        protocol: The API format, ``"queue"`` or ``"generation"``.
    """

    base_url: str
    api_key: str = field(repr=False)
    auth: AuthScheme
    timeout: httpx.Timeout
    protocol: ProtocolName = "queue"

    @property
    def auth_prefix(self) -> str:
        """The ``Authorization`` header's scheme word."""
        return AUTH_PREFIXES[self.auth]


def resolve_base_url(base_url: str | None, provider: str | None) -> tuple[str, str]:
    """The base URL a client uses, and where it came from.

    Order: an explicit ``base_url``, then the ``provider`` preset, then ``FLUXQ_BASE_URL``, then the
    SeaCloud preset (``"default"``: worth saying, since nobody chose it).

    Returns:
        ``(url, source)`` with source ``"base_url"``, ``"provider"``, ``"FLUXQ_BASE_URL"`` or ``"default"``.
    """
    if base_url:
        return base_url, "base_url"
    if provider and provider in PROVIDERS:
        return PROVIDERS[provider], "provider"
    from_env = os.environ.get("FLUXQ_BASE_URL")
    if from_env:
        return from_env, "FLUXQ_BASE_URL"
    return PROVIDERS["seacloud"], "default"


def resolve_settings(
    *,
    api_key: str | None,
    provider: str | None,
    base_url: str | None,
    auth: str,
    timeout: float | httpx.Timeout | None,
    protocol: str | None = None,
) -> Settings:
    """Resolve arguments and environment into `Settings`.

    Args:
        api_key: The key, or None to read ``FLUXQ_API_KEY``.
        provider: ``"seacloud"`` or ``"odirouter"``, or None.
        base_url: An explicit base URL (wins over ``provider``), or None.
        auth: ``"bearer"`` or ``"key"``.
        timeout: Seconds (every phase), an ``httpx.Timeout``, or None for the default.
        protocol: ``"queue"`` or ``"generation"``, or None for the provider preset's format, else
            ``FLUXQ_PROTOCOL``, else ``"queue"``.

    Raises:
        ValidationError: No API key, a key a header cannot carry, an unknown provider, auth scheme or
            protocol, a base URL that is not http(s), or a timeout that is not a positive number.
    """
    if api_key is not None:
        key = clean_api_key(api_key, "api_key")
    else:
        key = clean_api_key(os.environ.get("FLUXQ_API_KEY", ""), "FLUXQ_API_KEY")
    if provider is not None and provider not in PROVIDERS:
        raise ValidationError(
            [f"provider: must be one of {', '.join(PROVIDERS)} (got {provider!r})"], "provider"
        )
    if auth not in AUTH_PREFIXES:
        raise ValidationError([f"auth: must be one of {', '.join(AUTH_PREFIXES)} (got {auth!r})"], "auth")
    url, _source = resolve_base_url(base_url, provider)
    if not url.lower().startswith(("http://", "https://")):
        raise ValidationError([f"base_url: must be an http(s) URL (got {url!r})"], "base_url")
    chosen = (
        protocol
        or (PROVIDER_PROTOCOLS[provider] if provider else os.environ.get("FLUXQ_PROTOCOL"))
        or "queue"
    )
    if chosen not in PROTOCOL_NAMES:
        raise ValidationError(
            [f"protocol: must be one of {', '.join(PROTOCOL_NAMES)} (got {chosen!r})"], "protocol"
        )
    if isinstance(timeout, int | float):
        check_seconds("timeout", timeout)
    resolved_timeout = DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout)
    return Settings(url.rstrip("/"), key, auth, resolved_timeout, chosen)  # type: ignore[arg-type]  # checked above
