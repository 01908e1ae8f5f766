from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_error import ApplicationError
from ...models.error_envelope import ErrorEnvelope
from ...models.generation_flux_2_pro import GenerationFlux2Pro
from ...models.generation_flux_kontext_pro import GenerationFluxKontextPro
from ...models.generation_flux_pro_11 import GenerationFluxPro11
from ...models.generation_task import GenerationTask
from ...types import Response


def _get_kwargs(
    *,
    body: GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/generation",
    }

    if isinstance(body, GenerationFluxKontextPro):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, GenerationFluxPro11):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApplicationError | ErrorEnvelope | GenerationTask | None:
    if response.status_code == 200:
        response_200 = GenerationTask.from_dict(response.json())

        return response_200

    if response.status_code == 400:

        def _parse_response_400(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_400 = _parse_response_400(response.json())

        return response_400

    if response.status_code == 401:

        def _parse_response_401(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_401 = _parse_response_401(response.json())

        return response_401

    if response.status_code == 403:

        def _parse_response_403(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_403 = _parse_response_403(response.json())

        return response_403

    if response.status_code == 422:

        def _parse_response_422(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_422 = _parse_response_422(response.json())

        return response_422

    if response.status_code == 429:

        def _parse_response_429(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_429 = _parse_response_429(response.json())

        return response_429

    if response.status_code == 500:

        def _parse_response_500(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_500 = _parse_response_500(response.json())

        return response_500

    if response.status_code == 502:

        def _parse_response_502(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_502 = _parse_response_502(response.json())

        return response_502

    if response.status_code == 503:

        def _parse_response_503(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_503 = _parse_response_503(response.json())

        return response_503

    if response.status_code == 504:

        def _parse_response_504(data: object) -> ApplicationError | ErrorEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = ErrorEnvelope.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_504 = _parse_response_504(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApplicationError | ErrorEnvelope | GenerationTask]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11,
) -> Response[ApplicationError | ErrorEnvelope | GenerationTask]:
    """Create a generation task

     Create a task (documented: "The initial response returns the task ID and initial status"). The body
    carries `model` next to the model's parameters (documented). Every create makes a billed task:
    clients must never re-send it after an ambiguous failure.

    Args:
        body (GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11): The create
            body: `model` next to the model's parameters (documented), one schema per model, told
            apart by `model`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationError | ErrorEnvelope | GenerationTask]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11,
) -> ApplicationError | ErrorEnvelope | GenerationTask | None:
    """Create a generation task

     Create a task (documented: "The initial response returns the task ID and initial status"). The body
    carries `model` next to the model's parameters (documented). Every create makes a billed task:
    clients must never re-send it after an ambiguous failure.

    Args:
        body (GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11): The create
            body: `model` next to the model's parameters (documented), one schema per model, told
            apart by `model`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationError | ErrorEnvelope | GenerationTask
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11,
) -> Response[ApplicationError | ErrorEnvelope | GenerationTask]:
    """Create a generation task

     Create a task (documented: "The initial response returns the task ID and initial status"). The body
    carries `model` next to the model's parameters (documented). Every create makes a billed task:
    clients must never re-send it after an ambiguous failure.

    Args:
        body (GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11): The create
            body: `model` next to the model's parameters (documented), one schema per model, told
            apart by `model`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationError | ErrorEnvelope | GenerationTask]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11,
) -> ApplicationError | ErrorEnvelope | GenerationTask | None:
    """Create a generation task

     Create a task (documented: "The initial response returns the task ID and initial status"). The body
    carries `model` next to the model's parameters (documented). Every create makes a billed task:
    clients must never re-send it after an ambiguous failure.

    Args:
        body (GenerationFlux2Pro | GenerationFluxKontextPro | GenerationFluxPro11): The create
            body: `model` next to the model's parameters (documented), one schema per model, told
            apart by `model`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationError | ErrorEnvelope | GenerationTask
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
