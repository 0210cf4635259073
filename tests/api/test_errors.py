"""Each failure becomes one human sentence, never with the token, never a raw exception."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from drtui.api import errors
from drtui.api.client import DataRobotClient

from .conftest import TOKEN, json_response

MakeClient = Callable[..., DataRobotClient]


async def _raised(make: MakeClient, response: httpx.Response) -> errors.DataRobotError:
    client = make(lambda request: response)
    with pytest.raises(errors.DataRobotError) as caught:
        await client.get_deployment("dep-1")
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    return caught.value


async def test_401_names_host_and_what_to_check(mock_client: MakeClient) -> None:
    error = await _raised(mock_client, json_response(401, {"message": "Invalid token"}))
    assert isinstance(error, errors.AuthenticationError)
    # Neutral about where the token came from: a profile, a token command or the environment.
    assert str(error) == (
        "The API token was rejected by dr.example.test (401): it is wrong, expired or revoked; "
        "check the token your configuration gives drtui."
    )
    assert "DATAROBOT_API_TOKEN" not in str(error)


async def test_403_names_the_permission(mock_client: MakeClient) -> None:
    error = await _raised(
        mock_client,
        json_response(403, {"message": "Requires CAN_DELETE_APP_PROJECTS permission"}),
    )
    assert isinstance(error, errors.PermissionDeniedError)
    assert error.permission == "CAN_DELETE_APP_PROJECTS"
    assert "CAN_DELETE_APP_PROJECTS" in str(error)
    assert "GET /deployments/dep-1/" in str(error)


async def test_404_names_the_resource(mock_client: MakeClient) -> None:
    error = await _raised(mock_client, json_response(404, {"message": "Not found"}))
    assert isinstance(error, errors.NotFoundError)
    assert str(error) == "Deployment dep-1 was not found on dr.example.test (404)."


async def test_422_gives_message_and_field_errors(mock_client: MakeClient) -> None:
    error = await _raised(
        mock_client,
        json_response(
            422, {"message": "Invalid field data", "errors": {"limit": "value must be <= 100"}}
        ),
    )
    assert isinstance(error, errors.ValidationError)
    assert error.field_errors == {"limit": "value must be <= 100"}
    assert "Invalid field data" in str(error) and "limit: value must be <= 100" in str(error)


async def test_429_after_retries_gives_the_wait(mock_client: MakeClient) -> None:
    client = mock_client(
        lambda r: json_response(429, {"message": "slow down"}, **{"Retry-After": "7"})
    )
    with pytest.raises(errors.RateLimitedError) as caught:
        await client.version()
    assert caught.value.retry_after == 7
    assert "retry after 7 seconds" in str(caught.value)


async def test_5xx_carries_the_request_id(mock_client: MakeClient) -> None:
    error = await _raised(
        mock_client,
        json_response(500, {"message": "boom"}, **{"X-DataRobot-Request-ID": "req-42"}),
    )
    assert isinstance(error, errors.ServerError)
    assert error.request_id == "req-42"
    assert "request id req-42" in str(error)
    assert "\n" not in str(error)


async def test_timeout_is_a_sentence(mock_client: MakeClient) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = mock_client(hang)
    with pytest.raises(errors.RequestTimeout) as caught:
        await client.get_deployment("dep-1")
    assert str(caught.value) == (
        "dr.example.test did not answer in time for GET /deployments/dep-1/."
    )


@pytest.mark.parametrize(
    ("cause", "reason"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "the connection was refused"),
        (OSError("[Errno -2] Name or service not known"), "could not be resolved"),
        (OSError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "certificate"),
    ],
)
async def test_connection_failures_say_why_with_the_host(
    mock_client: MakeClient, cause: OSError, reason: str
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(str(cause), request=request) from cause

    client = mock_client(refuse)
    with pytest.raises(errors.ConnectionFailed) as caught:
        await client.version()
    assert str(caught.value).startswith("Could not connect to dr.example.test: ")
    assert reason in str(caught.value)


async def test_dropped_connection_is_connection_failed(mock_client: MakeClient) -> None:
    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected", request=request)

    with pytest.raises(errors.ConnectionFailed, match="closed without an answer"):
        await mock_client(drop).version()


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (b"<html>oops</html>", "is not valid JSON"),
        (b"[1, 2]", "does not have the documented shape"),
    ],
)
async def test_bad_response_names_the_endpoint_not_the_payload(
    mock_client: MakeClient, body: bytes, what: str
) -> None:
    client = mock_client(lambda r: httpx.Response(200, content=body))
    with pytest.raises(errors.BadResponseError) as caught:
        await client.list_deployments()
    assert str(caught.value) == (
        f"dr.example.test sent a response to GET /deployments/ that {what}."
    )
    assert "oops" not in str(caught.value)


async def test_a_server_echoing_the_token_does_not_get_it_shown(mock_client: MakeClient) -> None:
    error = await _raised(
        mock_client, json_response(400, {"message": f"bad header Bearer {TOKEN}"})
    )
    assert "[token]" in str(error)


async def test_long_multiline_server_messages_are_flattened(mock_client: MakeClient) -> None:
    error = await _raised(mock_client, json_response(409, {"message": "a\nb " + "x" * 1000}))
    assert "\n" not in str(error)
    assert len(str(error)) < 400


def test_client_and_errors_do_not_show_the_token() -> None:
    client = DataRobotClient("https://h/api/v2", TOKEN)
    assert TOKEN not in repr(client) and TOKEN not in str(client)


async def test_an_html_error_page_still_gives_the_status_sentence(mock_client: MakeClient) -> None:
    error = await _raised(
        mock_client,
        httpx.Response(502, text="<html>Bad Gateway</html>", headers={"Content-Type": "text/html"}),
    )
    assert isinstance(error, errors.ServerError)
    assert str(error) == (
        "dr.example.test failed with 502 on GET /deployments/dep-1/ (no request id)."
    )


async def test_a_422_whose_message_already_names_the_field_says_it_once(
    mock_client: MakeClient,
) -> None:
    said = "invalid value 'bogus'; expected one of passing, warning, failing"
    error = await _raised(
        mock_client,
        json_response(
            422, {"message": f"serviceHealth: {said}", "errors": {"serviceHealth": said}}
        ),
    )
    assert isinstance(error, errors.ValidationError)
    assert error.field_errors == {"serviceHealth": said}, "kept for callers, said once"
    assert str(error).count(said) == 1, str(error)
    assert str(error).endswith(f"(422): serviceHealth: {said}.")
