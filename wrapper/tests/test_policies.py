"""The pure decisions: poll intervals, retry rules, error classes."""

from __future__ import annotations

import inspect
import random

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fluxq
from fluxq._exceptions import STATUS_ERRORS, api_error_class, task_error_class
from fluxq._polling import next_poll_delay, parse_retry_after
from fluxq._retry import (
    FailureKind,
    Operation,
    classify_failure,
    retry_delay,
    retryable_failure,
    retryable_status,
)

RNG = random.Random(7)


@settings(max_examples=100, deadline=None)
@given(
    index=st.integers(0, 10_000),
    elapsed=st.floats(0, 1e6, allow_nan=False),
    seed=st.integers(0, 2**32),
)
def test_adaptive_delay_stays_within_its_bounds(index: int, elapsed: float, seed: int) -> None:
    policy = fluxq.PollPolicy()

    delay = policy.delay(index, elapsed, random.Random(seed))

    low = min(policy.initial, policy.minimum) * (1 - policy.jitter)
    high = max(policy.initial, policy.maximum) * (1 + policy.jitter)
    assert low <= delay <= high


def test_adaptive_delay_grows_with_elapsed_time_then_caps() -> None:
    policy = fluxq.PollPolicy(initial=1.0, ratio=0.1, minimum=0.5, maximum=3.0, jitter=0.0)

    delays = [policy.delay(1, elapsed, RNG) for elapsed in (0.0, 8.0, 10.0, 20.0, 1000.0)]

    assert delays == [0.5, pytest.approx(0.8), pytest.approx(1.0), pytest.approx(2.0), 3.0]
    assert policy.delay(0, 50.0, RNG) == 1.0


def test_precedence_is_explicit_then_hint_then_adaptive() -> None:
    policy = fluxq.PollPolicy(ratio=0.1, minimum=0.5, maximum=3.0, jitter=0.0, hint_cap=30)

    assert next_poll_delay(policy, poll_index=3, elapsed=9, rng=RNG, explicit=0.7, server_hint=5) == 0.7
    assert next_poll_delay(policy, poll_index=3, elapsed=9, rng=RNG, server_hint=5) == 5
    assert next_poll_delay(policy, poll_index=3, elapsed=9, rng=RNG, server_hint=500) == 30
    assert next_poll_delay(policy, poll_index=3, elapsed=20, rng=RNG) == pytest.approx(2.0)


def test_fixed_policy_and_eagerness() -> None:
    fixed = fluxq.PollPolicy.every(0.5)
    eager = fluxq.PollPolicy(jitter=0.0).with_eagerness(2.0)

    assert {fixed.delay(i, i * 3.0, RNG) for i in range(5)} == {0.5}
    assert fixed.with_eagerness(2.0).delay(0, 0, RNG) == 0.25
    patient = fluxq.PollPolicy(jitter=0.0).with_eagerness(0.5)
    # Eagerness shortens the intervals, never the initial wait (no FLUX task finishes that soon).
    assert eager.delay(0, 0, RNG) == fluxq.PollPolicy().initial
    assert eager.delay(5, 1000, RNG) == fluxq.PollPolicy().maximum / 2
    assert eager.delay(1, 2, RNG) == fluxq.PollPolicy().minimum / 2
    assert patient.delay(0, 0, RNG) == fluxq.PollPolicy().initial * 2
    assert patient.delay(5, 1000, RNG) == fluxq.PollPolicy().maximum * 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"minimum": 0},
        {"minimum": 5, "maximum": 1},
        {"jitter": 1.0},
        {"ratio": -1},
        {"fixed": 0},
        {"hint_cap": -1},
    ],
)
def test_poll_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is not the point
        fluxq.PollPolicy(**kwargs)


def test_eagerness_must_be_positive() -> None:
    with pytest.raises(ValueError, match="eagerness"):
        fluxq.PollPolicy().with_eagerness(0)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("3", 3.0),
        (" 1.5 ", 1.5),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("Wed, 21 Oct", None),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


@pytest.mark.parametrize(
    ("operation", "code", "retried"),
    [
        (Operation.SUBMIT, 429, True),
        (Operation.SUBMIT, 500, False),
        (Operation.SUBMIT, 503, False),
        (Operation.SUBMIT, 400, False),
        (Operation.STATUS, 429, True),
        (Operation.STATUS, 502, True),
        (Operation.STATUS, 404, False),
        (Operation.RESULT, 500, True),
        (Operation.RESULT, 422, False),
        (Operation.CANCEL, 503, True),
        (Operation.CANCEL, 400, False),
    ],
)
def test_retryable_status(operation: Operation, code: int, retried: bool) -> None:
    assert retryable_status(operation, code) is retried


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (httpx.ConnectError("x"), FailureKind.NOT_SENT),
        (httpx.ConnectTimeout("x"), FailureKind.NOT_SENT),
        (httpx.PoolTimeout("x"), FailureKind.NOT_SENT),
        (httpx.ProxyError("x"), FailureKind.NOT_SENT),
        (httpx.ReadTimeout("x"), FailureKind.AMBIGUOUS),
        (httpx.WriteTimeout("x"), FailureKind.AMBIGUOUS),
        (httpx.ReadError("x"), FailureKind.AMBIGUOUS),
        (httpx.WriteError("x"), FailureKind.AMBIGUOUS),
        (httpx.CloseError("x"), FailureKind.AMBIGUOUS),
        (httpx.RemoteProtocolError("x"), FailureKind.AMBIGUOUS),
        (httpx.LocalProtocolError("x"), FailureKind.FATAL),
        (httpx.UnsupportedProtocol("x"), FailureKind.FATAL),
        (httpx.DecodingError("x"), FailureKind.FATAL),
    ],
)
def test_failure_classification(error: httpx.TransportError, kind: FailureKind) -> None:
    assert classify_failure(error) is kind


@pytest.mark.parametrize("operation", list(Operation))
def test_retryable_failure(operation: Operation) -> None:
    assert retryable_failure(operation, FailureKind.NOT_SENT)
    assert not retryable_failure(operation, FailureKind.FATAL)
    assert retryable_failure(operation, FailureKind.AMBIGUOUS) is (operation is not Operation.SUBMIT)


@settings(max_examples=100, deadline=None)
@given(attempt=st.integers(0, 30), seed=st.integers(0, 2**32))
def test_backoff_is_full_jitter_under_a_capped_ceiling(attempt: int, seed: int) -> None:
    policy = fluxq.RetryPolicy()

    delay = retry_delay(policy, attempt, random.Random(seed))

    assert 0 <= delay <= min(policy.cap, policy.base * 2**attempt)


class PinnedJitter(random.Random):
    """Jitter pinned to the top (or the bottom) of its range."""

    def __init__(self, *, top: bool) -> None:
        super().__init__(0)
        self.top = top

    def uniform(self, a: float, b: float) -> float:
        return b if self.top else a


def test_default_backoff_ceilings_double_from_half_a_second_up_to_eight() -> None:
    policy = fluxq.RetryPolicy()

    ceilings = [retry_delay(policy, attempt, PinnedJitter(top=True)) for attempt in range(7)]
    floors = [retry_delay(policy, attempt, PinnedJitter(top=False)) for attempt in range(7)]

    assert ceilings == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert floors == [0.0] * 7


def test_zero_durations_retry_without_waiting() -> None:
    policy = fluxq.RetryPolicy(base=0, cap=0, retry_after_cap=0)

    assert retry_delay(policy, 3, PinnedJitter(top=True)) == 0
    assert retry_delay(policy, 0, RNG, retry_after=5) == 0


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    policy = fluxq.RetryPolicy(retry_after_cap=10)

    assert retry_delay(policy, 0, RNG, retry_after=4) == 4
    assert retry_delay(policy, 0, RNG, retry_after=400) == 10


def test_the_default_retry_policy_is_the_documented_one() -> None:
    # The clients' documented default (max_retries=2) and the policy's own default agree.
    assert fluxq.RetryPolicy() == fluxq.RetryPolicy(max_retries=2, base=0.5, cap=8.0, retry_after_cap=60.0)
    assert (
        inspect.signature(fluxq.Client).parameters["max_retries"].default == fluxq.RetryPolicy().max_retries
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"max_retries": -1}, "max_retries"), ({"max_retries": 1.5}, "max_retries"), ({"cap": -1.0}, "cap")],
)
def test_a_bad_retry_policy_names_its_field(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(fluxq.ValidationError) as caught:
        fluxq.RetryPolicy(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


@pytest.mark.parametrize("kwargs", [{"max_retries": -1}, {"base": -0.1}])
def test_retry_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is not the point
        fluxq.RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_one_table_maps_statuses_to_classes() -> None:
    assert {
        400: fluxq.BadRequestError,
        401: fluxq.AuthenticationError,
        403: fluxq.PermissionDeniedError,
        404: fluxq.NotFoundError,
        422: fluxq.UnprocessableEntityError,
        429: fluxq.RateLimitError,
    } == STATUS_ERRORS
    assert api_error_class(500) is api_error_class(599) is fluxq.InternalServerError
    assert api_error_class(409) is fluxq.APIError
    assert task_error_class("CANCELED") is fluxq.TaskCanceled
    assert task_error_class(None) is task_error_class("NEW_THING") is fluxq.TaskFailed


def test_every_error_is_in_the_tree() -> None:
    classes = [
        getattr(fluxq, name) for name in fluxq.__all__ if name.endswith(("Error", "Failed", "Unknown"))
    ]
    classes += [fluxq.ContentBlocked, fluxq.TaskCanceled, fluxq.InferenceTimeout, fluxq.WaitTimeout]
    classes += [fluxq.MalformedResponse]

    assert all(issubclass(cls, fluxq.FluxqError) for cls in classes)
    assert issubclass(fluxq.WaitTimeout, TimeoutError)
    assert issubclass(fluxq.APITimeoutError, TimeoutError)
    assert issubclass(fluxq.ValidationError, ValueError)
    docstring = fluxq._exceptions.__doc__ or ""
    assert all(cls.__name__ in docstring for cls in classes)
