"""The ``fluxq`` command line.

Commands: ``generate MODEL PROMPT`` (submit, live progress, save the images, print their paths),
``batch INPUT.jsonl --out DIR`` (many jobs, journaled and resumable; see `fluxq.AsyncClient.batch`),
``status | result | cancel REQUEST_ID --model M``, ``models [MODEL]`` (the spec's models and
parameters), ``docs-diff PAGE...`` (compare provider pages with
the spec, see `fluxq._docs`), and ``serve`` / ``conformance`` (from the
conformance extra; their arguments are passed through). ``--json`` prints one JSON object for scripts.
Every command takes ``--base-url``, ``--provider``, ``--api-key`` (or ``FLUXQ_API_KEY``), ``--auth`` and
``--protocol`` (``queue`` or ``generation``, or ``FLUXQ_PROTOCOL``: the API format, see `fluxq._protocol`).

Exit codes: 0 ok · 1 task failed (batch: a line did not finish) · 2 usage or validation error (or an
unwritable ``--out``, or a journal that cannot be resumed) ·
3 API or connection error · 4 wait timed out (the task may still be running; resume with
``fluxq result``) · 130 interrupted (a best-effort cancel was sent).

``fluxq --help`` imports neither httpx, pydantic nor the generated code. Tests drive the CLI through
`build_app` with ``make_client`` (a factory of `fluxq.Client`, e.g. one with a test transport).
"""

import logging
import shlex
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from ._cli_support import (
    CONFORMANCE_EXTRA_HINT,
    EXIT_OK,
    EXIT_TASK_FAILED,
    EXIT_USAGE,
    SERVE_HINT,
    assign_images,
    check_output_dir,
    check_timeout,
    describe_event,
    dumps,
    error_dict,
    error_lines,
    event_dict,
    exit_code_for,
    hint_lines,
    parse_param,
    parse_rate,
)
from ._terminal import inert

if TYPE_CHECKING:
    import typer
    from rich.text import Text

    from ._batch_report import BatchProgress, BatchReport
    from ._client import Client
    from ._generated_models import ModelId
    from ._status import StatusEvent

EXIT_CODES_HELP = (
    "Exit codes: 0 ok, 1 task failed, 2 usage/validation error, 3 API/connection error, "
    "4 wait timed out, 130 interrupted."
)


@dataclass(frozen=True)
class Connection:
    """Where and how the CLI connects: base URL, provider, API key, auth scheme and API format."""

    api_key: str | None
    base_url: str | None
    provider: str | None
    auth: str
    protocol: str | None = None


ClientFactory = Callable[[Connection], "Client"]


def default_client(connection: Connection) -> "Client":
    """Build a `fluxq.Client` for a connection.

    Raises:
        ValidationError: Bad settings (no key, unknown provider, ...).
    """
    from ._client import Client  # imported late: kept out of `fluxq --help`

    return Client(
        connection.api_key,
        base_url=connection.base_url,
        provider=connection.provider,  # type: ignore[arg-type]  # checked by the client
        auth=connection.auth,  # type: ignore[arg-type]  # checked by the client
        protocol=connection.protocol,  # type: ignore[arg-type]  # checked by the client
    )


#: Commands of the conformance extra: name → (module with ``register(app)``, one-line help).
OPTIONAL_COMMANDS = {
    "serve": ("fluxq_reference.cli", "Run the reference provider locally (conformance extra)."),
    "conformance": ("fluxq_conformance.cli", "Judge a provider against the spec (conformance extra)."),
}


def _optional_command(name: str) -> Any:
    """Build ``serve`` or ``conformance`` from the conformance extra, or a stub saying how to get it.

    Returns:
        The command, a click command as typer builds it.
    """
    import typer

    module, help_text = OPTIONAL_COMMANDS[name]
    single = typer.Typer(
        add_completion=False, rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]}
    )
    try:
        import_module(module).register(single)
    except ImportError:
        stub_settings = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}

        @single.command(name, help=f"{help_text} (missing)", context_settings=stub_settings)
        def missing_extra() -> None:
            print(f"fluxq: {CONFORMANCE_EXTRA_HINT}", file=sys.stderr)
            raise typer.Exit(EXIT_USAGE)

    command = typer.main.get_command(single)
    command.name = name
    return command


def _lazy_group() -> Any:
    """The app's click group class: ``serve`` and ``conformance`` are loaded only when they run.

    ``fluxq --help`` lists them from :data:`OPTIONAL_COMMANDS` without importing the conformance extra.
    """
    from typer.core import TyperGroup

    class LazyGroup(TyperGroup):
        def list_commands(self, ctx: Any) -> list[str]:
            return [*super().list_commands(ctx), *OPTIONAL_COMMANDS]

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            if cmd_name in OPTIONAL_COMMANDS:
                return _optional_command(cmd_name)
            return super().get_command(ctx, cmd_name)

        def format_commands(self, ctx: Any, formatter: Any) -> None:
            rows = []
            limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
            for name in super().list_commands(ctx):
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit=limit)))
            rows += [(name, help_text) for name, (_module, help_text) in OPTIONAL_COMMANDS.items()]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    return LazyGroup


class _Progress:
    """A live status line (on a terminal) or one line per event (otherwise), on stderr."""

    def __init__(self, label: str, quiet: bool) -> None:
        self._label = label
        self._quiet = quiet
        self._state = "submitted"  # built once submit has returned the id
        self._started = time.monotonic()

    def __rich__(self) -> "Text":
        from rich.text import Text  # imported late: kept out of `fluxq --help`

        # A Text, not a str: rich would read "[...]" in server text as markup.
        return Text(f"{self._label}: {self._state} · {time.monotonic() - self._started:.1f} s")

    def update(self, event: "StatusEvent") -> None:
        self._state = describe_event(event)
        if not self._quiet and not sys.stderr.isatty():
            print(f"{self._label}: {self._state}", file=sys.stderr)

    def final(self) -> None:
        """Print the line that stays: the task, how it ended and how long it took."""
        if not self._quiet:
            print(f"{self._label}: {self._state} · {time.monotonic() - self._started:.1f} s", file=sys.stderr)

    @contextmanager
    def live(self) -> Iterator[None]:
        if self._quiet:
            yield
            return
        if not sys.stderr.isatty():
            # The id as soon as it is known, before the first poll answers.
            print(f"{self._label}: {self._state}", file=sys.stderr)
            yield
            return
        from rich.console import Console  # imported late: kept out of `fluxq --help`

        with Console(stderr=True).status(self):
            yield


class _BatchDisplay:
    """A batch's progress: a live line on a terminal, else a line every few seconds, on stderr."""

    EVERY_S = 2.0

    def __init__(self, quiet: bool, source: Path) -> None:
        self._quiet = quiet
        self._source = source
        self._last: BatchProgress | None = None
        self._printed_at = -self.EVERY_S

    def __rich__(self) -> str:
        from ._batch_report import progress_line

        return "starting" if self._last is None else progress_line(self._last)

    def update(self, progress: "BatchProgress") -> None:
        first, self._last = self._last is None, progress
        if first and not self._quiet:  # bad lines are known before anything is sent: say so at once
            for problem in progress.problems:
                print(f"fluxq: {self._source}: {problem}", file=sys.stderr, flush=True)
        if self._quiet or sys.stderr.isatty():
            return
        now = time.monotonic()
        if now - self._printed_at >= self.EVERY_S:
            self._printed_at = now
            print(self.__rich__(), file=sys.stderr, flush=True)

    def final(self) -> None:
        if not self._quiet and not sys.stderr.isatty() and self._last is not None:
            print(self.__rich__(), file=sys.stderr, flush=True)

    @contextmanager
    def live(self) -> Iterator[None]:
        if self._quiet or not sys.stderr.isatty():
            yield
            return
        from rich.console import Console
        from rich.live import Live

        with Live(self, console=Console(stderr=True), refresh_per_second=4, transient=False):
            yield


def _report_dict(report: "BatchReport") -> dict[str, Any]:
    return {
        "total": report.total,
        "counts": dict(report.counts),
        "images": report.images,
        "elapsed_s": round(report.elapsed, 3),
        "manifest": str(report.manifest),
        "journal": str(report.journal),
        "unknown_lines": list(report.unknown_lines),
        "invalid_lines": [{"line": p.line, "problem": p.message} for p in report.problems],
        "rate_limited": report.rate_limited,
        "interrupted": report.interrupted,
    }


class _InterruptReportedByTheCli(logging.Filter):
    """Drops the library's "interrupted while waiting" warning: the CLI's one Ctrl-C line says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("interrupted while waiting")


@contextmanager
def _quiet_library_interrupts() -> Iterator[None]:
    """While a command runs (only then: the library's own users keep the warning)."""
    library, quiet = logging.getLogger("fluxq"), _InterruptReportedByTheCli()
    library.addFilter(quiet)
    try:
        yield
    finally:
        library.removeFilter(quiet)


def _model_id(name: str) -> "ModelId":
    """A model id given on the command line, checked against the spec's models (`ValidationError`)."""
    from ._params import model_id  # imported late: kept out of `fluxq --help`

    return model_id(name)


@contextmanager
def _naming_the_task(model: str, request_id: str, out: Path | None = None) -> Iterator[None]:
    """Add the task's id and the command that resumes it to any error (the task exists and may be billed)."""
    try:
        yield
    except Exception as exc:
        resume = f"fluxq result {request_id} -m {model}" + (f" --out {shlex.quote(str(out))}" if out else "")
        exc.add_note(f"{model} task {request_id}: resume with `{resume}`")
        raise


def build_app(make_client: ClientFactory | None = None) -> "typer.Typer":
    """Build the typer application.

    Args:
        make_client: Builds the client from the connection options (default `default_client`).
    """
    import typer  # imported late: kept out of module import

    factory = make_client or default_client
    app = typer.Typer(
        name="fluxq",
        help=f"Typed client for the FLUX queue APIs (SeaCloud, OdiRouter).\n\n{EXIT_CODES_HELP}",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # plain click help: rich_utils alone costs ~0.25 s at `fluxq --help`
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=_lazy_group(),
    )

    def show_version(value: bool) -> None:
        if value:
            print(f"fluxq {_installed_version()}")
            raise typer.Exit(EXIT_OK)

    @app.callback()
    def root(
        version: Annotated[
            bool,
            typer.Option(
                "--version", callback=show_version, is_eager=True, help="Print the version and exit."
            ),
        ] = False,
    ) -> None:
        """Typed client for the FLUX queue APIs."""

    ApiKey = Annotated[str | None, typer.Option(envvar="FLUXQ_API_KEY", show_default=False, help="API key.")]
    BaseUrl = Annotated[
        str | None,
        typer.Option(envvar="FLUXQ_BASE_URL", show_default=False, help="Base URL (ends in /model)."),
    ]
    ProviderOpt = Annotated[
        str | None, typer.Option("--provider", show_default=False, help="seacloud or odirouter.")
    ]
    Auth = Annotated[str, typer.Option(help="bearer or key (Authorization scheme).")]
    ProtocolOpt = Annotated[
        str | None,
        typer.Option(
            "--protocol",
            envvar="FLUXQ_PROTOCOL",
            show_default=False,
            help="API format: queue (/v1/queue/{model}, default) or generation (/v1/generation).",
        ),
    ]
    from . import _model_help  # light: the generated tables, no HTTP or pydantic
    from ._generated_models import MODEL_IDS

    Model = Annotated[str, typer.Option("--model", "-m", help=f"Model id ({', '.join(MODEL_IDS)}).")]
    AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]

    def run_command(
        connection: Connection,
        body: Callable[["Client"], int],
        as_json: bool,
        *,
        command: str,
        model: str | None = None,
    ) -> None:
        from ._config import resolve_base_url  # imported late: kept out of `fluxq --help`

        # --api-key and --base-url read FLUXQ_API_KEY and FLUXQ_BASE_URL (typer envvars).
        if connection.api_key is None and connection.base_url is None and connection.provider is None:
            print(f"fluxq: no API key and no base URL.\n{SERVE_HINT}", file=sys.stderr)
            raise typer.Exit(EXIT_USAGE)
        if not connection.api_key:
            print("fluxq: no API key: pass --api-key KEY or set FLUXQ_API_KEY", file=sys.stderr)
            raise typer.Exit(EXIT_USAGE)
        base_url, source = resolve_base_url(connection.base_url, connection.provider)
        try:
            with _quiet_library_interrupts(), factory(connection) as client:
                code = body(client)
        except (Exception, KeyboardInterrupt) as error:
            code = exit_code_for(error)
            for line in error_lines(error, code):
                print(line, file=sys.stderr)
            for line in hint_lines(error, command=command, base_url=base_url, source=source, model=model):
                print(inert(line), file=sys.stderr)
            if as_json:
                print(dumps(error_dict(error, code)))
        raise typer.Exit(code)

    @app.command(
        help="Submit a task, show its progress, save the images and print their paths.",
        epilog=_model_help.generate_epilog(),
    )
    def generate(
        model: Annotated[str, typer.Argument(help="Model id.")],
        prompt: Annotated[str, typer.Argument(help="The prompt.")],
        param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value (repeatable).")] = (
            None
        ),
        image: Annotated[
            list[str] | None, typer.Option("--image", "-i", help="Input image path or URL (repeatable).")
        ] = None,
        out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the images.")] = Path(),
        timeout: Annotated[float, typer.Option(help="Total seconds to wait.")] = 600.0,
        as_json: AsJson = False,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
        provider: ProviderOpt = None,
        auth: Auth = "bearer",
        protocol: ProtocolOpt = None,
    ) -> None:
        def body(client: "Client") -> int:
            from ._params import model_info  # imported late: kept out of `fluxq --help`

            # Everything that can be refused is refused here, before the (billed) submit.
            wait_timeout = check_timeout("--timeout", timeout)
            params = dict(parse_param(item) for item in param or [])
            params |= assign_images(image or [], list(model_info(model).image_fields))
            check_output_dir("--out", out)
            job = client.submit(_model_id(model), {**params, "prompt": prompt})
            with _naming_the_task(model, job.request_id, out):
                progress = _Progress(inert(f"{model} {job.request_id}"), quiet=as_json)
                with progress.live():
                    result = job.wait(timeout=wait_timeout, on_update=progress.update)
                progress.final()
                paths = result.save_all(out)
            if as_json:
                outputs = [{"url": o.url, "path": str(p)} for o, p in zip(result.outputs, paths, strict=True)]
                shape: dict[str, Any] = {"request_id": job.request_id, "model": model, "outputs": outputs}
                if result.usage is not None:
                    shape["usage"] = result.usage.model_dump(mode="json", exclude_none=True)
                print(dumps(shape))
            else:
                print("\n".join(inert(path) for path in paths))
                if result.usage is not None:
                    cost = inert(f"{model} {job.request_id}: cost {result.usage.cost} USD")
                    print(cost, file=sys.stderr)
            return EXIT_OK

        connection = Connection(api_key, base_url, provider, auth, protocol)
        run_command(connection, body, as_json, command="generate", model=model)

    @app.command(
        help="Run many generations from a JSONL file (one job per line: model, optional id, parameters). "
        "Journaled (resume with --resume; a submitted job is never submitted again), one shared pace "
        "(429s slow the whole batch), live progress, a manifest (DIR/manifest.jsonl). Ctrl-C stops "
        "submitting and cancels or keeps the running tasks (--on-interrupt); a second Ctrl-C stops at once."
    )
    def batch(
        input_file: Annotated[Path, typer.Argument(metavar="INPUT.jsonl", help="One JSON job per line.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the images and manifest.")],
        concurrency: Annotated[int, typer.Option(min=1, help="Most jobs in flight.")] = 32,
        rate: Annotated[
            str | None, typer.Option(help="Most submits per second: R/s or R/min.", show_default=False)
        ] = None,
        journal: Annotated[
            Path | None,
            typer.Option(help="Journal file (default DIR/.fluxq-batch.sqlite).", show_default=False),
        ] = None,
        manifest: Annotated[
            Path | None, typer.Option(help="Manifest file (default DIR/manifest.jsonl).", show_default=False)
        ] = None,
        resume: Annotated[
            bool, typer.Option("--resume", help="Continue the journal of an earlier run.")
        ] = False,
        resubmit_unknown: Annotated[
            bool,
            typer.Option(
                "--resubmit-unknown",
                help="Also re-submit lines whose submit outcome is unknown (may bill twice).",
            ),
        ] = False,
        on_interrupt: Annotated[
            str, typer.Option("--on-interrupt", help="On Ctrl-C: cancel or keep the running tasks.")
        ] = "cancel",
        timeout: Annotated[float, typer.Option(help="Total seconds to wait for each task.")] = 600.0,
        as_json: AsJson = False,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
        provider: ProviderOpt = None,
        auth: Auth = "bearer",
        protocol: ProtocolOpt = None,
    ) -> None:
        if on_interrupt not in ("cancel", "keep"):
            print(f"fluxq: --on-interrupt must be cancel or keep (got {on_interrupt!r})", file=sys.stderr)
            raise typer.Exit(EXIT_USAGE)

        def body(client: "Client") -> int:
            from ._exceptions import JournalError

            task_timeout = check_timeout("--timeout", timeout)
            submits_per_s = None if rate is None else parse_rate(rate)
            display = _BatchDisplay(quiet=as_json, source=input_file)
            try:
                with display.live():
                    report = client.batch(
                        input_file,
                        out=out,
                        journal=journal,
                        manifest=manifest,
                        concurrency=concurrency,
                        rate=submits_per_s,
                        resume=resume,
                        resubmit_unknown=resubmit_unknown,
                        on_interrupt=on_interrupt,  # type: ignore[arg-type]  # checked above
                        timeout=task_timeout,
                        on_progress=display.update,
                    )
            except JournalError as error:
                print(f"fluxq: {error}", file=sys.stderr)
                return EXIT_USAGE
            display.final()
            if as_json:
                for problem in report.problems:
                    print(f"fluxq: {input_file}: {problem}", file=sys.stderr)
            print(dumps(_report_dict(report)) if as_json else report.summary())
            return EXIT_OK if report.ok else EXIT_TASK_FAILED

        connection = Connection(api_key, base_url, provider, auth, protocol)
        run_command(connection, body, as_json, command="batch", model=None)

    @app.command(help="Show a task's status once.")
    def status(
        request_id: Annotated[str, typer.Argument(help="The task's id.")],
        model: Model,
        as_json: AsJson = False,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
        provider: ProviderOpt = None,
        auth: Auth = "bearer",
        protocol: ProtocolOpt = None,
    ) -> None:
        def body(client: "Client") -> int:
            event = client.job(
                _model_id(model), request_id
            ).status()  # describe_event makes server text inert
            print(dumps(event_dict(event)) if as_json else describe_event(event))
            return EXIT_OK

        connection = Connection(api_key, base_url, provider, auth, protocol)
        run_command(connection, body, as_json, command="status", model=model)

    @app.command(help="Wait for a task's result; print the output URLs, or save them with --out.")
    def result(
        request_id: Annotated[str, typer.Argument(help="The task's id.")],
        model: Model,
        out: Annotated[Path | None, typer.Option("--out", "-o", help="Save the images here.")] = None,
        timeout: Annotated[float, typer.Option(help="Total seconds to wait.")] = 600.0,
        as_json: AsJson = False,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
        provider: ProviderOpt = None,
        auth: Auth = "bearer",
        protocol: ProtocolOpt = None,
    ) -> None:
        def body(client: "Client") -> int:
            wait_timeout = check_timeout("--timeout", timeout)
            if out is not None:
                check_output_dir("--out", out)
            with _naming_the_task(model, request_id, out):
                outcome = client.job(_model_id(model), request_id).wait(timeout=wait_timeout)
                paths = [str(p) for p in outcome.save_all(out)] if out is not None else []
            if as_json:
                shape: dict[str, Any] = {
                    "request_id": request_id,
                    "outputs": [o.url for o in outcome.outputs],
                }
                print(dumps(shape | ({"paths": paths} if out is not None else {})))
            else:
                print("\n".join(inert(line) for line in paths or [o.url for o in outcome.outputs]))
            return EXIT_OK

        connection = Connection(api_key, base_url, provider, auth, protocol)
        run_command(connection, body, as_json, command="result", model=model)

    @app.command(help="Ask to cancel a task (it may still finish).")
    def cancel(
        request_id: Annotated[str, typer.Argument(help="The task's id.")],
        model: Model,
        as_json: AsJson = False,
        api_key: ApiKey = None,
        base_url: BaseUrl = None,
        provider: ProviderOpt = None,
        auth: Auth = "bearer",
        protocol: ProtocolOpt = None,
    ) -> None:
        def body(client: "Client") -> int:
            accepted = client.job(_model_id(model), request_id).cancel()
            outcome = "requested" if accepted else "already_completed"
            print(dumps({"request_id": request_id, "cancel": outcome}) if as_json else f"cancel {outcome}")
            return EXIT_OK

        connection = Connection(api_key, base_url, provider, auth, protocol)
        run_command(connection, body, as_json, command="cancel", model=model)

    @app.command(help="List the models, or one model's parameters (type, range, default, description).")
    def models(
        model: Annotated[str | None, typer.Argument(help="A model id.", show_default=False)] = None,
        as_json: AsJson = False,
    ) -> None:
        if model is None:
            print(
                dumps({"models": [_model_help.model_dict(m) for m in MODEL_IDS]})
                if as_json
                else _model_help.model_list_text()
            )
            return
        if model not in MODEL_IDS:
            print(f"fluxq: unknown model {model!r}; known: {', '.join(MODEL_IDS)}", file=sys.stderr)
            raise typer.Exit(EXIT_USAGE)
        print(dumps(_model_help.model_dict(model)) if as_json else _model_help.model_text(model))

    @app.command(
        "docs-diff",
        help="Compare provider model pages (text, Markdown or HTML) with the spec. "
        "Exit codes: 0 the pages agree (or differ only where the spec marks a choice), 1 drift, "
        "2 a page or the spec cannot be read.",
    )
    def docs_diff(
        pages: Annotated[list[Path], typer.Argument(help="Saved model pages.")],
        model: Annotated[
            str | None, typer.Option("--model", "-m", help="Only pages documenting this model.")
        ] = None,
        spec: Annotated[
            Path | None,
            typer.Option(
                help="The spec to compare with and to patch (default: spec/fluxq.openapi.yaml in the "
                "current directory, a checkout of fluxq).",
                show_default=False,
            ),
        ] = None,
        as_json: AsJson = False,
        patch: Annotated[
            bool, typer.Option("--patch", help="Write the differences into the spec; print what is left.")
        ] = False,
    ) -> None:
        try:
            from ._docs import docs_diff as run_docs_diff  # imported late: needs the docs extra
        except ImportError as error:
            print(
                f"fluxq: docs-diff needs the docs extra (pip install 'fluxq[docs]'): {error}",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_USAGE) from error
        if spec is None:
            spec = Path("spec/fluxq.openapi.yaml")
            if not spec.is_file():
                # The wrapper does not depend on the spec package (ARCHITECTURE.md): name the file.
                print("fluxq: no spec/fluxq.openapi.yaml here: pass --spec PATH", file=sys.stderr)
                raise typer.Exit(EXIT_USAGE)
        raise typer.Exit(run_docs_diff(pages, spec, model=model, json_output=as_json, patch=patch))

    return app


def _installed_version() -> str:
    from importlib.metadata import version  # one source: the installed distribution's metadata

    return version("fluxq")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (the ``fluxq`` console script).

    Args:
        argv: Arguments without the program name (default ``sys.argv[1:]``).
    """
    try:
        build_app()(args=list(sys.argv[1:] if argv is None else argv), prog_name="fluxq")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    return EXIT_OK  # pragma: no cover - click always exits in standalone mode


__all__ = ["Connection", "build_app", "default_client", "main"]
