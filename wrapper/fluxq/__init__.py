"""fluxq: a typed client for the FLUX queue APIs (SeaCloud, OdiRouter).

Quick start::

    import fluxq

    with fluxq.Client(api_key="...", provider="odirouter") as client:
        result = client.flux_pro_11.run(prompt="a red apple on a white table", width=1024, height=768)
        result.save_all("out")

Names are loaded on first use, so ``import fluxq`` (and the ``fluxq --help`` CLI) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import _generated_models

_EXPORTS: dict[str, str] = {
    # clients and handles
    "Client": "_client",
    "AsyncClient": "_client",
    "Job": "_job",
    "AsyncJob": "_job",
    "Result": "_outputs",
    "AsyncResult": "_outputs",
    "Output": "_outputs",
    "AsyncOutput": "_outputs",
    # status events
    "Queued": "_status",
    "InProgress": "_status",
    "Completed": "_status",
    "StatusEvent": "_status",
    # policies and settings
    "PollPolicy": "_polling",
    "RetryPolicy": "_retry",
    "PROVIDERS": "_providers",
    "DEFAULT_TIMEOUT": "_config",
    "DEFAULT_WAIT_TIMEOUT": "_config",
    "Limits": "_limits",
    "MAX_IMAGE_BYTES": "_images",
    "model_id": "_params",
    # batches
    "BatchReport": "_batch_report",
    "BatchProgress": "_batch_report",
    "JournalError": "_exceptions",
    "ImageInput": "_images",
    # errors
    "FluxqError": "_exceptions",
    "ValidationError": "_exceptions",
    "APIConnectionError": "_exceptions",
    "APITimeoutError": "_exceptions",
    "SubmitOutcomeUnknown": "_exceptions",
    "APIError": "_exceptions",
    "BadRequestError": "_exceptions",
    "AuthenticationError": "_exceptions",
    "PermissionDeniedError": "_exceptions",
    "NotFoundError": "_exceptions",
    "UnprocessableEntityError": "_exceptions",
    "RateLimitError": "_exceptions",
    "InternalServerError": "_exceptions",
    "MalformedResponse": "_exceptions",
    "CancelUnsupported": "_exceptions",
    "ResponseTooLarge": "_exceptions",
    "DownloadRefused": "_exceptions",
    "TaskFailed": "_exceptions",
    "ContentBlocked": "_exceptions",
    "TaskCanceled": "_exceptions",
    "InferenceTimeout": "_exceptions",
    "WaitTimeout": "_exceptions",
}

# Typed parameters per model (``FluxPro11Params``…, ``ModelId``): generated from the spec. The module
# holds only types and small tables, so reading its export list keeps ``import fluxq`` light.
_EXPORTS.update(dict.fromkeys(_generated_models.__all__, "_generated_models"))

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    __version__: str
    from ._batch_report import (
        BatchProgress as BatchProgress,
    )
    from ._batch_report import (
        BatchReport as BatchReport,
    )
    from ._client import (
        AsyncClient as AsyncClient,
    )
    from ._client import (
        Client as Client,
    )
    from ._config import (
        DEFAULT_TIMEOUT as DEFAULT_TIMEOUT,
    )
    from ._config import (
        DEFAULT_WAIT_TIMEOUT as DEFAULT_WAIT_TIMEOUT,
    )
    from ._exceptions import (
        APIConnectionError as APIConnectionError,
    )
    from ._exceptions import (
        APIError as APIError,
    )
    from ._exceptions import (
        APITimeoutError as APITimeoutError,
    )
    from ._exceptions import (
        AuthenticationError as AuthenticationError,
    )
    from ._exceptions import (
        BadRequestError as BadRequestError,
    )
    from ._exceptions import (
        CancelUnsupported as CancelUnsupported,
    )
    from ._exceptions import (
        ContentBlocked as ContentBlocked,
    )
    from ._exceptions import (
        DownloadRefused as DownloadRefused,
    )
    from ._exceptions import (
        FluxqError as FluxqError,
    )
    from ._exceptions import (
        InferenceTimeout as InferenceTimeout,
    )
    from ._exceptions import (
        InternalServerError as InternalServerError,
    )
    from ._exceptions import (
        JournalError as JournalError,
    )
    from ._exceptions import (
        MalformedResponse as MalformedResponse,
    )
    from ._exceptions import (
        NotFoundError as NotFoundError,
    )
    from ._exceptions import (
        PermissionDeniedError as PermissionDeniedError,
    )
    from ._exceptions import (
        RateLimitError as RateLimitError,
    )
    from ._exceptions import (
        ResponseTooLarge as ResponseTooLarge,
    )
    from ._exceptions import (
        SubmitOutcomeUnknown as SubmitOutcomeUnknown,
    )
    from ._exceptions import (
        TaskCanceled as TaskCanceled,
    )
    from ._exceptions import (
        TaskFailed as TaskFailed,
    )
    from ._exceptions import (
        UnprocessableEntityError as UnprocessableEntityError,
    )
    from ._exceptions import (
        ValidationError as ValidationError,
    )
    from ._exceptions import (
        WaitTimeout as WaitTimeout,
    )
    from ._generated_models import *  # noqa: F403 - the per-model types, generated from the spec
    from ._images import (
        MAX_IMAGE_BYTES as MAX_IMAGE_BYTES,
    )
    from ._images import (
        ImageInput as ImageInput,
    )
    from ._job import (
        AsyncJob as AsyncJob,
    )
    from ._job import (
        Job as Job,
    )
    from ._limits import (
        Limits as Limits,
    )
    from ._outputs import (
        AsyncOutput as AsyncOutput,
    )
    from ._outputs import (
        AsyncResult as AsyncResult,
    )
    from ._outputs import (
        Output as Output,
    )
    from ._outputs import (
        Result as Result,
    )
    from ._params import (
        model_id as model_id,
    )
    from ._polling import (
        PollPolicy as PollPolicy,
    )
    from ._providers import (
        PROVIDERS as PROVIDERS,
    )
    from ._retry import (
        RetryPolicy as RetryPolicy,
    )
    from ._status import (
        Completed as Completed,
    )
    from ._status import (
        InProgress as InProgress,
    )
    from ._status import (
        Queued as Queued,
    )
    from ._status import (
        StatusEvent as StatusEvent,
    )


def __getattr__(name: str) -> Any:
    """Load an exported name from its private module on first use.

    Raises:
        AttributeError: For a name fluxq does not export.
    """
    if name == "__version__":  # the installed distribution's metadata: one source, read on demand
        from importlib import metadata

        return metadata.version("fluxq")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fluxq' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"fluxq.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names."""
    return sorted(__all__)
