"""``fluxq conformance``: judge a provider against the spec.

Exit codes: 0 nothing failed, 1 a check failed, 2 the run could not happen (one-line reason).
The API key is never printed: reports show ``$FLUXQ_API_KEY`` instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from fluxq_conformance.core.exchange import Redactor
from fluxq_conformance.core.results import RunReport
from fluxq_conformance.core.session import AuthScheme
from fluxq_conformance.run.driver import Pacing
from fluxq_conformance.run.runner import SECTIONS, RunImpossible, RunSettings, run_conformance
from fluxq_conformance.run.targets import PROVIDERS, Target, reference_target

KEY_ENV = "FLUXQ_API_KEY"
DEFAULT_LIVE_MAX_TASKS = 6
SLOW_MARKER = "[fluxq:queue=0.2] [fluxq:run=5]"


class UsageError(Exception):
    """Bad arguments (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (``fluxq conformance --help``)."""
    parser = _Parser(
        prog="fluxq conformance",
        description=(
            "Judge a FLUX queue provider against fluxq's OpenAPI spec. Default target: the built-in "
            "reference provider (no key, no network). Exit 0: nothing failed; 1: a check failed; "
            "2: the run could not happen."
        ),
    )
    where = parser.add_argument_group("target")
    choice = where.add_mutually_exclusive_group()
    choice.add_argument("--base-url", help="a live provider's base URL (ends in /model)")
    choice.add_argument("--provider", choices=sorted(PROVIDERS), help="a known live provider")
    choice.add_argument("--cassettes", type=Path, metavar="DIR", help="judge recorded cassettes offline")
    where.add_argument("--api-key", help=f"the API key (default: ${KEY_ENV})")
    where.add_argument("--auth", choices=["auto", "bearer", "key"], default="auto", help="auth scheme")
    depth = parser.add_argument_group("depth")
    depth.add_argument("--max-examples", type=int, default=10, help="examples per operation / property")
    depth.add_argument("--seed", type=int, default=0, help="seed of every generator (deterministic)")
    depth.add_argument("--stateful-steps", type=int, default=10, help="steps of the stateful phase")
    depth.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run ({','.join(SECTIONS)})")
    depth.add_argument(
        "--max-tasks",
        type=int,
        default=DEFAULT_LIVE_MAX_TASKS,
        help="live targets: cap on tasks the lifecycle checks create",
    )
    depth.add_argument("--allow-fuzz-submit", action="store_true", help="live: let schemathesis fuzz submit")
    depth.add_argument("--poll-interval", type=float, default=None, help="seconds between polls")
    depth.add_argument("--deadline", type=float, default=None, help="seconds a task may take")
    output = parser.add_argument_group("output")
    output.add_argument("--record", type=Path, metavar="DIR", help="record cassettes (secrets scrubbed)")
    output.add_argument("--report-json", type=Path, metavar="PATH")
    output.add_argument("--junit", type=Path, metavar="PATH")
    output.add_argument("--html", type=Path, metavar="PATH")
    output.add_argument("--verbose", action="store_true")
    output.add_argument("--list-checks", action="store_true", help="print every check id and what it asserts")
    return parser


def _sections(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in SECTIONS]
    if unknown or not chosen:
        raise UsageError(f"--only takes a comma-separated subset of {','.join(SECTIONS)}")
    return chosen


def settings_from(args: argparse.Namespace, *, live: bool) -> RunSettings:
    """Turn parsed arguments into run settings (live targets poll slower and wait longer).

    Raises:
        UsageError: If a number is out of range.
    """
    if args.max_examples < 1 or args.max_tasks < 0 or args.stateful_steps < 1:
        raise UsageError("--max-examples and --stateful-steps must be ≥ 1, --max-tasks ≥ 0")
    pacing = Pacing(
        poll_interval=args.poll_interval if args.poll_interval is not None else (1.0 if live else 0.05),
        deadline=args.deadline if args.deadline is not None else (300.0 if live else 20.0),
        slow_marker="" if live else SLOW_MARKER,
    )
    return RunSettings(
        sections=_sections(args.only),
        max_examples=args.max_examples,
        seed=args.seed,
        stateful_steps=args.stateful_steps,
        max_tasks=args.max_tasks if live else None,
        allow_fuzz_submit=args.allow_fuzz_submit,
        pacing=pacing,
        record_dir=args.record,
    )


def live_target(args: argparse.Namespace) -> Target:
    """The live target the arguments name.

    Raises:
        UsageError: If no API key is given.
    """
    base_url = args.base_url or PROVIDERS[args.provider]
    key = args.api_key or os.environ.get(KEY_ENV, "")
    if not key:
        raise UsageError(f"a live target needs an API key (--api-key or ${KEY_ENV})")
    scheme = None if args.auth == "auto" else AuthScheme(args.auth)
    return Target(base_url, base_url.rstrip("/"), key, scheme=scheme, live=True, markers=False)


def write_reports(report: RunReport, args: argparse.Namespace, redact: Redactor) -> None:
    """Write the file reports the arguments ask for."""
    from fluxq_conformance.report.files import write_html, write_json, write_junit

    if args.report_json:
        write_json(report, args.report_json, redact)
    if args.junit:
        write_junit(report, args.junit, redact)
    if args.html:
        write_html(report, args.html, redact)


def _run(args: argparse.Namespace, console: Console) -> tuple[RunReport, Redactor]:
    progress = (lambda line: console.print(f"[dim]… {line}[/]")) if args.verbose else None
    if args.cassettes is not None:
        from fluxq_conformance.cassettes.replay import replay_directory

        return replay_directory(args.cassettes), Redactor()
    if args.base_url or args.provider:
        target = live_target(args)
        return run_conformance(target, settings_from(args, live=True), progress=progress), Redactor(
            (target.api_key,)
        )
    if args.api_key and args.auth != "auto":
        raise UsageError("--api-key and --auth apply to live targets only")
    with reference_target() as target:
        report = run_conformance(target, settings_from(args, live=False), progress=progress)
        return report, Redactor((target.api_key,))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fluxq conformance`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    # A pipe or a CI log gets a wide table rather than rich's 80-column default.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
    try:
        args = build_parser().parse_args(list(argv) if argv is not None else sys.argv[1:])
        if args.list_checks:
            from fluxq_conformance.checks.registry import catalog_text

            print(catalog_text())
            return 0
        report, redact = _run(args, console)
        write_reports(report, args, redact)
    except SystemExit as exit_request:  # --help and --version print and stop
        return int(exit_request.code or 0)
    except UsageError as error:
        print(f"fluxq conformance: error: {error}", file=sys.stderr)
        return 2
    except RunImpossible as error:
        print(f"fluxq conformance: cannot run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fluxq conformance: interrupted (tasks it created were cancelled)", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"fluxq conformance: cannot run: {error}", file=sys.stderr)
        return 2
    from fluxq_conformance.report.console import render

    render(report, console, verbose=args.verbose)
    return report.exit_code()
