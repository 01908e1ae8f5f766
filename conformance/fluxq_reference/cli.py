"""``fluxq serve``: run the reference provider on a local port until Ctrl-C.

The port is bound before the banner prints, so the printed base URL already accepts connections.
Exit codes: 0 stopped with Ctrl-C; 1 the server failed; 2 bad options (e.g. a remote host without
``--allow-remote``); 3 the port is busy or cannot be bound (one line on stderr).

The ``fluxq`` CLI adds the command with :func:`register` when the conformance extra is installed;
this module can also be run directly (``python -m fluxq_reference.cli --port 8765``).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from fluxq_reference.defaults import DEMO_API_KEY

if TYPE_CHECKING:
    from fluxq_reference.config import ProviderConfig

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PORT = 3
#: Connections the kernel queues between the bind and uvicorn's first accept.
BACKLOG = 2048
LOCAL_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeArgs:
    """The options of ``fluxq serve`` (see :func:`register` for their help)."""

    host: str = "127.0.0.1"
    port: int = 8765
    api_keys: tuple[str, ...] = ()
    workers: int = 2
    seed: int = 0
    fast: bool = False
    allow_remote: bool = False
    public_base_url: str | None = None


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the ``fluxq`` typer app (imports nothing heavy)."""

    @app.command(
        "serve",
        help="Run fluxq's reference FLUX queue provider locally (Ctrl-C to stop). "
        "Exit 2: bad options; 3: the port is busy or cannot be bound.",
    )
    def serve(
        host: Annotated[str, typer.Option(help="Interface to bind (loopback unless --allow-remote).")] = (
            "127.0.0.1"
        ),
        port: Annotated[int, typer.Option(help="Port (0 = any free port).")] = 8765,
        api_key: Annotated[
            list[str] | None,
            typer.Option(help=f"Accepted API key (repeatable; default {DEMO_API_KEY}).", show_default=False),
        ] = None,
        workers: Annotated[int, typer.Option(help="Tasks that run at once.")] = 2,
        seed: Annotated[int, typer.Option(help="Seed of every random draw.")] = 0,
        fast: Annotated[
            bool, typer.Option("--fast", help="Sub-second tasks instead of realistic timings.")
        ] = (False),
        allow_remote: Annotated[
            bool, typer.Option("--allow-remote", help="Allow a non-loopback interface (exposes the server).")
        ] = False,
        public_base_url: Annotated[
            str | None,
            typer.Option(
                help="Base URL (ending in /model) written into returned URLs "
                "(default: the address it listens on; the Host header is never trusted).",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        keys = tuple(api_key or ())
        args = ServeArgs(host, port, keys, workers, seed, fast, allow_remote, public_base_url)
        raise typer.Exit(run(args))


def config_from_args(args: ServeArgs) -> ProviderConfig:
    """The provider configuration the options ask for.

    Raises:
        ValueError: If the options describe an impossible configuration (e.g. 0 workers).
    """
    from fluxq_reference.config import ModelTiming, ProviderConfig, same_timing

    keys = args.api_keys or (DEMO_API_KEY,)
    base = args.public_base_url
    if base is not None and not base.lower().startswith(("http://", "https://")):
        raise ValueError(f"--public-base-url must be an http(s) URL (got {base!r})")
    if args.fast:
        return ProviderConfig(
            api_keys=keys,
            workers=args.workers,
            seed=args.seed,
            timings=same_timing(ModelTiming.fast()),
            public_base_url=base,
        )
    return ProviderConfig(api_keys=keys, workers=args.workers, seed=args.seed, public_base_url=base)


def listening_base_url(host: str, port: int) -> str:
    """The base URL of the address ``fluxq serve`` listens on (used instead of the ``Host`` header)."""
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/model"


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: any free port).

    Raises:
        OSError: If the address is in use or cannot be bound.
    """
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host.strip("[]"), port))
        listener.listen(BACKLOG)
    except OSError:
        listener.close()
        raise
    return listener


def run(args: ServeArgs) -> int:
    """Serve until interrupted; returns the exit code.

    Prints the base URL and the API key first.
    """
    import uvicorn

    from fluxq_reference.app import create_app
    from fluxq_reference.server import quiet_invalid_requests

    if not is_loopback(args.host) and not args.allow_remote:
        print(
            f"refusing to bind {args.host}: not a loopback address (pass --allow-remote to expose it)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        config = config_from_args(args)
    except ValueError as error:
        print(f"fluxq serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    host = f"[{args.host}]" if ":" in args.host else args.host
    try:
        listener = bind(args.host, args.port)
    except OSError as error:
        reason = error.strerror or str(error)
        print(
            f"fluxq serve: cannot listen on {host}:{args.port}: {reason} "
            "(another server on that port? pick another with --port, or --port 0 for any free one)",
            file=sys.stderr,
        )
        return EXIT_PORT
    port = listener.getsockname()[1]
    if config.public_base_url is None:
        # A client's Host header would otherwise be copied into every URL the provider returns.
        config = dataclasses.replace(config, public_base_url=listening_base_url(args.host, port))
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host=args.host, port=port, log_level="warning", lifespan="off")
    )
    quiet_invalid_requests()
    print(f"fluxq reference provider: base URL http://{host}:{port}/model", flush=True)
    print(f"API key: {config.api_keys[0]}   (Authorization: Bearer <key> or Key <key>)", flush=True)
    if len(config.api_keys) > 1:
        print(f"  {len(config.api_keys)} keys accepted; each sees only its own tasks", flush=True)
    print("  queue format:      POST /v1/queue/{model}, then its status/response/cancel URLs", flush=True)
    print("  generation format: POST /v1/generation, GET /v1/generation/task/{id}", flush=True)
    print("Ctrl-C to stop.", flush=True)
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        listener.close()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fluxq serve`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    app = typer.Typer(
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    register(app)
    try:
        app(args=list(sys.argv[1:] if argv is None else argv), prog_name="fluxq serve")
    except SystemExit as stop:  # typer's standalone mode always exits; usage errors exit 2
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    return EXIT_OK  # pragma: no cover - typer always exits in standalone mode


if __name__ == "__main__":
    raise SystemExit(main())
