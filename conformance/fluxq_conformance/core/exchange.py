"""Recorded HTTP exchanges, secret redaction and curl lines.

An :class:`Exchange` is what the lifecycle, output and auth checks judge, and what the cassette
replay rebuilds from recordings; :func:`reproduce` turns one into a report's
:class:`~fluxq_conformance.core.results.Reproduction` with every secret replaced by ``$FLUXQ_API_KEY``.
"""

from __future__ import annotations

import datetime
import io
import json
import shlex
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from fluxq._secrets import Scrubber
from fluxq_conformance.core.results import Reproduction

KEY_PLACEHOLDER = "$FLUXQ_API_KEY"
MAX_BODY_CHARS = 4000
_TEXT_TYPES = ("json", "text", "xml", "html", "x-www-form-urlencoded")


#: Shorter secrets are refused: replacing "abc" everywhere would corrupt JSON and curl lines.
MIN_SECRET_LENGTH = 8


@dataclass(frozen=True)
class Redactor:
    """Replaces every secret by ``$FLUXQ_API_KEY``, value by value (headers, URLs, bodies, messages)
    before anything is serialised — never over a finished document.

    Raises:
        ValueError: If a secret is shorter than :data:`MIN_SECRET_LENGTH` characters.
    """

    secrets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for secret in self.secrets:
            if secret and len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"an API key shorter than {MIN_SECRET_LENGTH} characters cannot be redacted safely"
                )

    def __call__(self, text: str) -> str:
        """Return ``text`` with every secret replaced."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, KEY_PLACEHOLDER)
        return text

    def tree(self, value: Any) -> Any:
        """Return a JSON-like value with every string in it redacted (keys included)."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {self(str(key)): self.tree(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.tree(item) for item in value]
        return value


@dataclass(frozen=True)
class Exchange:
    """One request and its response (or the transport error that replaced it).

    Attributes:
        method: Upper-case HTTP method.
        url: The full request URL.
        request_headers: Request headers (may hold the key; redact before showing).
        request_body: The request body bytes, or ``None``.
        status_code: The response status, or ``None`` when the request failed.
        response_headers: Response headers (lower-case names).
        content: The response body bytes.
        error: The transport error text when there was no response.
        at: When the request was sent, on the run's clock (seconds).
    """

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes | None
    status_code: int | None
    response_headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    error: str | None = None
    at: float = 0.0

    @classmethod
    def from_httpx(
        cls, response: httpx.Response, *, at: float = 0.0, content: bytes | None = None
    ) -> Exchange:
        """Build an exchange from an httpx response (whose body was read, or is given as ``content``)."""
        request = response.request
        return cls(
            method=request.method.upper(),
            url=str(request.url),
            request_headers={name.lower(): value for name, value in request.headers.items()},
            request_body=request.content or None,
            status_code=response.status_code,
            response_headers={name.lower(): value for name, value in response.headers.items()},
            content=response.content if content is None else content,
            at=at,
        )

    @classmethod
    def from_error(cls, request: httpx.Request, error: Exception, *, at: float = 0.0) -> Exchange:
        """Build an exchange for a request that got no response."""
        return cls(
            method=request.method.upper(),
            url=str(request.url),
            request_headers={name.lower(): value for name, value in request.headers.items()},
            request_body=request.content or None,
            status_code=None,
            error=f"{type(error).__name__}: {error}",
            at=at,
        )

    def scrubbed(self, scrub: Scrubber) -> Exchange:
        """Return this exchange with the secrets removed from what the server sent (body, headers, error).

        The request side keeps the key: reproductions replace it by ``$FLUXQ_API_KEY`` when shown.
        """
        return replace(
            self,
            response_headers={name: scrub.text(value) for name, value in self.response_headers.items()},
            content=scrub.data(self.content),
            error=None if self.error is None else scrub.text(self.error),
        )

    @property
    def content_type(self) -> str:
        """The response's media type without parameters, lower case ('' when absent)."""
        return self.response_headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        """Return the decoded JSON body, or ``None`` when the body is not JSON."""
        if not self.content:
            return None
        try:
            return json.loads(self.content)
        except ValueError:
            return None

    def json_object(self) -> dict[str, Any]:
        """Return the JSON body when it is an object, else an empty dict."""
        body = self.json()
        return body if isinstance(body, dict) else {}

    def request_json(self) -> Any:
        """Return the decoded JSON request body, or ``None``."""
        if not self.request_body:
            return None
        try:
            return json.loads(self.request_body)
        except ValueError:
            return None

    def to_httpx(self) -> httpx.Response:
        """Rebuild an httpx response (for schema validation).

        Raises:
            ValueError: If the exchange has no response.
        """
        if self.status_code is None:
            raise ValueError("the exchange has no response")
        request = httpx.Request(
            self.method, self.url, headers=self.request_headers, content=self.request_body
        )
        # ``content`` is already decoded: keeping content-encoding (gzip, br, ...) would make httpx
        # decode it a second time, and content-length would describe the encoded size.
        headers = {
            name: value
            for name, value in self.response_headers.items()
            if name not in ("content-encoding", "content-length", "transfer-encoding")
        }
        response = httpx.Response(self.status_code, headers=headers, content=self.content, request=request)
        response.elapsed = datetime.timedelta(0)
        return response


def _pixel_size(content: bytes) -> tuple[int, int] | None:
    """An image's width and height, or ``None`` when Pillow cannot read it (or is not installed)."""
    try:
        from PIL import Image  # the conformance extra's dependency; the core works without it
    except ImportError:
        return None
    try:
        with Image.open(io.BytesIO(content)) as image:
            return image.width, image.height
    except Exception:  # any undecodable payload is simply shown without a size
        return None


def describe_body(content: bytes | None, content_type: str) -> str | None:
    """Return a printable body: text as is (truncated), binary as a one-line summary."""
    if not content:
        return None
    if content_type and not any(kind in content_type for kind in _TEXT_TYPES):
        size = _pixel_size(content) if content_type.startswith("image/") else None
        shown = f", {size[0]}×{size[1]} pixels" if size else ""
        return f"<{len(content)} bytes of {content_type}{shown}>"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return f"<{len(content)} bytes of binary data>"
    if len(text) > MAX_BODY_CHARS:
        return text[:MAX_BODY_CHARS] + f"… ({len(text) - MAX_BODY_CHARS} more characters)"
    return text


def to_curl(exchange: Exchange, redact: Redactor) -> str:
    """Return a curl command line that repeats the request, the key replaced by ``$FLUXQ_API_KEY``."""
    parts = ["curl", "-X", exchange.method, shlex.quote(redact(exchange.url))]
    for name, value in exchange.request_headers.items():
        if name in ("host", "content-length", "accept-encoding", "connection", "user-agent", "accept"):
            continue
        shown = redact(value)
        header = f"{name}: {shown}"
        # Double quotes so that the shell expands $FLUXQ_API_KEY; everything else the shell would
        # read inside them (\\, ", `, any other $) is escaped, so it reaches curl as it was sent.
        if KEY_PLACEHOLDER in shown:
            escaped = header.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
            parts += ["-H", '"' + escaped.replace("\\" + KEY_PLACEHOLDER, KEY_PLACEHOLDER) + '"']
        else:
            parts += ["-H", shlex.quote(header)]
    if exchange.request_body:
        body = describe_body(exchange.request_body, exchange.request_headers.get("content-type", "text"))
        parts += ["--data", shlex.quote(redact(body or ""))]
    return " ".join(parts)


def reproduce(exchange: Exchange, redact: Redactor) -> Reproduction:
    """Turn an exchange into a report reproduction, every secret redacted."""
    request_type = exchange.request_headers.get("content-type", "text")
    body = describe_body(exchange.content, exchange.content_type or "text")
    if exchange.error is not None:
        body = exchange.error
    return Reproduction(
        method=exchange.method,
        url=redact(exchange.url),
        request_headers={name: redact(value) for name, value in exchange.request_headers.items()},
        request_body=redact(describe_body(exchange.request_body, request_type) or "") or None,
        status_code=exchange.status_code,
        response_headers={name: redact(value) for name, value in exchange.response_headers.items()},
        response_body=redact(body) if body is not None else None,
        curl=to_curl(exchange, redact),
    )
