"""Publishing configuration: ``govdisclosure.toml`` merged with API arguments.

The file holds one ``[publish]`` table: ``to`` (publisher names, or one string of names
separated by commas as ``--to`` takes them), ``out`` (the output root, a string) and one
``[publish.NAME]`` table of options per publisher. Anything else is an error naming the
file and the key, never ignored.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from ..catalog import Catalog
from ..catalog.converter import default_converter
from ..catalog.loader import problems_of
from ..errors import ConfigError, Problem, PublishError
from .registry import BUILTINS, DESIGNED, available, known_names, load_publisher
from .selection import CatalogView

__all__ = ["CONFIG_FILE", "answers", "check_config", "config_error", "default_run", "failure",
           "load_config", "made", "misfits", "option_problems", "publisher_names", "repeated",
           "structure_options", "table_problems", "unready"]

CONFIG_FILE = "govdisclosure.toml"

_KNOWN = ("to", "out")
#: The message of a key that an options table does not have (then followed by the keys it has).
_UNKNOWN_KEY = "unknown key"


def publisher_names(text: str) -> list[str]:
    """Publisher names from one string, as ``--to`` takes them: ``"site, feeds"``."""
    return [name.strip() for name in text.split(",") if name.strip()]


def load_config(root: Path | None, *, also: Iterable[str] = ()) -> dict[str, Any]:
    """The ``[publish]`` table of ``root/govdisclosure.toml`` ({} when there is none).

    ``to`` is always a list of names in the result (``to = "site, feeds"`` means
    ``["site", "feeds"]``, as ``--to site,feeds`` and ``gd.publish(to="site,feeds")``).

    Args:
        root: the catalogue folder (``None`` for a catalogue built in memory).
        also: names of publishers given as classes, which need no installation, whose
            ``[publish.NAME]`` tables are therefore known too.

    Raises:
        ConfigError: the file is not valid TOML, has an unknown key (top level or in
            ``[publish]``), a table for a publisher that is not installed, or a ``to`` or
            ``out`` of the wrong type. The message names the file and every such key,
            and every problem of :func:`table_problems` with them.
    """
    config, problems = _read(root, also)
    if problems:  # the file is refused as a whole: its wrong tables are listed too
        raise config_error(root, problems + table_problems(config))
    return config


def check_config(root: Path | None) -> list[Problem]:
    """Every problem of ``root/govdisclosure.toml``, its publishers' options included.

    Beyond :func:`load_config`'s checks, those of :func:`table_problems`, as ``publish``
    would make them; all at once, a wrong ``[publish]`` key hiding no wrong table. Used by
    ``govdisclosure validate``.
    """
    config, problems = _read(root, ())
    return problems + table_problems(config)


def table_problems(config: dict[str, Any], *, skip: Collection[str] = ()) -> list[Problem]:
    """The problems of a configuration that :func:`load_config` reads: each publisher
    named in ``to`` must be installed (the design's that are not are skipped by ``publish``
    with a warning: the file serves every install), and each ``[publish.NAME]`` table of an
    installed publisher must structure into its options (a table of one not installed is
    accepted, as :func:`load_config` says).

    Args:
        config: the ``[publish]`` table (what :func:`_read` kept of a file with problems).
        skip: publishers whose tables the caller structures itself (``publish``: those of
            its run, with ``options=`` over them).
    """
    problems = []
    installed = available()
    for name in dict.fromkeys(config.get("to", [])):
        if name in DESIGNED and name not in installed:
            continue
        try:
            load_publisher(name)
        except ConfigError as exc:
            problems.append(Problem(file=CONFIG_FILE, field="publish.to", message=str(exc)))
    for name, table in config.items():
        if name in _KNOWN or name not in installed or name in skip:
            continue
        try:
            structure_options(name, load_publisher(name).Options, table)
        except ConfigError as exc:
            problems += option_problems(name, exc)
    return problems


def repeated(root: Path | None) -> list[str]:
    """``publish.to: ...`` for each publisher that ``to`` of ``root/govdisclosure.toml``
    names more than once: ``publish`` runs it once, in its first place, and ``validate``
    shows it as a warning."""
    config, _ = _read(root, ())
    return [f"publish.to: {name!r} is named {count} times; publish runs it once"
            for name, count in Counter(config.get("to", [])).items() if count > 1]


def unready(root: Path | None) -> list[str]:
    """``name: reason`` for each publisher that ``publish`` runs by default with
    ``root/govdisclosure.toml`` (its ``to``, else every installed built-in) and that says it
    cannot run on this machine (its ``preflight``: a webhook secret missing from the
    environment; a ``preflight`` that raises says so too). ``validate`` shows them as
    warnings: the file itself is fine, and ``publish`` refuses such a run before anything
    is written."""
    config, problems = _read(root, ())
    if problems:
        return []
    found = []
    for name, publisher in _configured(config, default_run(config)):
        if isinstance(publisher, PublishError):
            continue  # an error: misfits() lists it
        try:
            found += [f"{name}: {reason}" for reason in answers(publisher, "preflight")]
        except PublishError as exc:  # publish refuses the run on this machine too
            found.append(f"{name}: {exc}")
    return found


def misfits(catalog: Catalog) -> list[Problem]:
    """Each publisher option of the catalogue's ``govdisclosure.toml`` that does not fit
    the catalogue (what the publisher's ``check_catalog`` answers: a kiosk ``hall`` that
    it does not have), for ``validate``, which lists them as errors: the configuration is
    wrong wherever it runs.

    Asked: the publishers ``publish`` runs by default (``to``, else every installed
    built-in) and every other one the file has a table for, with the file's options
    (defaults without a file), for the widest audience it serves (``internal``, which sees
    every public record too, else ``public``; a publisher that serves neither is checked
    when it runs) at no particular instant (an embargo keeps nothing out): ``publish``
    judges the audience and instant it is given. A publisher whose ``__init__`` or
    ``check_catalog`` raises is a problem too (``publisher 'NAME' failed in
    check_catalog: ...``): ``publish`` refuses to run it.
    """
    config, problems = _read(catalog.root, ())
    if problems:
        return []
    tables = [name for name in config if name not in _KNOWN]
    # without the file, the defaults are what does not fit: the message must not send the
    # reader to a file that is not there
    source = CONFIG_FILE if catalog.root is not None and (catalog.root / CONFIG_FILE).is_file() \
        else f"{CONFIG_FILE} (none: the defaults)"
    found = []
    for name, publisher in _configured(config, dict.fromkeys([*default_run(config), *tables])):
        if isinstance(publisher, PublishError):  # publish refuses to run it anywhere
            found.append(Problem(file=source, field=f"publish.{name}", message=str(publisher)))
            continue
        audience = _widest(publisher.audiences)
        if audience is None:
            continue
        try:
            found += [Problem(file=source, field=f"publish.{name}", message=reason)
                      for reason in answers(publisher, "check_catalog",
                                            CatalogView(catalog, name, audience))]
        except PublishError as exc:
            found.append(Problem(file=source, field=f"publish.{name}", message=str(exc)))
    return found


def _widest(audiences: tuple[str, ...]) -> str | None:
    """The audience of ``audiences`` that sees the most records (internal, else public)."""
    return next((name for name in ("internal", "public") if name in audiences), None)


def default_run(config: dict[str, Any]) -> list[str]:
    """The publishers ``publish`` runs without ``--to``: ``to``, else every installed
    built-in."""
    installed = available()
    # a publisher named twice runs once, in its first place
    return list(dict.fromkeys(config.get("to") or [name for name in BUILTINS
                                                    if name in installed]))


def answers(publisher: Any, hook: str, *args: Any) -> list[str]:
    """What a publisher's optional hook (``preflight``, ``check_catalog``) says stands in
    the way of running it: nothing for a publisher without it.

    Raises:
        PublishError: the hook raised (:func:`failure`, naming the publisher and the hook).
    """
    method = getattr(publisher, hook, None)
    if method is None:
        return []
    try:
        return [str(answer) for answer in method(*args)]
    except Exception as exc:  # a third party's code: named, never an internal error
        raise failure(publisher.name, exc, hook) from exc


def made(name: str, cls: type[Any], options: Any) -> Any:
    """The publisher ``cls(options)``.

    Raises:
        PublishError: its ``__init__`` raised (:func:`failure`).
    """
    try:
        return cls(options)
    except Exception as exc:
        raise failure(name, exc, "__init__") from exc


def failure(name: str, exc: Exception, where: str | None = None) -> PublishError:
    """The error of a publisher that raised: in ``publish`` (or ``shows``, ``shown``,
    ``fingerprint``: ``where`` None), its target failed as a whole; in ``__init__``,
    ``preflight`` or ``check_catalog`` (``where``), before anything ran, so the run does
    not start."""
    place = f" in {where}" if where else ""
    return PublishError(f"publisher {name!r} failed{place}: {type(exc).__name__}: {exc}",
                        publisher=name, config=isinstance(exc, ConfigError))


def _configured(config: dict[str, Any], names: Iterable[str]
                ) -> Iterator[tuple[str, Any | PublishError]]:
    """``(name, publisher)`` for each of ``names`` that is installed, made with its options
    of ``config`` (one whose options or package :func:`check_config` refuses is left out:
    its problem is reported there), or ``(name, error)`` when making it raised."""
    installed = available()
    for name in names:
        if name not in installed:
            continue
        try:
            cls = load_publisher(name)
            options = structure_options(name, cls.Options, config.get(name))
        except ConfigError:
            continue
        try:
            yield name, made(name, cls, options)
        except PublishError as exc:
            yield name, exc


def option_problems(name: str, exc: ConfigError) -> list[Problem]:
    """The problems of a ``[publish.NAME]`` table of the file that :func:`structure_options`
    refused, one a key (``publish.feeds.limt``), for :func:`config_error`, which names the
    file."""
    if exc.problems:
        return list(exc.problems)
    return [Problem(file=CONFIG_FILE, field=f"publish.{name}",
                    message=str(exc).removeprefix(f"[publish.{name}] "))]


def _read(root: Path | None, also: Iterable[str]) -> tuple[dict[str, Any], list[Problem]]:
    """The ``[publish]`` table, normalized, and the problems found in the file; a key
    with a problem is left out of the table, so that the rest can still be checked."""
    if root is None:
        return {}, []
    path = root / CONFIG_FILE
    if not path.is_file():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # a leading BOM is no text
    except ValueError as exc:  # TOMLDecodeError, UnicodeDecodeError, a 5,000-digit integer
        return {}, [Problem(file=CONFIG_FILE, message=f"not valid TOML: {exc}")]
    problems = [Problem(file=CONFIG_FILE, field=key,
                        message="unknown key (only a [publish] table belongs here)")
                for key in sorted(set(data) - {"publish"})]
    publish = data.get("publish", {})
    if not isinstance(publish, dict):
        problems.append(Problem(file=CONFIG_FILE, field="publish", message="must be a table"))
        return {}, problems
    config = dict(publish)
    # the design's names are accepted where not installed: one file serves every install
    known = known_names() | set(also)
    for key, value in publish.items():
        field = f"publish.{key}"
        if key == "to":
            names = publisher_names(value) if isinstance(value, str) else value
            if not isinstance(names, list) or not all(isinstance(n, str) and n
                                                      for n in names):
                problems.append(Problem(file=CONFIG_FILE, field=field, message=(
                    f"must be a list of publisher names, like [\"site\", \"feeds\"], or "
                    f"one string of them separated by commas, like \"site, feeds\"; not "
                    f"{value!r}")))
                del config[key]
            elif not names:
                # as --to '' and to=[]: an empty list is a mistake, not "run every one"
                problems.append(Problem(file=CONFIG_FILE, field=field, message=(
                    f"names no publisher ({value!r}); name the publishers to run, like "
                    "[\"site\", \"feeds\"], or leave out publish.to to run every "
                    "installed built-in")))
                del config[key]
            else:
                config["to"] = list(names)
        elif key == "out":
            if not isinstance(value, str):
                problems.append(Problem(file=CONFIG_FILE, field=field, message=(
                    f"must be a string (a folder, like \"public\"), not {value!r}")))
                del config[key]
        elif not isinstance(value, dict):
            problems.append(Problem(file=CONFIG_FILE, field=field, message=(
                f"must be a table of the {key} publisher's options ([publish.{key}]), not "
                f"{value!r}") if key in known else (
                "unknown key (known: to, out, and one [publish.NAME] table per publisher)")))
            del config[key]
        elif key not in known:
            installed = ", ".join(available()) or "none"
            problems.append(Problem(file=CONFIG_FILE, field=field, message=(
                f"no publisher named {key!r} is installed (installed: {installed})")))
            del config[key]
    return config, problems


def config_error(root: Path | None, problems: list[Problem]) -> ConfigError:
    """One error listing every problem, each naming the file's full path and the key.

    The problems are also its ``.problems`` (as a :class:`CatalogError`'s), for ``--json``.
    """
    folder = Path(root or ".")
    first = (problems[0].field or "").split(".")  # publish.NAME.key...
    publisher = first[1] if len(first) >= 2 and first[1] not in _KNOWN else None
    return ConfigError("\n".join(str(attrs.evolve(p, file=str(folder / (p.file or CONFIG_FILE))))
                                  for p in problems),
                       key=(first[2] if publisher and len(first) > 2 else first[-1]) or None,
                       publisher=publisher, problems=problems)


def structure_options(name: str, cls: type[Any], data: Any) -> Any:
    """The publisher's options object from a table (or an instance given by API callers).

    Raises:
        ConfigError: naming the publisher and the key that is unknown or invalid.
    """
    if isinstance(data, cls):
        return data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"[publish.{name}] must be a table", publisher=name)
    known = {field.alias or field.name for field in attrs.fields(cls)}
    unknown = [(key, _UNKNOWN_KEY) for key in sorted(set(data) - known)]
    hint = (f" (known: {', '.join(sorted(known))}; see govdisclosure publishers)" if unknown
            else "")
    try:  # the known keys: cattrs names unknown ones only when every other key is right
        value = default_converter().structure({k: v for k, v in data.items() if k in known},
                                              cls)
    except Exception as exc:
        found = sorted([*unknown, *problems_of(exc, hint="govdisclosure publishers")]
                       ) or [("", str(exc))]
        raise _options_error(name, found, hint) from exc
    if unknown:
        raise _options_error(name, unknown, hint)
    return value


def _options_error(name: str, found: list[tuple[str, str]], hint: str) -> ConfigError:
    """Every problem of one options table in one error, keyed by the first.

    Args:
        name: the publisher.
        found: ``(key path, message)`` of each problem (key path "" for the table).
        hint: the keys the table may have, when some key is unknown.
    """
    text = "; ".join(f"{key}: {message}" if key else message for key, message in found)
    problems = [Problem(file=CONFIG_FILE, field=f"publish.{name}.{key}" if key else
                        f"publish.{name}",
                        message=message + hint if message == _UNKNOWN_KEY else message)
                for key, message in found]
    return ConfigError(f"[publish.{name}] {text}{hint}", publisher=name,
                       key=found[0][0].split(".")[0] or None, problems=problems)
