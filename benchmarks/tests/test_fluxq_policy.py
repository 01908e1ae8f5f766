"""The simulation drives the wrapper's own polling decision."""

from __future__ import annotations

import random

import pytest

from benchmarks.fluxq_policy import fluxq_policy
from fluxq import PollPolicy


def test_first_delay_is_the_wrappers_initial_wait_within_jitter() -> None:
    default = PollPolicy()
    delay = fluxq_policy().next_delay(0, 0.0, random.Random(1))
    assert default.initial * (1 - default.jitter) <= delay <= default.initial * (1 + default.jitter)


def test_eagerness_divides_the_delays() -> None:
    calm = fluxq_policy(1.0).next_delay(3, 20.0, random.Random(7))
    eager = fluxq_policy(4.0).next_delay(3, 20.0, random.Random(7))
    assert eager == pytest.approx(calm / 4)


def test_fluxq_polls_the_result_endpoint() -> None:
    assert fluxq_policy().polls_result_endpoint
    assert fluxq_policy().label == "fluxq default"
    assert fluxq_policy(2.0).label == "fluxq eagerness 2"
