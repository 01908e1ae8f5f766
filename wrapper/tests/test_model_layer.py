"""The per-model layer generated from the spec: typed accessors that agree with the generic calls."""

from __future__ import annotations

import ast
import inspect
import json
import typing
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

import fluxq
import fluxq_models
from fluxq._endpoints import WaitOptions
from fluxq._generated_models import INPUT_SCHEMAS, MODEL_IDS, PARAMETERS
from fluxq.cli import build_app
from fluxq_spec import load_spec

from .conftest import Api, Provider

PACKAGE = Path(fluxq.__file__).parent
GENERATED = {"_generated_models.py", "_generated_generation.py"}


def _keyword_options(function: Any) -> dict[str, Any]:
    return {
        name: parameter.default
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def _unpacked(function: Any, argument: str) -> Any:
    """The TypedDict of a ``**argument: Unpack[...]`` parameter."""
    hint = inspect.signature(function).parameters[argument].annotation
    assert typing.get_origin(hint) is typing.Unpack
    return typing.get_args(hint)[0]


def test_the_wait_options_of_run_and_wait_are_one_set() -> None:
    expected = set(WaitOptions.__annotations__)
    signatures = [
        _keyword_options(fluxq.Client.run),
        _keyword_options(fluxq.AsyncClient.run),
        _keyword_options(fluxq.Job.wait),
        _keyword_options(fluxq.AsyncJob.wait),
    ]
    for options in signatures:
        assert set(options) == expected
    assert all(options == signatures[0] for options in signatures)


@pytest.mark.parametrize("model", MODEL_IDS)
def test_each_accessor_types_the_spec_parameters_plus_the_wait_options(model: str) -> None:
    spec = load_spec()
    schema = spec["components"]["schemas"][INPUT_SCHEMAS[model]]
    sync = getattr(fluxq.Client, model)._factory
    asynchronous = getattr(fluxq.AsyncClient, model)._factory
    for accessor in (sync, asynchronous):
        params = _unpacked(accessor.submit, "params")
        run = _unpacked(accessor.run, "arguments")
        assert list(params.__annotations__) == list(schema["properties"])
        assert params.__required_keys__ == frozenset(schema["required"])
        assert set(run.__annotations__) == set(params.__annotations__) | set(WaitOptions.__annotations__)
        assert run.__required_keys__ == params.__required_keys__
    assert set(_unpacked(sync.submit, "params").__annotations__) == set(
        getattr(fluxq_models, INPUT_SCHEMAS[model]).model_fields
    )
    assert [p.name for p in PARAMETERS[model]] == list(schema["properties"])


async def test_the_per_model_run_forwards_the_wait_options(api: Api, provider: Provider) -> None:
    result = await api.typed_run("flux_pro_11", prompt="apple [fluxq:run=3]", poll_interval=0.75)

    assert result.outputs
    assert api.clock.sleeps[1:], "it polled"
    assert set(api.clock.sleeps[1:]) == {0.75}


async def test_the_per_model_run_cancels_on_timeout_as_the_generic_one_does(
    api: Api, provider: Provider
) -> None:
    with pytest.raises(fluxq.WaitTimeout) as caught:
        await api.typed_run("flux_pro_11", prompt="slow [fluxq:run=100]", timeout=5, cancel_on_timeout=True)

    assert caught.value.canceled
    assert provider.counters.cancels_accepted == 1


def test_no_model_id_is_spelled_in_hand_written_wrapper_code() -> None:
    """Model ids live in the generated module; hand-written code may name them only in docs."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in GENERATED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                named = [model for model in MODEL_IDS if model in node.value]
                assert not named, f"{path.relative_to(PACKAGE)}:{node.lineno} spells {named}"


def test_fluxq_models_lists_each_model_and_its_parameters() -> None:
    runner = CliRunner()

    listing = runner.invoke(build_app(), ["models"])
    one = runner.invoke(build_app(), ["models", "flux_pro_11"])
    as_json = runner.invoke(build_app(), ["models", "flux_2_pro", "--json"])
    unknown = runner.invoke(build_app(), ["models", "flux_nope"])

    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()] == list(MODEL_IDS)
    assert "width (int; 256–1440, a multiple of 32; default 1024)" in one.stdout
    parameters = {p["name"]: p for p in json.loads(as_json.stdout)["parameters"]}
    assert parameters["safety_tolerance"]["rules"] == "0–5"
    assert parameters["output_format"]["rules"] == "one of 'jpeg', 'png', 'webp'"
    assert unknown.exit_code == 2
    assert "known: " + ", ".join(MODEL_IDS) in unknown.stderr


def test_generate_help_lists_each_models_parameters() -> None:
    result = CliRunner().invoke(build_app(), ["generate", "--help"], terminal_width=400)

    for model in MODEL_IDS:
        assert f"{model}:" in result.stdout
    assert "safety_tolerance (int; 0–5; default 2)" in result.stdout


def _bounded_parameters() -> list[tuple[str, str, dict[str, Any]]]:
    spec = load_spec()
    found = []
    for model in MODEL_IDS:
        schema = spec["components"]["schemas"][INPUT_SCHEMAS[model]]
        for name, prop in schema["properties"].items():
            if prop.get("type") == "integer" and ("minimum" in prop or "maximum" in prop):
                found.append((model, name, prop))
    return found


@pytest.mark.parametrize(("model", "name", "prop"), _bounded_parameters())
def test_every_range_in_the_spec_is_enforced_at_its_bounds_before_sending(
    model: str, name: str, prop: dict[str, Any]
) -> None:
    """Limits come from the spec, not from this test: each bound is accepted, one step past it refused."""
    sent: list[httpx.Request] = []

    def never(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(400, json={"detail": "refused by the test server"})

    step = int(prop.get("multipleOf", 1))
    with fluxq.Client(
        "k", base_url="http://testserver/model", transport=httpx.MockTransport(never)
    ) as client:
        for bound, past, rule in (
            (prop.get("minimum"), -step, f"at least {prop.get('minimum')}"),
            (prop.get("maximum"), step, f"at most {prop.get('maximum')}"),
        ):
            if bound is None:
                continue
            with pytest.raises(fluxq.ValidationError, match=f"{name}: must be {rule}"):
                client.submit(model, prompt="a", **{name: bound + past})
            with pytest.raises(fluxq.BadRequestError):  # valid: it reaches the (refusing) server
                client.submit(model, prompt="a", **{name: bound})
    assert sent, "the valid bounds were sent"
