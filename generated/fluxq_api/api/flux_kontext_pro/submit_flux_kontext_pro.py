from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_error import ApplicationError
from ...models.flux_kontext_pro_input import FluxKontextProInput
from ...models.gateway_error import GatewayError
from ...models.queue_submission import QueueSubmission
from ...types import Response


def _get_kwargs(
    *,
    body: FluxKontextProInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/queue/flux_kontext_pro",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApplicationError | GatewayError | QueueSubmission | None:
    if response.status_code == 200:
        response_200 = QueueSubmission.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = QueueSubmission.from_dict(response.json())

        return response_202

    if response.status_code == 400:

        def _parse_response_400(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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

        def _parse_response_401(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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

        def _parse_response_403(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_403 = _parse_response_403(response.json())

        return response_403

    if response.status_code == 404:

        def _parse_response_404(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

                return componentsschemas_error_body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_error_body_type_1 = ApplicationError.from_dict(data)

            return componentsschemas_error_body_type_1

        response_404 = _parse_response_404(response.json())

        return response_404

    if response.status_code == 422:

        def _parse_response_422(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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

        def _parse_response_429(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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

        def _parse_response_500(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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

        def _parse_response_502(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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

        def _parse_response_503(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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

        def _parse_response_504(data: object) -> ApplicationError | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_error_body_type_0 = GatewayError.from_dict(data)

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
) -> Response[ApplicationError | GatewayError | QueueSubmission]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FluxKontextProInput,
) -> Response[ApplicationError | GatewayError | QueueSubmission]:
    """Submit a FLUX.1 Kontext [pro] task

     Queue a FLUX.1 Kontext [pro] task. The body is the model's parameter object itself (no `input`
    wrapper, no `model` field). Every submit creates a billed task: clients must never re-send it after
    an ambiguous failure. Webhook fields are rejected (`{"detail": "webhook not supported"}`).

    Args:
        body (FluxKontextProInput): Parameters of FLUX.1 Kontext [pro]. Discrepancies between
            sources: the sibling platform's page (seed 003) says `safety_tolerance` 1–6 and default
            `output_format` `jpeg`; SeaCloud's page types `safety_tolerance` as "any"; the upstream
            vendor also accepts `webp`. This spec follows the provider pages (0–6 integer, default
            `png`, `jpeg|png`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationError | GatewayError | QueueSubmission]
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
    body: FluxKontextProInput,
) -> ApplicationError | GatewayError | QueueSubmission | None:
    """Submit a FLUX.1 Kontext [pro] task

     Queue a FLUX.1 Kontext [pro] task. The body is the model's parameter object itself (no `input`
    wrapper, no `model` field). Every submit creates a billed task: clients must never re-send it after
    an ambiguous failure. Webhook fields are rejected (`{"detail": "webhook not supported"}`).

    Args:
        body (FluxKontextProInput): Parameters of FLUX.1 Kontext [pro]. Discrepancies between
            sources: the sibling platform's page (seed 003) says `safety_tolerance` 1–6 and default
            `output_format` `jpeg`; SeaCloud's page types `safety_tolerance` as "any"; the upstream
            vendor also accepts `webp`. This spec follows the provider pages (0–6 integer, default
            `png`, `jpeg|png`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationError | GatewayError | QueueSubmission
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FluxKontextProInput,
) -> Response[ApplicationError | GatewayError | QueueSubmission]:
    """Submit a FLUX.1 Kontext [pro] task

     Queue a FLUX.1 Kontext [pro] task. The body is the model's parameter object itself (no `input`
    wrapper, no `model` field). Every submit creates a billed task: clients must never re-send it after
    an ambiguous failure. Webhook fields are rejected (`{"detail": "webhook not supported"}`).

    Args:
        body (FluxKontextProInput): Parameters of FLUX.1 Kontext [pro]. Discrepancies between
            sources: the sibling platform's page (seed 003) says `safety_tolerance` 1–6 and default
            `output_format` `jpeg`; SeaCloud's page types `safety_tolerance` as "any"; the upstream
            vendor also accepts `webp`. This spec follows the provider pages (0–6 integer, default
            `png`, `jpeg|png`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationError | GatewayError | QueueSubmission]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: FluxKontextProInput,
) -> ApplicationError | GatewayError | QueueSubmission | None:
    """Submit a FLUX.1 Kontext [pro] task

     Queue a FLUX.1 Kontext [pro] task. The body is the model's parameter object itself (no `input`
    wrapper, no `model` field). Every submit creates a billed task: clients must never re-send it after
    an ambiguous failure. Webhook fields are rejected (`{"detail": "webhook not supported"}`).

    Args:
        body (FluxKontextProInput): Parameters of FLUX.1 Kontext [pro]. Discrepancies between
            sources: the sibling platform's page (seed 003) says `safety_tolerance` 1–6 and default
            `output_format` `jpeg`; SeaCloud's page types `safety_tolerance` as "any"; the upstream
            vendor also accepts `webp`. This spec follows the provider pages (0–6 integer, default
            `png`, `jpeg|png`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationError | GatewayError | QueueSubmission
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
