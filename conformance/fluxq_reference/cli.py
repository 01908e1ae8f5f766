"""``fluxq serve``: run the reference provider on a local port until Ctrl-C.

The wrapper's ``fluxq`` CLI dispatches ``serve`` here lazily; this module can also be run
directly (``python -m fluxq_reference.cli --port 8765``).
"""

from __future__ import annotations

import argparse
import ipaddress
import sys

import uvicorn

from fluxq_reference.app import create_app
from fluxq_reference.config import DEMO_API_KEY, ModelTiming, ProviderConfig, same_timing
from fluxq_reference.server import free_port

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
LOCAL_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``fluxq serve``."""
    parser = argparse.ArgumentParser(
        prog="fluxq serve", description="Run fluxq's reference FLUX queue provider locally."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free port)")
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help=f"accepted API key (repeatable; default {DEMO_API_KEY})",
    )
    parser.add_argument("--workers", type=int, default=2, help="tasks that run at once (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    parser.add_argument("--fast", action="store_true", help="sub-second tasks instead of realistic timings")
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a non-loopback interface (exposes the server)"
    )
    return parser


def config_from_args(args: argparse.Namespace) -> ProviderConfig:
    """The provider configuration the parsed arguments ask for.

    Raises:
        ValueError: If the arguments describe an impossible configuration (e.g. 0 workers).
    """
    keys = tuple(args.api_keys) if args.api_keys else (DEMO_API_KEY,)
    if args.fast:
        return ProviderConfig(
            api_keys=keys, workers=args.workers, seed=args.seed, timings=same_timing(ModelTiming.fast())
        )
    return ProviderConfig(api_keys=keys, workers=args.workers, seed=args.seed)


def main(argv: list[str]) -> int:
    """Run ``fluxq serve`` with ``argv`` (without the program name); returns the exit code.

    Prints the base URL and the API key, then serves until interrupted.

    Raises:
        SystemExit: From argparse, on ``--help`` or unreadable arguments.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
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
    port = args.port or free_port(args.host)
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host=args.host, port=port, log_level="warning", lifespan="off")
    )
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"fluxq reference provider: base URL http://{host}:{port}/model", flush=True)
    print(f"API key: {config.api_keys[0]}   (Authorization: Bearer <key> or Key <key>)", flush=True)
    print("Ctrl-C to stop.", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        return EXIT_OK
    except SystemExit as exit_:  # uvicorn exits when it cannot bind the port
        return exit_.code if isinstance(exit_.code, int) else EXIT_FAILURE
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
