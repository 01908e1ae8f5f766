"""The package surface: a complete export list, settings, typed accessors on both clients."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import fluxq
import fluxq._exceptions
from fluxq._config import PROVIDERS, resolve_settings

PACKAGE = Path(fluxq.__file__).parent
INTERNAL = {"SyncCore", "AsyncCore"}
"""Classes of the user-facing modules that only the clients and handles use."""


def test_every_export_resolves_and_dir_lists_them() -> None:
    for name in fluxq.__all__:
        assert getattr(fluxq, name) is not None
    assert dir(fluxq) == sorted(fluxq.__all__)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = fluxq.nope  # type: ignore[attr-defined]


def test_every_public_class_of_the_private_modules_is_exported() -> None:
    exported = set(fluxq.__all__)
    for path in PACKAGE.glob("_*.py"):
        if path.name in {"__init__.py", "_cli_support.py"}:
            continue
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_") and node.name not in INTERNAL:
                module = __import__(f"fluxq.{path.stem}", fromlist=[node.name])
                cls = getattr(module, node.name)
                is_user_facing = issubclass(cls, BaseException) or path.stem in {
                    "_client",
                    "_job",
                    "_outputs",
                    "_status",
                }
                if is_user_facing:
                    assert node.name in exported, f"{path.stem}.{node.name} is not exported"


def test_type_checking_imports_match_the_exports() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    checked: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            if [alias.name for alias in node.names] == ["*"]:
                # The generated per-model types: mypy re-exports a star import's __all__.
                checked |= set(importlib.import_module(f"fluxq.{node.module}").__all__)
            else:
                checked |= {alias.asname or alias.name for alias in node.names}
    assert checked == set(fluxq.__all__) - {"__version__"}


def test_every_exception_class_is_exported() -> None:
    classes = {
        name
        for name, value in vars(fluxq._exceptions).items()
        if inspect.isclass(value) and issubclass(value, Exception)
    }
    assert classes <= set(fluxq.__all__)


def test_py_typed_marker_ships() -> None:
    assert (PACKAGE / "py.typed").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"provider": "nowhere"}, "provider: must be one of seacloud, odirouter"),
        ({"auth": "basic"}, "auth: must be one of bearer, key"),
        ({"base_url": "ftp://x"}, "base_url: must be an http(s) URL"),
    ],
)
def test_bad_settings_are_validation_errors(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(fluxq.ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fluxq.Client("k", **kwargs)  # type: ignore[arg-type]


def test_base_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLUXQ_BASE_URL", raising=False)
    common = {"api_key": "k", "auth": "bearer", "timeout": None}

    assert resolve_settings(provider=None, base_url=None, **common).base_url == PROVIDERS["seacloud"]  # type: ignore[arg-type]
    assert (
        resolve_settings(provider="odirouter", base_url=None, **common).base_url
        == "https://odirouter.ai/model"
    )  # type: ignore[arg-type]
    assert (
        resolve_settings(provider="odirouter", base_url="http://h/model/", **common).base_url
        == "http://h/model"
    )  # type: ignore[arg-type]
    monkeypatch.setenv("FLUXQ_BASE_URL", "http://env/model")
    assert resolve_settings(provider=None, base_url=None, **common).base_url == "http://env/model"  # type: ignore[arg-type]


def test_key_from_the_environment_and_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLUXQ_API_KEY", "from-env")

    settings = resolve_settings(api_key=None, provider=None, base_url=None, auth="key", timeout=5)

    assert settings.api_key == "from-env"
    assert settings.auth_prefix == "Key"
    assert settings.timeout.read == 5
    assert fluxq.DEFAULT_TIMEOUT.connect == 10
    assert fluxq.DEFAULT_TIMEOUT.read == 60


async def test_both_clients_have_the_same_methods_and_model_accessors() -> None:
    sync_client = fluxq.Client("k", base_url="http://127.0.0.1:9/model")
    async_client = fluxq.AsyncClient("k", base_url="http://127.0.0.1:9/model")
    public = {name for name in dir(fluxq.Client) if not name.startswith("_")}

    assert public == {name for name in dir(fluxq.AsyncClient) if not name.startswith("_")}
    assert {n for n in dir(fluxq.Job) if not n.startswith("_")} <= {
        n for n in dir(fluxq.AsyncJob) if not n.startswith("_")
    }
    for model in ("flux_kontext_pro", "flux_pro_11", "flux_2_pro"):
        assert getattr(sync_client, model).model == getattr(async_client, model).model == model
        assert model in repr(getattr(sync_client, model))
        assert "async" in repr(getattr(async_client, model))
    assert sync_client.job("flux_2_pro", "mmsu_1").request_id == "mmsu_1"
    assert (
        repr(async_client.job("flux_2_pro", "mmsu_1")) == "AsyncJob(model='flux_2_pro', request_id='mmsu_1')"
    )
    with pytest.raises(fluxq.ValidationError, match="request_id: must not be empty"):
        sync_client.job("flux_2_pro", "")
    sync_client.close()
    await async_client.close()
