"""What the generated per-model layer (`_generated_models`) builds on: accessor bases and wait options.

``client.flux_pro_11.submit(prompt=..., width=...)`` is a generated accessor class: it only spells
the model's typed parameters and forwards to the one implementation, `Client.submit` / `Client.run`
(and their async twins), so the per-model calls can never drift from the generic ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, Self, TypedDict, TypeVar, overload

from ._status import EventHandler

if TYPE_CHECKING:
    from ._client import AsyncClient, Client

_Accessor = TypeVar("_Accessor")


class WaitOptions(TypedDict, total=False):
    """The keyword options of `Client.run` / `AsyncClient.run` besides the model's parameters.

    They are `Job.wait`'s options; the per-model ``run`` accepts them too (a test keeps the three
    signatures equal).
    """

    timeout: float | None
    """Total deadline of the wait in seconds (None: the client's ``wait_timeout``; ``math.inf``: none)."""
    on_update: EventHandler | None
    """Called with each new status event."""
    poll_interval: float | None
    """A fixed interval instead of the adaptive policy."""
    cancel_on_timeout: bool
    """Ask to cancel the task when the deadline passes."""
    cancel_on_interrupt: bool
    """Send a best-effort cancel on ``KeyboardInterrupt``."""


class ParameterDoc(NamedTuple):
    """One parameter of a model as the spec documents it (for ``fluxq models`` and the CLI help).

    Attributes:
        name: The parameter name.
        type: ``str``, ``int``, ``float``, ``bool`` or ``image`` (any `ImageInput`).
        required: Whether the spec requires it.
        rules: Its constraints in words (range, multiple, options, length), or ''.
        default: The spec's default as JSON, or ''.
        description: The spec's description.
    """

    name: str
    type: str
    required: bool
    rules: str
    default: str
    description: str


class ModelAccessor:
    """Base of the generated sync accessors: one model on a `Client`."""

    model: ClassVar[str] = ""

    def __init__(self, client: Client) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<fluxq model {self.model}>"


class AsyncModelAccessor:
    """Base of the generated async accessors: one model on an `AsyncClient`."""

    model: ClassVar[str] = ""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<fluxq model {self.model} (async)>"


class accessor(Generic[_Accessor]):  # lower case: used the way `property` is
    """A client attribute that builds its model accessor on first use (then caches it on the client)."""

    def __init__(self, factory: Callable[[Any], _Accessor]) -> None:
        self._factory = factory
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _Accessor: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Self | _Accessor:
        if instance is None:
            return self
        value = self._factory(instance)
        vars(instance)[self._name] = value  # later reads find the instance attribute first
        return value
