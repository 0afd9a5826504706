"""The command line: arguments -> API call -> rendering -> exit code.

Exit codes: 0 ok; 1 findings at error level or some records failed; 2 unusable input,
configuration or arguments (a message, never a traceback unless ``--debug``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import shutil
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import attrs
import click
from rich.console import Console
from rich.markup import escape as markup_escape
from rich.table import Table

from . import __version__
from .catalog import Catalog, load_catalog
from .catalog.catalog import is_hidden
from .catalog.converter import parse_datetime
from .errors import GovDisclosureError, PublishError
from .model import RECORD_TYPES, Evaluation, localize
from .model.common import LANGUAGE_PATTERN
from .publishers.pages import clean
from .publishing.pipeline import PublishReport, publication_instant

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

console = Console(highlight=False, emoji=False)
if not console.is_terminal:  # pipes and logs get whole tables, not 80 truncated columns
    console = Console(highlight=False, emoji=False, width=200)
err_console = Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def escape(text: str) -> str:
    """``text`` for the terminal: rich's markup escaped, and control and bidi characters
    (the escape sequence in a title, a file name; a carriage return, which would let a
    title overwrite its line) taken out. Console emoji codes are off
    too: ``:smile:`` in a record stays text."""
    return markup_escape(clean(text).replace("\r", ""))


#: A year whose 31 December and the day after are dates (the audit runs as of the former).
YEAR = click.IntRange(1, 9998)


class State:
    """Options every command shares (given before or after the command name)."""

    def __init__(self) -> None:
        self.json = False
        self.debug = False


def _shared(func: F) -> F:
    """Add ``--json`` and ``--debug`` to a command, merged with the group's."""

    def set_json(ctx: click.Context, _: click.Parameter, value: bool) -> None:
        if value:
            ctx.ensure_object(State).json = True

    def set_debug(ctx: click.Context, _: click.Parameter, value: bool) -> None:
        if value:
            ctx.ensure_object(State).debug = True

    func = click.option("--json", "as_json", is_flag=True, expose_value=False,
                        callback=set_json, help="Print one JSON document instead.")(func)
    return click.option("--debug", is_flag=True, expose_value=False, callback=set_debug,
                        help="Show tracebacks.")(func)


def emit(data: Any) -> None:
    """Print a JSON document for machines."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str))


def fail(ctx: click.Context, exc: BaseException, code: int = EXIT_USAGE,
         warnings: Sequence[object] | None = None) -> None:
    """Report an error and leave with exit code ``code`` (with --debug, after its
    traceback); ``warnings`` (validate's, when the catalogue does not load) after it, and
    in the JSON document."""
    state = ctx.ensure_object(State)
    if state.debug:
        click.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
    if state.json:
        problems = [
            {"file": p.file, "line": p.line, "position": p.position, "type": p.type,
             "record": p.record, "field": p.field, "message": p.message, "text": str(p)}
            for p in getattr(exc, "problems", ())
        ]
        partial = getattr(exc, "report", None)  # a failed target: what the others did
        extra = {"warnings": [str(w) for w in warnings]} if warnings is not None else {}
        emit({"ok": False, "error": type(exc).__name__, "message": _message(exc),
              "problems": problems, **extra,
              **(partial.as_dict() if partial is not None else {})})
        ctx.exit(code)
    if isinstance(exc, GovDisclosureError) or _os_error(exc):
        err_console.print(f"[bold red]error:[/] {escape(_message(exc))}")
    else:
        hint = "please report it" if state.debug else "run with --debug for the traceback"
        err_console.print(f"[bold red]internal error:[/] {escape(repr(exc))} ({hint})")
    for warning in warnings or ():
        err_console.print(f"[yellow]warning[/] {escape(str(warning))}")
    ctx.exit(code)


def _os_error(exc: BaseException) -> bool:
    """An error of the file system about a named path (an output folder under a file, a
    full disk, no permission): the machine's problem, not the program's."""
    return isinstance(exc, OSError) and exc.filename is not None


def _message(exc: BaseException) -> str:
    """The text of an error: an OSError as ``path: what went wrong``."""
    if isinstance(exc, OSError) and exc.filename is not None:
        paths = " -> ".join(str(name) for name in (exc.filename, exc.filename2) if name)
        return f"{paths}: {exc.strerror or exc}"
    return str(exc)


def guarded(func: F) -> F:
    """Turn every error into a message and exit code 2."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except Exception as exc:  # noqa: BLE001 - the CLI boundary: no traceback escapes
            fail(ctx, exc)
        return None

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


def state() -> State:
    """The shared options of the current invocation."""
    return click.get_current_context().ensure_object(State)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="govdisclosure")
@_shared
def cli() -> None:
    """govdisclosure: model, check and publish government disclosure (政务公开)."""


CATALOG = click.argument("catalog", type=click.Path(file_okay=False, path_type=Path))


class _Folder(click.Path):
    """A folder option: ``--out=`` (empty) is a mistake, not the working directory."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("must not be empty", param, ctx)
        return super().convert(value, param, ctx)


FOLDER = _Folder(file_okay=False, path_type=Path)


def _publisher_list(_: click.Context, __: click.Parameter, values: tuple[str, ...]
                    ) -> str | None:
    """``--to``, given once or more (``--to site --to feeds`` is ``--to site,feeds``): None
    when not given; a value that names no publisher is a mistake."""
    if any(not value.replace(",", "").strip() for value in values):
        raise click.BadParameter("names no publisher")
    return ",".join(values) or None


def _load_with_config(catalog: Path) -> Catalog:
    """:func:`load_catalog`; when the records have problems, those of govdisclosure.toml
    are listed with them (``validate`` and ``publish`` alike: every problem at once)."""
    from .errors import CatalogError
    from .publishing.config import check_config

    try:
        return load_catalog(catalog)
    except CatalogError as exc:
        if (catalog / "catalog.toml").is_file():
            raise CatalogError([*exc.problems, *check_config(catalog)]) from exc
        raise


@cli.command()
@CATALOG
@_shared
@guarded
def validate(catalog: Path) -> None:
    """Load a catalogue and its govdisclosure.toml and check them; list every problem."""
    from .audit import profile_problem
    from .catalog.lint import unread_files, warnings
    from .errors import CatalogError
    from .publishing.config import check_config, config_error, misfits, repeated, unready

    try:
        loaded = _load_with_config(catalog)
    except CatalogError as exc:  # files not read may explain it ("no agency 'a2'")
        if not (catalog / "catalog.toml").is_file():
            raise
        fail(click.get_current_context(), exc, warnings=unread_files(catalog))
    problems = [*check_config(catalog), *misfits(loaded)]
    profile = profile_problem(loaded)
    if profile is not None:
        raise CatalogError([profile, *problems])
    if problems:
        raise config_error(catalog, problems)
    summary = summarize(loaded)
    warned = [*warnings(loaded), *(f"govdisclosure.toml: {note}" for note in repeated(catalog)),
              *(f"govdisclosure.toml: publish.{reason}; publish refuses to run it on this "
                "machine" for reason in unready(catalog))]
    if state().json:
        emit({"ok": True, "problems": [], "warnings": [str(w) for w in warned], **summary})
        return
    count = summary["records"]
    console.print(f"[green]ok[/]: {escape(str(catalog))}: {count} record{'s' * (count != 1)} "
                  "valid")
    for warning in warned:
        err_console.print(f"[yellow]warning[/] {escape(str(warning))}")
    print_summary(loaded, summary)


def summarize(catalog: Catalog) -> dict[str, Any]:
    """Counts of records by type and by agency."""
    by_type = Counter(record.TYPE for record in catalog)
    by_agency = Counter(getattr(record, "agency", None) or record.id for record in catalog
                        if record.TYPE != "agency")
    return {"records": len(catalog), "by_type": dict(sorted(by_type.items())),
            "by_agency": dict(sorted(by_agency.items()))}


def print_summary(catalog: Catalog, summary: dict[str, Any]) -> None:
    """Two tables: records by type, records by agency."""
    lang, default = catalog.meta.default_language, catalog.meta.default_language
    types = Table(title="records by type")
    types.add_column("type")
    types.add_column("records", justify="right")
    for name in RECORD_TYPES:
        if name in summary["by_type"]:
            types.add_row(name, str(summary["by_type"][name]))
    console.print(types)
    agencies = Table(title="records by agency")
    agencies.add_column("agency")
    agencies.add_column("name")
    agencies.add_column("records", justify="right")
    for ident, count in summary["by_agency"].items():
        agency = catalog.agency(ident)
        name = localize(agency.name, lang, default) if agency else ""
        agencies.add_row(escape(ident), escape(name), str(count))
    console.print(agencies)


@cli.command()
@click.option("--type", "record_type", type=click.Choice(list(RECORD_TYPES)),
              help="Only this record type.")
@_shared
@guarded
def schema(record_type: str | None) -> None:
    """Print the JSON Schema of catalogue records."""
    from .catalog.schema import record_schema

    emit(record_schema(record_type))


#: The bundled examples, shipped inside the package (examples/ of the repository links here).
EXAMPLES = Path(__file__).resolve().parent / "examples"

SKELETON = {
    "catalog.toml": """\
[catalog]
name = "My agency's disclosure catalogue"
base_url = "https://example.gov/"
default_language = "en"
languages = ["en"]
timezone = "UTC"
""",
    "agencies.toml": """\
[[agency]]
id = "my-agency"
name = "My agency"
level = "city"
""",
    "records/first-announcement.md": """\
+++
type = "disclosure"
id = "first-announcement"
agency = "my-agency"
category = "announcement"
title = "Our first announcement"
issued_at = 2026-01-05T09:00:00
+++
What was decided, in Markdown.
""",
    "govdisclosure.toml": """\
[publish]
out = "public"
""",
}


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--example", type=click.Choice(["jilin-2002"]), help="Copy a bundled example.")
@_shared
@guarded
def init(directory: Path, example: str | None) -> None:
    """Create a new catalogue skeleton, or a copy of a bundled example."""
    if directory.exists() and not directory.is_dir():
        raise click.UsageError(f"{directory} is a file, not a folder")
    if directory.exists() and any(directory.iterdir()):
        raise click.UsageError(f"{directory} exists and is not empty")
    source = EXAMPLES / (example or "")
    if example and not (source / "catalog.toml").is_file():
        raise click.UsageError(f"the example {example!r} is not installed here")
    try:
        if example:
            shutil.copytree(source, directory, dirs_exist_ok=True)
        else:
            for name, text in SKELETON.items():
                target = directory / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    except OSError as exc:  # e.g. a file where a parent folder would go
        raise click.UsageError(f"cannot create {directory}: {exc.strerror or exc}") from exc
    if state().json:
        emit({"ok": True, "created": str(directory), "example": example})
    else:
        console.print(f"created {escape(str(directory))}; next: govdisclosure validate "
                      f"{escape(str(directory))}")


@cli.command()
@_shared
@guarded
def publishers() -> None:
    """List installed publishers, built-in and third-party, with their options; exit 2 if
    any cannot be used (a broken package, two packages claiming one name), listed apart."""
    from .publishing.registry import describe_publishers

    described = describe_publishers()
    usable = [entry for entry in described if "error" not in entry]
    broken = [{"name": entry["name"], "source": entry["source"], "error": entry["error"]}
              for entry in described if "error" in entry]
    if state().json:
        emit({"ok": not broken, "publishers": usable, "errors": broken})
    else:
        table = Table(title="publishers")
        for column in ("name", "source", "audiences", "options"):
            table.add_column(column)
        for entry in usable:
            options = ", ".join(f"{k}={v}" for k, v in entry["options"].items())
            table.add_row(entry["name"], entry["source"], ", ".join(entry["audiences"]),
                          escape(options))
        console.print(table if usable else "no usable publishers installed")
        for entry in broken:
            err_console.print(f"[bold red]error:[/] {escape(entry['error'])}")
    if broken:  # INTERFACE.md: unusable configuration
        click.get_current_context().exit(EXIT_USAGE)


def parse_as_of(value: str | None, catalog: Catalog | None = None) -> dt.datetime | None:
    """``--as-of``: an RFC 3339 datetime, or a date (end of that day in the catalogue zone)."""
    if value is None:
        return None
    moment: dt.date
    try:  # an ISO 8601 calendar or week date (2002-12-31, 20021231, 2002-W52-2): the whole day
        moment = dt.date.fromisoformat(value)
    except ValueError:
        try:  # as catalogue files spell datetimes (2002-12-31t10:00:00z too)
            moment = parse_datetime(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc).replace("not an RFC", "not a date or an RFC"),
                                     param_hint="--as-of") from None
    return publication_instant(moment, catalog.meta.zone if catalog is not None else dt.UTC)


#: The languages of the built-in messages and labels (audit, evaluation, annual report).
_MESSAGE_LANGUAGES = ("en", "zh-CN")


def pick_language(value: str | None, catalog: Catalog) -> str:
    """``--language``: the catalogue's default language when not given; else a language
    of the catalogue or of the built-in messages (matched by its primary subtag: ``zh``,
    ``zh-Hans``). Anything else is a usage error, not a silent fallback to English."""
    if value is None:
        return catalog.meta.default_language
    known = list(dict.fromkeys([*catalog.meta.all_languages, *_MESSAGE_LANGUAGES]))
    primary = value.split("-", maxsplit=1)[0].lower()
    if LANGUAGE_PATTERN.fullmatch(value) and any(
            tag.split("-", maxsplit=1)[0].lower() == primary for tag in known):
        return value
    raise click.BadParameter(f"{value[:50]!r} is neither a catalogue language nor a language of "
                             f"the built-in messages ({', '.join(known)})",
                             param_hint="--language")


@contextlib.contextmanager
def _progress_bar(*, quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar per publisher on the terminal; nothing (not even rich.progress's
    import) when output goes elsewhere."""
    if quiet:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err_console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        yield progress


@cli.command()
@CATALOG
@click.option("--to", "targets", multiple=True, callback=_publisher_list,
              help="Publishers, comma-separated; may be repeated (default: configured).")
@click.option("--out", type=FOLDER,
              help="Output root (default: [publish] out, else public/).")
@click.option("--as-of", "as_of", help="Publish as at this date or datetime (default: now).")
@click.option("--audience", type=click.Choice(["public", "internal", "media"]),
              default="public", show_default=True,
              help="media: the public output plus news releases under embargo, marked as "
              "such (only publishers that serve it: news).")
@click.option("--full", is_flag=True, help="Rebuild everything, not only what changed.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes to render with (default: one per CPU; same output).")
@_shared
@guarded
def publish(catalog: Path, targets: str | None, out: Path | None, as_of: str | None,
            audience: str, full: bool, dry_run: bool, workers: int | None) -> None:
    """Run publishers into the output root; incremental unless --full."""
    from .publishing import publish as run

    loaded = _load_with_config(catalog)
    try:
        with _progress_bar(quiet=state().json or not console.is_terminal) as progress:
            report = run(loaded, targets, out, parse_as_of(as_of, loaded),
                         audience=audience, full=full, dry_run=dry_run, progress=progress,
                         workers=workers)
    except PublishError as exc:
        if exc.report is None:  # nothing ran: the output root or the state store is unusable
            raise
        # a target failed as a whole, the others published (shown before the error): its
        # records failed, exit 1 as for failed records (2 if its configuration was wrong)
        if not state().json:
            print_report(exc.report, dry_run=dry_run)
        fail(click.get_current_context(), exc, EXIT_USAGE if exc.config else EXIT_FINDINGS)
    if state().json:
        emit({"ok": report.failed == 0, **report.as_dict()})
    else:
        print_report(report, dry_run=dry_run)
    if report.failed:
        click.get_current_context().exit(EXIT_FINDINGS)


def print_report(report: PublishReport, *, dry_run: bool) -> None:
    """The publish summary table, then warnings and failed records (on stderr)."""
    table = Table(title=f"published to {escape(report.out)}"
                  + (" (dry run: nothing written)" if dry_run else ""))
    columns = ("publisher", "written", "unchanged", "withdrawn", "removed", "failed",
               "files", "bytes", "seconds")
    for column in columns:
        table.add_column(column, justify="left" if column == "publisher" else "right")
    for item in report.publishers:
        name = (escape(item.name) if item.state == "ok"
                else f"[red]{escape(item.name)} (failed)[/]")
        table.add_row(name, str(item.written), str(item.unchanged), str(item.withdrawn),
                      str(item.removed), str(item.failed), str(item.files_written),
                      str(item.bytes), f"{item.seconds:.2f}")
    console.print(table)
    for warning in report.warnings:
        err_console.print(f"[yellow]warning[/] {escape(warning)}")
    for item in report.publishers:
        if item.state == "failed":
            err_console.print(f"[red]failed[/] {escape(item.name)}: the whole target; its "
                              "output is left unchanged (the error is below)")
        for warning in item.warnings:
            err_console.print(f"[yellow]warning[/] {item.name}: {escape(warning)}")
        for failure in item.failures:
            err_console.print(f"[red]failed[/] {item.name}: {escape(failure['record'])}: "
                              f"{escape(failure['message'])}")


@cli.group()
@_shared  # as on the main group: `ledger --json SUBCOMMAND` too
def ledger() -> None:
    """The append-only, hash-chained record of every publication."""


OUT_OPTION = click.option("--out", type=FOLDER,
                          default=Path("public"), show_default=True, help="Output root.")


@ledger.command("verify")
@OUT_OPTION
@_shared
@guarded
def ledger_verify(out: Path) -> None:
    """Check the whole hash chain; exit 1 if any receipt was edited or deleted (the
    state store too, while published output is left), or the ledger was started anew.
    Receipts dated before earlier ones (runs --as-of a past instant) are warned of."""
    from .errors import LedgerError
    from .publishing import StateStore, state_path
    from .publishing.state import lost_ledger

    def broken(exc: LedgerError) -> NoReturn:
        if state().json:
            emit({"ok": False, "error": type(exc).__name__, "message": str(exc),
                  "problems": []})  # the shape of every other error document
        else:
            err_console.print(f"[bold red]ledger broken:[/] {escape(str(exc))}")
        click.get_current_context().exit(EXIT_FINDINGS)

    lost = lost_ledger(state_path(out))
    if lost is not None:
        broken(LedgerError(lost))
    with StateStore(state_path(out), create=False) as store:
        try:
            count = store.verify()
        except LedgerError as exc:
            broken(exc)
        warnings = [f"receipt {r.seq} ({r.type}:{r.id}, {r.target}) is dated {r.at}, before a "
                    "receipt written earlier (published --as-of a past instant): it does not "
                    "prove that time" for r in store.backdated()]
    if state().json:
        emit({"ok": True, "receipts": count, "warnings": warnings})
    else:
        console.print(f"[green]ok[/]: {count} receipts, hash chain intact")
        for warning in warnings:
            err_console.print(f"[yellow]warning[/] {escape(warning)}")


@ledger.command("show")
@click.argument("ident")
@OUT_OPTION
@_shared
@guarded
def ledger_show(ident: str, out: Path) -> None:
    """Show where and when a record (id or type:id) was published."""
    from .errors import LedgerError
    from .publishing import StateStore, state_path

    with StateStore(state_path(out), create=False) as store:
        receipts = [attrs.asdict(r) for r in store.receipts(ident)]
    if not receipts:
        raise LedgerError(f"{ident!r} was never published to {out}")
    if state().json:
        emit({"ok": True, "record": ident, "receipts": receipts})
        return
    table = Table(title=f"ledger: {escape(ident)}")
    for column in ("seq", "at", "target", "type", "id", "action", "revision_hash", "hash"):
        table.add_column(column)
    for row in receipts:
        table.add_row(*(escape(str(row[c])[:16] if c.endswith("hash") else str(row[c]))
                        for c in ("seq", "at", "target", "type", "id", "action",
                                  "revision_hash", "hash")))
    console.print(table)


@cli.group()
@_shared  # as on the main group: `webhook --json SUBCOMMAND` too
def webhook() -> None:
    """What the webhook publisher owes its endpoints."""


@webhook.command("outbox")
@OUT_OPTION
@_shared
@guarded
def webhook_outbox(out: Path) -> None:
    """List the deliveries waiting in the outbox for the next run, oldest first."""
    from .publishers.webhook import WebhookPublisher, record_of, scrubbed, shown
    from .publishing import StateStore, state_path

    # errors are scrubbed when stored; again here for those an older version stored
    with StateStore(state_path(out), create=False) as store:
        waiting = [{"endpoint": shown(d.channel), "record": record_of(d), "key": d.key,
                    "attempts": d.attempts, "last_error": d.last_error and scrubbed(d.last_error),
                    "queued": d.queued, "first_attempt": d.first_attempt,
                    "last_attempt": d.last_attempt}
                   for d in store.deliveries(WebhookPublisher.name)]
    if state().json:
        emit({"ok": True, "out": str(out), "deliveries": waiting})
        return
    if not waiting:
        console.print(f"nothing waits in the webhook outbox of {escape(str(out))}")
        return
    # the key begins with the record's type:id; its two hashes are cut as `ledger show` cuts
    # them (--json has them whole)
    table = Table(title=f"webhook outbox of {escape(str(out))}: {len(waiting)} "
                  "delivery(ies) waiting")
    columns = ("endpoint", "key", "attempts", "last_error", "first_attempt", "last_attempt")
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in waiting:
        record, revision, digest = str(row["key"]).rsplit(":", 2)
        cells = {**row, "key": f"{record}:{revision[:16]}:{digest[:16]}"}
        table.add_row(*(escape("-" if cells[c] is None else str(cells[c])) for c in columns))
    console.print(table)


@cli.group()
@_shared  # as on the main group: `kiosk --json SUBCOMMAND` too
def kiosk() -> None:
    """Install kiosk bundles on a kiosk (atomically) and roll them back."""


@kiosk.command("install")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.argument("directory", type=FOLDER)
@_shared
@guarded
def kiosk_install(bundle: Path, directory: Path) -> None:
    """Verify BUNDLE (a kiosk bag folder or its zip) and make it DIRECTORY/current;
    the release it replaces stays for `kiosk rollback`. A damaged bundle: exit 2."""
    from .publishers.kiosk.install import install

    done = install(bundle, directory)
    if state().json:
        emit({"ok": True, **done.as_dict()})
    elif not done.changed:
        console.print(f"kiosk bundle {escape(done.version)} is already current in "
                      f"{escape(str(directory))}")
    else:
        previous = f" (previous: {escape(done.previous)})" if done.previous else ""
        console.print(f"[green]installed[/] kiosk bundle {escape(done.version)} as "
                      f"{escape(str(directory / 'current'))}{previous}")


@kiosk.command("rollback")
@click.argument("directory", type=FOLDER)
@_shared
@guarded
def kiosk_rollback(directory: Path) -> None:
    """Make the previous release of DIRECTORY current again, one step back (exit 2 if
    there is none: only the current release and the one installed before it are kept, so a
    second rollback has nothing earlier to go to)."""
    from .publishers.kiosk.install import rollback

    done = rollback(directory)
    if state().json:
        emit({"ok": True, **done.as_dict()})
    else:
        away = f" from {escape(done.replaced)}" if done.replaced else ""
        console.print(f"[green]rolled back[/] {escape(str(directory / 'current'))} to "
                      f"{escape(done.version)}{away}; no earlier release is kept")


def _site_mount(directory: Path) -> tuple[Path, list[str]] | None:
    """The site folder served (``directory`` itself or its ``site/``) and the parts of the
    base URL's path it is published for (``build.json``'s ``base_path``), if there is one."""
    for folder in (directory / "site", directory):
        try:
            build = json.loads((folder / "build.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(build, dict) and build.get("generator") == "govdisclosure site":
            base = build.get("base_path")
            base = base if isinstance(base, str) else "/"
            return folder, [part for part in base.split("/") if part]
    return None


def _preview_handler(directory: Path) -> type[Any]:
    """A static file handler for ``directory`` that answers a missing path with the
    ``404.html`` nearest to it (``site/en/404.html`` for ``site/en/x.html``; at the root
    served, or in its ``site/`` folder) and status 404. Hidden paths (``.govdisclosure``:
    the state store, the replaced releases) are never served.

    The site is also served where it is published, at its base URL's path (``/`` for
    ``https://gov.example/``): a missing path there that names a file of the site folder
    is that file. The 404 pages link from that path (they are served at any depth), so
    that their links lead somewhere in a preview of ``public/`` too."""
    import html
    import http.server
    import io
    import os
    import urllib.parse
    from http import HTTPStatus

    mount = _site_mount(directory)

    def visible(url: str) -> list[str] | None:
        """The path's parts, or None if any is hidden (``.govdisclosure``)."""
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        return None if is_hidden(path) else [part for part in path.split("/") if part]

    def in_site(parts: list[str]) -> tuple[Path, list[str]] | None:
        """The site folder and the parts below it of a path under the base URL's path."""
        if mount is None or parts[:len(mount[1])] != mount[1] or ".." in parts:
            return None
        return mount[0], parts[len(mount[1]):]

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(directory), **kwargs)

        def send_head(self) -> Any:
            if visible(self.path) is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
            # never "304 Not Modified" by date: a release switched in (kiosk install or
            # rollback) has files as old as, or older than, the copies a browser holds, and
            # a kiosk's service worker took such an answer for "no new bundle"
            del self.headers["If-Modified-Since"]
            return super().send_head()

        def end_headers(self) -> None:
            # a preview: every request asks again (a kiosk's service worker, a reloaded
            # page after a publish or rollback never get a stale copy from the HTTP cache)
            self.send_header("Cache-Control", "no-cache")
            super().end_headers()

        def translate_path(self, path: str) -> str:
            found = super().translate_path(path)
            if os.path.exists(found):
                return found
            mapped = in_site(visible(path) or [])
            if mapped is None:
                return found
            folder, rest = mapped
            target = folder.joinpath(*rest)
            if target.exists():  # a trailing "/" is kept: the folder's index.html
                return str(target) + ("/" if found.endswith("/") else "")
            return found

        def list_directory(self, path: str | os.PathLike[str]) -> Any:
            """A folder without index.html: its visible entries (no hidden names)."""
            try:
                names = sorted(n for n in os.listdir(path) if not n.startswith("."))
            except OSError:
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
            links = "".join(
                f'<li><a href="{urllib.parse.quote(name)}'
                f'{"/" if Path(path, name).is_dir() else ""}">{html.escape(name)}</a></li>'
                for name in names)
            body = (f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>Index</title>'
                    f"<ul>{links}</ul></html>").encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

        def send_error(self, code: int, message: str | None = None,
                       explain: str | None = None) -> None:
            page = None
            if code == HTTPStatus.NOT_FOUND:
                parts = visible(self.path) or []  # never a 404 page of a hidden folder
                nearest = [directory.joinpath(*parts[:depth], "404.html")
                           for depth in range(len(parts), 0, -1)]
                mapped = in_site(parts)
                if mapped is not None:  # a page under the base URL's path: the site's
                    folder, rest = mapped
                    nearest += [folder.joinpath(*rest[:depth], "404.html")
                                for depth in range(len(rest), -1, -1)]
                page = next((name for name in
                             (*nearest, directory / "404.html", directory / "site" / "404.html")
                             if name.is_file()), None)
            if page is None:
                super().send_error(code, message, explain)
                return
            body = page.read_bytes()
            self.send_response(code, message)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return Handler


@cli.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port on 127.0.0.1 (0: any free port).")
@_shared
@guarded
def serve(directory: Path, port: int) -> None:
    """Preview published output on http://127.0.0.1:PORT/ (Ctrl-C stops)."""
    import errno
    import http.server

    from .errors import ConfigError

    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                 _preview_handler(directory))
    except OSError as exc:
        reason = {errno.EADDRINUSE: "is already in use",
                  errno.EACCES: "needs privileges"}.get(exc.errno or 0, f"failed: {exc.strerror}")
        raise ConfigError(f"cannot serve on 127.0.0.1:{port}: the port {reason}; "
                          "choose another with --port", key="port") from exc
    with server:
        bound = server.server_address[1]
        url = f"http://127.0.0.1:{bound}/"
        if state().json:  # one document, on start (the server then runs until stopped)
            emit({"ok": True, "serving": str(directory), "url": url})
            sys.stdout.flush()
        else:
            console.print(f"serving {escape(str(directory))} on {url}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            if not state().json:
                console.print("stopped")


# -- audit, evaluate, annual report (AUDIT.md) ---------------------------------------------


def _no_data(catalog: Catalog, day: dt.date, what: str = "") -> str:
    """The warning for a day before the catalogue's data begin (or an empty catalogue):
    nothing was judged or counted, which is not a clean record (docs/audit.md, "Time").
    With ``what`` (``evaluated``), the data may begin earlier but concern none of those."""
    from .audit import data_since

    since = data_since(catalog)
    begins = since.astimezone(catalog.meta.zone).date() if since is not None else None
    if what and begins is not None and begins <= day:
        return (f"no agency has data by {day} (a record in force or a finding): none is "
                f"{what}")
    first = f" (its first record dates from {begins})" if begins is not None else ""
    return f"the catalogue holds no data on or before {day}{first}: nothing to judge or count"


def _warn(warnings: list[str]) -> None:
    """Warnings on standard error (with ``--json``, the document's ``warnings`` instead)."""
    for warning in warnings:
        err_console.print(f"[yellow]warning[/] {escape(warning)}")


def _audit_day(value: str | None, catalog: Catalog) -> dt.date:
    """``--as-of`` as a day; default today in the catalogue's timezone."""
    if value is None:
        return dt.datetime.now(catalog.meta.zone).date()
    moment = parse_as_of(value, catalog)
    assert moment is not None  # noqa: S101 - value is not None
    return moment.astimezone(catalog.meta.zone).date()


def _format_json(ctx: click.Context, _: click.Parameter, value: str) -> str:
    """``--format json`` asks for what ``--json`` prints: an error too is a JSON document
    on stdout, not a message on stderr."""
    if value == "json":
        ctx.ensure_object(State).json = True
    return value


@cli.command("audit")
@CATALOG
@click.option("--as-of", "as_of", help="Judge time limits at the end of this day "
              "(default: today).")
@click.option("--profile", help="Rule profile: cn-jilin-2002, cn-ogi-2019, generic or a "
              ".toml file (default: the catalogue's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]),
              default="text", show_default=True, callback=_format_json,
              help="json: the document --json prints, errors included.")
@click.option("--language", help="Language of messages in text, markdown and html "
              "(default: the catalogue's).")
@click.option("--draft-accountability", is_flag=True,
              help="Also print a draft accountability_record for each error-level finding.")
@click.option("--published", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="An output root whose ledger gives first publication times "
              "(disclosure.late); default: publish_at / issued_at.")
@_shared
@guarded
def audit_command(catalog: Path, as_of: str | None, profile: str | None, fmt: str,
                  language: str | None, draft_accountability: bool,
                  published: Path | None) -> None:
    """Check a catalogue against its disclosure rules; exit 1 on error-level findings."""
    from .audit import audit, resolve_profile
    from .audit.evaluate import draft_accountability as drafts_for
    from .audit.evaluate import records_toml
    from .audit.render import render_findings
    from .catalog import dumps

    loaded = load_catalog(catalog)
    chosen = resolve_profile(loaded, profile)
    first = published_times = None
    if published is not None:
        from .publishing import publications

        published_times = publications(published, audience="public")
        first = {key: times[0] for key, times in published_times.items()}
    language = pick_language(language, loaded)
    report = audit(loaded, as_of=_audit_day(as_of, loaded), profile=chosen,
                   first_published=first, publications=published_times)
    drafts = drafts_for(report, loaded, chosen) if draft_accountability else []
    warned = [_no_data(loaded, report.summary.as_of)] if not report.summary.records else []
    if state().json or fmt == "json":
        data = {"ok": report.exit_code == 0, **report.to_dict(), "warnings": warned}
        if draft_accountability:
            data["accountability_drafts"] = [json.loads(dumps(d)) for d in drafts]
        emit(data)
        click.get_current_context().exit(report.exit_code)
    _warn(warned)
    if fmt in ("markdown", "html"):  # the drafts are the document's last section
        click.echo(render_findings(report, fmt, language,
                                   records_toml("accountability_record", drafts)
                                   if draft_accountability else ""), nl=False)
    else:
        table = Table(title=f"audit as of {report.summary.as_of} ({escape(chosen.name)})")
        for column in ("severity", "code", "agency", "record", "message"):
            table.add_column(column)
        style = {"error": "bold red", "warning": "yellow", "info": "dim"}
        for finding in report.findings:
            table.add_row(f"[{style[finding.severity]}]{finding.severity}[/]", finding.code,
                          escape(finding.agency or ""), escape(finding.record or ""),
                          escape(finding.text(language)))
        console.print(table if report.findings else "no findings")
        counts = report.summary.by_severity
        console.print(f"{counts['error']} error, {counts['warning']} warning, "
                      f"{counts['info']} info in {report.summary.records} records")
    if draft_accountability and fmt == "text":
        click.echo(records_toml("accountability_record", drafts), nl=False)
    click.get_current_context().exit(report.exit_code)


@cli.command()
@CATALOG
@click.option("--year", type=YEAR, required=True, help="The year evaluated.")
@click.option("--profile", help="Rule profile (default: the catalogue's).")
@click.option("--write", "write", type=FOLDER,
              help="Write the drafts as [[evaluation]] records to DIR/evaluations-YEAR.toml.")
@click.option("--language", help="Language of explanations (default: the catalogue's).")
@_shared
@guarded
def evaluate(catalog: Path, year: int, profile: str | None, write: Path | None,
             language: str | None) -> None:
    """Draft evaluations per agency from the audit, every point lost explained."""
    from .audit import resolve_profile
    from .audit.evaluate import evaluate as run
    from .audit.evaluate import evaluations_toml

    loaded = load_catalog(catalog)
    language = pick_language(language, loaded)
    chosen = resolve_profile(loaded, profile)
    drafts = run(loaded, year, chosen)
    evaluated = [d for d in drafts if d.evaluated]
    written = None
    warned = [] if evaluated else [_no_data(loaded, dt.date(year, 12, 31), "evaluated")]
    if write is not None and not evaluated:  # no evaluation invented from no data
        warned.append(f"nothing written to {write}: no agency was evaluated")
    elif write is not None:
        write.mkdir(parents=True, exist_ok=True)
        written = write / f"evaluations-{year}.toml"
        written.write_text(evaluations_toml(evaluated, chosen), encoding="utf-8")
        existing = {e.id for e in loaded.of_type(Evaluation)}
        warned += [f"evaluation {d.id!r} is already in the catalogue: replace it, or rename "
                   "the draft, before moving the file into records/" for d in evaluated
                   if d.id in existing]
    if state().json:
        emit({"ok": True, "year": year, "profile": chosen.name,
              "written": str(written) if written else None, "warnings": warned,
              "evaluations": [d.to_dict(language) for d in drafts]})
        return
    _warn(warned)
    table = Table(title=f"draft evaluations {year} ({escape(chosen.name)})")
    components = [c.name for c in chosen.evaluation.components]
    for column in ("rank", "agency", "score", *components, "model unit"):
        table.add_column(column, justify="left" if column == "agency" else "right")
    for draft in drafts:
        name = escape(localize(draft.name, language, language))
        if draft.score is None:  # not evaluated (no data for the year): last, no figures
            table.add_row("-", name, "no data", *("-" for _ in components), "")
        else:
            table.add_row(str(draft.rank), name, f"{draft.score:g}",
                          *(f"{v:g}" for v in draft.components.values()),
                          "yes" if draft.model_unit else "")
    console.print(table)
    for draft in drafts:
        for deduction in draft.deductions:
            console.print(f"{escape(draft.agency)}: -{deduction.points:g} "
                          f"[{escape(deduction.component)}] {deduction.finding.code} "
                          f"{escape(deduction.finding.text(language))}")
    if written:
        console.print(f"wrote {escape(str(written))}")


@cli.group()
@_shared  # as on the main group: `report --json SUBCOMMAND` too
def report() -> None:
    """Reports built from the catalogue."""


@report.command("annual")
@CATALOG
@click.option("--year", type=YEAR, required=True, help="The reporting year.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True)
@click.option("--language", help="One catalogue language (default: all of them with --out, "
              "else the default language).")
@click.option("--profile", help="Rule profile for the problems section.")
@click.option("--out", type=FOLDER,
              help="Write annual-report-YEAR.LANGUAGE.md|html files here instead of printing.")
@_shared
@guarded
def report_annual(catalog: Path, year: int, fmt: str, language: str | None,
                  profile: str | None, out: Path | None) -> None:
    """The annual report on government information disclosure (2021 national format)."""
    from .audit import audit, resolve_profile
    from .audit.annual import annual_report, render_annual

    loaded = load_catalog(catalog)
    languages = [pick_language(language, loaded)] if language else list(
        loaded.meta.all_languages)
    chosen = resolve_profile(loaded, profile)
    audited = audit(loaded, as_of=dt.date(year, 12, 31), profile=chosen)
    if out is None:
        languages = languages[:1]
    contexts = {lang: annual_report(loaded, year, lang, chosen, audited) for lang in languages}
    documents = {lang: render_annual(context, fmt) for lang, context in contexts.items()}
    # every section says "no data" then; the report is still the truthful one (exit 0)
    warned = [] if contexts[languages[0]]["data"] else [_no_data(loaded, dt.date(year, 12, 31))]
    if not state().json:
        _warn(warned)
    if out is None:
        if state().json:
            lang = languages[0]
            emit({"ok": True, "year": year, "language": lang, "format": fmt,
                  "report": contexts[lang], "document": documents[lang], "warnings": warned})
        else:
            click.echo(documents[languages[0]], nl=False)
        return
    out.mkdir(parents=True, exist_ok=True)
    suffix = "html" if fmt == "html" else "md"
    paths = []
    for lang, text in documents.items():
        path = out / f"annual-report-{year}.{lang}.{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    if state().json:
        emit({"ok": True, "year": year, "format": fmt, "written": paths, "warnings": warned})
    else:
        for written in paths:
            console.print(f"wrote {escape(written)}")


#: The exit status of a command interrupted by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


def _asks_json(args: Sequence[str]) -> bool:
    """Whether the command line asks for JSON (``--json``, or ``--format json`` as
    ``audit`` takes it), read before click parses it, for an error click raises itself."""
    return ("--json" in args or "--format=json" in args
            or ("--format", "json") in itertools.pairwise(args))


def main() -> None:
    """Entry point of the ``govdisclosure`` command."""
    if hasattr(signal, "SIGPIPE"):
        # a reader that stops early (`| head`) ends the command as it ends any Unix tool,
        # by SIGPIPE (status 141 in a shell), not as click's exit 1, which means findings
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    as_json = _asks_json(sys.argv[1:])
    try:
        code = cli.main(prog_name="govdisclosure", standalone_mode=False)
    except click.ClickException as exc:
        # --json: a usage error (bad option or value) is one JSON document too
        if as_json:
            emit({"ok": False, "error": type(exc).__name__, "message": exc.format_message(),
                  "problems": []})
        else:
            exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:  # Ctrl-C: 130, as a shell reports an interrupted command, not 1
        if as_json:
            emit({"ok": False, "error": "Interrupted", "message": "interrupted",
                  "problems": []})
        else:
            click.echo("interrupted", err=True)
        sys.exit(INTERRUPTED)
    sys.exit(code if isinstance(code, int) else 0)
