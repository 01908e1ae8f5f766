"""``fluxq conformance``: judge a provider against the spec.

Exit codes: 0 nothing failed, 1 a check failed, 2 the run could not happen (one-line reason).
The API key is never printed: reports show ``$FLUXQ_API_KEY`` instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fluxq._providers import PROVIDERS

if TYPE_CHECKING:  # the run's modules are imported when a run starts, not by `fluxq --help`
    from rich.console import Console

    from fluxq_conformance.core.exchange import Redactor
    from fluxq_conformance.core.results import RunReport
    from fluxq_conformance.run.runner import RunSettings
    from fluxq_conformance.run.targets import Target

KEY_ENV = "FLUXQ_API_KEY"
#: Live runs: 2 lifecycle tasks (success, cancel) + 1 boundary probe per model (3 models).
DEFAULT_LIVE_MAX_TASKS = 9
SLOW_MARKER = "[fluxq:queue=0.2] [fluxq:run=5]"
#: The check families (``checks.registry.Family``), spelled here so that `fluxq --help` stays light.
SECTIONS = ("auth", "lifecycle", "outputs", "schema", "client")


class UsageError(Exception):
    """Bad arguments (exit 2)."""


@dataclass(frozen=True)
class ConformanceArgs:
    """The options of ``fluxq conformance`` (see :func:`register` for their help)."""

    base_url: str | None = None
    provider: str | None = None
    cassettes: Path | None = None
    api_key: str | None = None
    auth: str = "auto"
    max_examples: int = 10
    seed: int = 0
    stateful_steps: int = 10
    only: str = ",".join(SECTIONS)
    max_tasks: int = DEFAULT_LIVE_MAX_TASKS
    allow_fuzz_submit: bool = False
    poll_interval: float | None = None
    deadline: float | None = None
    record: Path | None = None
    report_json: Path | None = None
    junit: Path | None = None
    html: Path | None = None
    verbose: bool = False
    strict: bool = False
    list_checks: bool = False
    protocol: str = "queue"


HELP = (
    "Judge a FLUX queue provider against fluxq's OpenAPI spec. Default target: the built-in reference "
    "provider (no key, no network). Exit 0: nothing failed (warnings: differences from fluxq choices); "
    "1: a documented or evidence rule failed (with --strict: any warning); 2: the run could not happen, "
    "or a check hit an internal error (the report is still written)."
)


def register(app: typer.Typer) -> None:
    """Add the ``conformance`` command to the ``fluxq`` typer app (imports nothing heavy)."""

    @app.command("conformance", help=HELP)
    def conformance(
        base_url: Annotated[
            str | None, typer.Option(help="A live provider's base URL (ends in /model).", show_default=False)
        ] = None,
        provider: Annotated[
            str | None,
            typer.Option(help=f"A known live provider: {', '.join(sorted(PROVIDERS))}.", show_default=False),
        ] = None,
        cassettes: Annotated[
            Path | None,
            typer.Option(
                metavar="DIR|reference|documented",
                help="Judge recorded cassettes offline: a directory, or a set shipped with fluxq.",
                show_default=False,
            ),
        ] = None,
        api_key: Annotated[
            str | None, typer.Option(help=f"The API key (default: ${KEY_ENV}).", show_default=False)
        ] = None,
        auth: Annotated[str, typer.Option(help="Auth scheme: auto, bearer or key.")] = "auto",
        max_examples: Annotated[int, typer.Option(help="Examples per operation / property.")] = 10,
        seed: Annotated[int, typer.Option(help="Seed of every generator (deterministic).")] = 0,
        stateful_steps: Annotated[int, typer.Option(help="Steps of the stateful phase.")] = 10,
        only: Annotated[str, typer.Option(help="Comma-separated sections to run.")] = ",".join(SECTIONS),
        max_tasks: Annotated[
            int, typer.Option(help="Live targets: cap on tasks the lifecycle checks create.")
        ] = DEFAULT_LIVE_MAX_TASKS,
        allow_fuzz_submit: Annotated[
            bool, typer.Option("--allow-fuzz-submit", help="Live: let schemathesis fuzz submit (billed).")
        ] = False,
        poll_interval: Annotated[
            float | None,
            typer.Option(help="Seconds between polls (default 1 live, 0.05 reference).", show_default=False),
        ] = None,
        deadline: Annotated[
            float | None,
            typer.Option(
                help="Seconds a task may take (default 300 live, 20 reference).", show_default=False
            ),
        ] = None,
        record: Annotated[
            Path | None, typer.Option(metavar="DIR", help="Record cassettes (secrets scrubbed).")
        ] = None,
        report_json: Annotated[Path | None, typer.Option(metavar="PATH", help="Write a JSON report.")] = None,
        junit: Annotated[Path | None, typer.Option(metavar="PATH", help="Write a JUnit XML report.")] = None,
        html: Annotated[Path | None, typer.Option(metavar="PATH", help="Write an HTML report.")] = None,
        strict: Annotated[
            bool,
            typer.Option(
                "--strict",
                help="Exit 1 on warnings too (differences from fluxq choices, not from documented rules).",
            ),
        ] = False,
        verbose: Annotated[
            bool, typer.Option("--verbose", help="Show every row (check × model × operation).")
        ] = False,
        list_checks: Annotated[
            bool, typer.Option("--list-checks", help="Print every check id and what it asserts.")
        ] = False,
        protocol: Annotated[
            str,
            typer.Option(
                help="API format: queue (/v1/queue/{model}) or generation (/v1/generation, seed 003)."
            ),
        ] = "queue",
    ) -> None:
        options = {name: value for name, value in locals().items() if name in _FIELDS}
        raise typer.Exit(run(ConformanceArgs(**options)))


_FIELDS = frozenset(ConformanceArgs.__dataclass_fields__)


def _validate(args: ConformanceArgs) -> None:
    targets = [name for name in ("base_url", "provider", "cassettes") if getattr(args, name) is not None]
    if len(targets) > 1:
        raise UsageError("--base-url, --provider and --cassettes exclude each other")
    if args.provider is not None and args.provider not in PROVIDERS:
        raise UsageError(f"--provider must be one of {', '.join(sorted(PROVIDERS))}")
    if args.auth not in ("auto", "bearer", "key"):
        raise UsageError("--auth must be auto, bearer or key")
    if args.protocol not in ("queue", "generation"):
        raise UsageError("--protocol must be queue or generation")
    if args.protocol == "generation" and args.cassettes is not None:
        raise UsageError("--cassettes judges queue-format recordings only")


def _sections(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [part for part in chosen if part not in SECTIONS]
    if unknown or not chosen:
        raise UsageError(f"--only takes a comma-separated subset of {','.join(SECTIONS)}")
    return chosen


def settings_from(args: ConformanceArgs, *, live: bool) -> RunSettings:
    """Turn parsed arguments into run settings (live targets poll slower and wait longer).

    Raises:
        UsageError: If a number is out of range.
    """
    from fluxq_conformance.run.driver import Pacing
    from fluxq_conformance.run.runner import RunSettings

    if args.max_examples < 1 or args.max_tasks < 0 or args.stateful_steps < 1:
        raise UsageError("--max-examples and --stateful-steps must be ≥ 1, --max-tasks ≥ 0")
    pacing = Pacing(
        poll_interval=args.poll_interval if args.poll_interval is not None else (1.0 if live else 0.05),
        deadline=args.deadline if args.deadline is not None else (300.0 if live else 20.0),
        slow_marker="" if live else SLOW_MARKER,
        # Finished tasks are read again this much later: a real provider's outcome that flips does
        # so within seconds; the reference provider's would within its short task times.
        settle=3.0 if live else 0.5,
    )
    sections = _sections(args.only)
    if args.protocol == "generation":
        from fluxq_conformance.run.generation import SECTIONS as GENERATION_SECTIONS

        # The client section judges fluxq's own client, whatever format a provider speaks.
        sections = tuple(section for section in sections if section in GENERATION_SECTIONS)
        if not sections:
            raise UsageError(f"--protocol generation runs the sections {','.join(GENERATION_SECTIONS)}")
    return RunSettings(
        sections=sections,
        max_examples=args.max_examples,
        seed=args.seed,
        stateful_steps=args.stateful_steps,
        max_tasks=args.max_tasks if live else None,
        allow_fuzz_submit=args.allow_fuzz_submit,
        pacing=pacing,
        record_dir=args.record,
        # A recording drives one task at a time: interleaved tasks would reorder the cassette on
        # every re-recording (scripts/record), burying behaviour changes in a noisy diff.
        **({"workers": 1} if args.record is not None else {}),
    )


def live_target(args: ConformanceArgs) -> Target:
    """The live target the arguments name.

    Raises:
        UsageError: If no API key is given.
    """
    from fluxq_conformance.core.session import AuthScheme
    from fluxq_conformance.run.targets import Target

    base_url = args.base_url or PROVIDERS[args.provider or ""]
    from fluxq._exceptions import ValidationError
    from fluxq._secrets import clean_api_key

    raw, setting = (args.api_key, "--api-key") if args.api_key else (os.environ.get(KEY_ENV, ""), KEY_ENV)
    if not raw.strip():
        raise UsageError(f"a live target needs an API key (--api-key or ${KEY_ENV})")
    try:
        key = clean_api_key(raw, setting)  # a trailing newline from a key file would otherwise be sent
    except ValidationError as error:
        raise UsageError(str(error)) from None
    from fluxq_conformance.core.exchange import MIN_SECRET_LENGTH

    if len(key) < MIN_SECRET_LENGTH:
        raise UsageError(
            f"the API key is shorter than {MIN_SECRET_LENGTH} characters: reports could not redact it "
            "without corrupting what they show"
        )
    scheme = None if args.auth == "auto" else AuthScheme(args.auth)
    return Target(base_url, base_url.rstrip("/"), key, scheme=scheme, live=True, markers=False)


def write_reports(report: RunReport, args: ConformanceArgs, redact: Redactor) -> None:
    """Write the file reports the arguments ask for."""
    from fluxq_conformance.report.files import write_html, write_json, write_junit

    if args.report_json:
        write_json(report, args.report_json, redact)
    if args.junit:
        write_junit(report, args.junit, redact)
    if args.html:
        write_html(report, args.html, redact)


def _run(args: ConformanceArgs, console: Console) -> tuple[RunReport, Redactor]:
    from fluxq_conformance.core.exchange import Redactor
    from fluxq_conformance.run.targets import reference_target

    if args.protocol == "generation":
        from fluxq_conformance.run.generation import run_generation_conformance as run_conformance
    else:
        from fluxq_conformance.run.runner import run_conformance

    from rich.console import Console as StderrConsole

    from fluxq_conformance.report.progress import LiveProgress

    if args.cassettes is not None:
        from fluxq_conformance.cassettes.replay import replay_directory, resolve_cassettes

        return replay_directory(resolve_cassettes(args.cassettes)), Redactor()
    live = bool(args.base_url or args.provider)
    if not live and args.api_key and args.auth != "auto":
        raise UsageError("--api-key and --auth apply to live targets only")
    # Progress goes to stderr: stdout carries the report alone.
    with LiveProgress(StderrConsole(stderr=True, highlight=False)) as progress:
        if live:
            target = live_target(args)
            settings = settings_from(args, live=True)
            if args.protocol == "generation":
                report = run_conformance(target, settings, progress=progress)
            else:
                from fluxq_conformance.run.runner import run_conformance as run_queue

                # The task budget, printed once the target answered and before anything is billed.
                report = run_queue(
                    target, settings, progress=progress, announce=lambda line: print(line, file=sys.stderr)
                )
            return report, Redactor((target.api_key,))
        with reference_target() as target:
            report = run_conformance(target, settings_from(args, live=False), progress=progress)
            return report, Redactor((target.api_key,))


def _shown(error: BaseException, args: ConformanceArgs) -> str:
    """An error's text as the terminal may show it: every key redacted, control sequences inert."""
    from fluxq._terminal import inert
    from fluxq_conformance.core.exchange import MIN_SECRET_LENGTH, Redactor

    keys = tuple(key.strip() for key in (args.api_key, os.environ.get(KEY_ENV)) if key and key.strip())
    text = str(error)
    for key in keys:
        if len(key) < MIN_SECRET_LENGTH:  # refused before any request; still never echoed
            text = text.replace(key, "$FLUXQ_API_KEY")
    safe = tuple(key for key in keys if len(key) >= MIN_SECRET_LENGTH)
    return inert(Redactor(safe)(text))


def run(args: ConformanceArgs) -> int:
    """Run ``fluxq conformance`` with parsed options and return the exit code."""
    from rich.console import Console

    # A pipe or a CI log gets a wide table rather than rich's 80-column default.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
    try:
        _validate(args)
        if args.list_checks:
            from fluxq_conformance.checks.registry import catalog_text

            print(catalog_text())
            return 0
        from fluxq_conformance.run.runner import RunImpossible

        try:
            report, redact = _run(args, console)
            write_reports(report, args, redact)
        except RunImpossible as error:
            print(f"fluxq conformance: cannot run: {_shown(error, args)}", file=sys.stderr)
            return 2
    except UsageError as error:
        print(f"fluxq conformance: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fluxq conformance: interrupted (tasks it created were cancelled)", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"fluxq conformance: cannot run: {_shown(error, args)}", file=sys.stderr)
        return 2
    from fluxq_conformance.report.console import render

    render(report, console, verbose=args.verbose)
    return report.exit_code(strict=args.strict)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fluxq conformance`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    from fluxq.cli import main as fluxq_main

    return fluxq_main(["conformance", *(sys.argv[1:] if argv is None else argv)])
