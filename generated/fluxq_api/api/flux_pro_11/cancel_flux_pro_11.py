from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.application_error import ApplicationError
from ...models.cancel_reply import CancelReply
from ...models.gateway_error import GatewayError
from ...types import Response


def _get_kwargs(
    request_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/queue/flux_pro_11/requests/{request_id}/cancel".format(
            request_id=quote(str(request_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply | None:
    if response.status_code == 202:
        response_202 = CancelReply.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = CancelReply.from_dict(response.json())

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

        def _parse_response_404(data: object) -> ApplicationError | CancelReply | GatewayError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_404_type_0 = CancelReply.from_dict(data)

                return response_404_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
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

    if response.status_code == 405:

        def _parse_response_405(data: object) -> ApplicationError | GatewayError:
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

        response_405 = _parse_response_405(response.json())

        return response_405

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

    if response.status_code == 501:

        def _parse_response_501(data: object) -> ApplicationError | GatewayError:
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

        response_501 = _parse_response_501(response.json())

        return response_501

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
) -> Response[ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    request_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply]:
    """Ask to cancel a FLUX 1.1 [pro] task

     Cancel is a request, not a guarantee: the task may still finish successfully. An accepted cancel
    (202) leads to `COMPLETED` with `error_type: CANCELED` unless the task had already finished.
    Idempotent in effect: a second cancel of a terminal task answers 400 `ALREADY_COMPLETED`.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    request_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply | None:
    """Ask to cancel a FLUX 1.1 [pro] task

     Cancel is a request, not a guarantee: the task may still finish successfully. An accepted cancel
    (202) leads to `COMPLETED` with `error_type: CANCELED` unless the task had already finished.
    Idempotent in effect: a second cancel of a terminal task answers 400 `ALREADY_COMPLETED`.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply
    """

    return sync_detailed(
        request_id=request_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    request_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply]:
    """Ask to cancel a FLUX 1.1 [pro] task

     Cancel is a request, not a guarantee: the task may still finish successfully. An accepted cancel
    (202) leads to `COMPLETED` with `error_type: CANCELED` unless the task had already finished.
    Idempotent in effect: a second cancel of a terminal task answers 400 `ALREADY_COMPLETED`.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply]
    """

    kwargs = _get_kwargs(
        request_id=request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    request_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply | None:
    """Ask to cancel a FLUX 1.1 [pro] task

     Cancel is a request, not a guarantee: the task may still finish successfully. An accepted cancel
    (202) leads to `COMPLETED` with `error_type: CANCELED` unless the task had already finished.
    Idempotent in effect: a second cancel of a terminal task answers 400 `ALREADY_COMPLETED`.

    Args:
        request_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApplicationError | CancelReply | GatewayError | ApplicationError | GatewayError | CancelReply
    """

    return (
        await asyncio_detailed(
            request_id=request_id,
            client=client,
        )
    ).parsed
