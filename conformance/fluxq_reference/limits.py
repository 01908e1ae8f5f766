"""Request-side limits of the reference provider: body size, and which key owns a task.

Kept apart from the app so that both formats (`fluxq_reference.app`, `fluxq_reference.generation`)
share them without importing each other.
"""

from __future__ import annotations

from starlette.requests import Request

from fluxq_reference.spec_facts import body_limit, default_generation_models


class BodyTooLarge(Exception):
    """A request body exceeded its limit."""


async def limited_body(request: Request, limit: int) -> bytes:
    """Read a request body of at most ``limit`` bytes, refusing early (``Content-Length``) or mid-stream.

    Raises:
        BodyTooLarge: The body is larger than ``limit``.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        parts.append(chunk)
    return b"".join(parts)


def generation_body_limit() -> int:
    """The largest create body any generation model can legitimately receive."""
    return max(body_limit(facts) for facts in default_generation_models().values())


def owner_of(request: Request) -> str:
    """The key the request was admitted with: tasks belong to it; other keys cannot see them."""
    owner: str = request.state.api_key
    return owner
