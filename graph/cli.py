"""The `mianjing` command line. Heavy imports (langgraph, langchain) happen inside commands, so --help is fast."""

from __future__ import annotations

import json
import math
import os
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graph.batch.inputs import expand_paths, read_post, source_label
from graph.errors import ConfigError, InputError, UserError

app = typer.Typer(
    name="mianjing",
    help="Turn tech-interview posts (面经) into structured data and preparation advice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: typer's rich help formatter imports rich.markdown, markdown_it and rich.traceback
    # (about 0.3 s), which would more than double the time `mianjing --help` takes.
    rich_markup_mode=None,
)


class _PlainArgument(typer.core.TyperArgument):
    """An argument as click writes it: `PATH...`, not typer's `{PATH}...` with `<list[str]>` beside it."""

    def display_type_rich(self, ctx: object) -> None:
        return None

    def _usage_display_name(self) -> str:
        return self.display_name_raw + ("..." if self.nargs != 1 else "")


class _Command(typer.core.TyperCommand):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is typer.core.TyperArgument:
                param.__class__ = _PlainArgument


class OutputFormat(StrEnum):
    md = "md"
    json = "json"


class EngineChoice(StrEnum):
    auto = "auto"
    offline = "offline"
    gemini = "gemini"


def _emit(text: str, *, markdown: bool) -> None:
    if markdown and sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _error(message: str) -> None:
    sys.stderr.write(f"mianjing: {message}\n")


@app.command(cls=_Command, short_help="Analyse posts; with --out, a resumable batch and a question bank.")
def analyze(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Post files, folders or globs; '-' reads standard input.")
    ],
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", "-f", metavar="[md|json]", help="md for people, json (one document per line) for programs."
        ),
    ] = OutputFormat.md,
    engine: Annotated[
        EngineChoice,
        typer.Option(
            "--engine", "-e", metavar="[auto|offline|gemini]", help="auto, offline (no model calls) or gemini."
        ),
    ] = EngineChoice.auto,
    deadline: Annotated[
        float | None,
        typer.Option("--deadline", metavar="SECONDS", help="Seconds the run may take; no quota wait goes past it."),
    ] = None,
    taxonomy: Annotated[
        list[Path] | None,
        typer.Option("--taxonomy", metavar="FILE", help="Extra taxonomy TOML file(s) extending the default topics."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Batch mode: write per-post results, the question bank and exports here."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=64,
            metavar="N",
            help="Posts analysed at once in batch mode (default: one per core offline, 4 with a key).",
        ),
    ] = None,
) -> None:
    """Analyse one post or many and print the result (or, with --out, write a resumable batch)."""
    if deadline is not None and not (0 < deadline < math.inf):
        raise InputError(f"--deadline must be a number of seconds above 0, not {deadline:g}")
    from graph.context import Context, left_of_run
    from graph.run import analyze_text

    settings = load_settings()
    if engine is EngineChoice.gemini and not settings.has_keys:
        raise ConfigError("--engine gemini needs a key: set GEMINI_API_KEYS (see .env.example), or use --engine auto")
    if engine is not EngineChoice.offline and settings.has_keys:
        from graph.router.services import services

        services().pool.store.open()  # a damaged or unreachable state store is said now, before any work
    context = Context(engine=engine.value, deadline_s=deadline, taxonomy_files=[str(p) for p in (taxonomy or [])])
    targets = expand_paths(paths)
    if not targets:
        raise InputError("no posts found in " + ", ".join(paths))
    if out is not None:
        import asyncio

        from graph.batch.runner import run_batch

        _check_out_folder(out)
        summary = asyncio.run(run_batch(targets, out, context, jobs=jobs, max_bytes=settings.max_post_bytes))
        sys.stdout.write("\n".join([f"mianjing batch → {out}", *summary.lines()]) + "\n")
        if summary.failed:
            raise typer.Exit(code=InputError.exit_code)
        return
    failures = 0
    run_started = time.monotonic()
    for target in targets:
        try:
            text, encoding = read_post(target, max_bytes=settings.max_post_bytes)
        except InputError as exc:
            failures += 1
            _error(str(exc))
            continue
        post_context = left_of_run(context, run_started, time.monotonic())
        analysis = analyze_text(text, source=source_label(target), encoding=encoding, context=post_context)
        if output_format is OutputFormat.json:
            _emit(analysis.model_dump_json() + "\n", markdown=False)
        else:
            from graph.batch.render import to_markdown

            _emit(to_markdown(analysis) + ("\n" if len(targets) > 1 else ""), markdown=True)
    if failures:
        raise typer.Exit(code=InputError.exit_code)


def _check_out_folder(out: Path) -> None:
    """--out must be a folder mianjing can write to, made if missing; a file there is never overwritten."""
    import tempfile

    try:
        if out.exists() and not out.is_dir():
            raise InputError(f"--out {out}: is a file, not a folder")
        out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out).close()
    except OSError as exc:
        raise InputError(f"--out {out}: cannot write there: {exc.strerror or exc}") from None


def load_settings():
    """Settings from the environment and .env; a malformed value is a config error, not a traceback."""
    from pydantic import ValidationError

    from graph.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None


@app.command(short_help="Key and model health: ok, cooling, dead or disabled (never a key).")
def status(
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", metavar="[md|json]", help="md table or json.")
    ] = OutputFormat.md,
    reset: Annotated[
        bool, typer.Option("--reset", help="Forget cooldowns, dead models, disabled keys and endpoint trouble.")
    ] = False,
    clear_cache: Annotated[
        bool, typer.Option("--clear-cache", help="Forget cached model answers too: the next run asks again.")
    ] = False,
) -> None:
    """Pool health per key fingerprint and model: ok, cooling until, dead or disabled. Never shows a key."""
    from graph.router.services import Services

    svc = Services.create(load_settings())
    if reset:
        svc.pool.reset()
    if clear_cache:
        svc.answers().clear()
        sys.stderr.write(f"mianjing: cleared the cached model answers in {svc.pool.store.cache_where}\n")
    rows, state = svc.pool.health(svc.settings.gemini_models), svc.pool.store.where
    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps({"state": state, "deployments": rows}, ensure_ascii=False) + "\n")
        return
    if not rows:
        sys.stdout.write("No Gemini key is set: mianjing runs offline. Set GEMINI_API_KEYS (see .env.example).\n")
        return
    lines = [f"State: {state}", "", "| key | project | model | status | today |", "|---|---|---|---|---|"]
    lines += [f"| {r['key']} | {r['project']} | {r['model']} | {r['status']} | {r['today']} |" for r in rows]
    _emit("\n".join(lines) + "\n", markdown=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the `--format json` output."""
    from graph.state import Analysis

    sys.stdout.write(json.dumps(Analysis.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console entry point: user errors are one line and an exit code, never a traceback."""
    try:
        # Typer handles --help, usage errors (exit 2) and typer.Exit itself, then exits.
        app()
    except UserError as exc:
        _error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        # `mianjing analyze … | head` closed the pipe; that is not an error.
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:
        if os.environ.get("MIANJING_DEBUG"):
            raise
        from graph.router.failures import redact

        _error(redact(f"internal error: {type(exc).__name__}: {exc} (set MIANJING_DEBUG=1 for the traceback)"))
        sys.exit(1)


if __name__ == "__main__":
    main()
