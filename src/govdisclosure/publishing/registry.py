"""The registry of publishers: built-ins as lazy import strings, third parties by entry point.

A built-in gets no privilege a third-party publisher lacks: both are found here, both are
run by the same pipeline and both pass the same conformance suite.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import inspect
import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import ConfigError, UnknownPublisher

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["BUILTINS", "DESIGNED", "ENTRY_POINT_GROUP", "NAME", "available", "check_publisher",
           "describe_publishers", "known_names", "load_publisher", "publisher_class"]

ENTRY_POINT_GROUP = "govdisclosure.publishers"

#: Built-in publishers, imported only when used.
BUILTINS: Mapping[str, str] = MappingProxyType({
    "feeds": "govdisclosure.publishers.feeds:FeedsPublisher",
    "ocds": "govdisclosure.publishers.ocds:OcdsPublisher",
    "site": "govdisclosure.publishers.site:SitePublisher",
    "kiosk": "govdisclosure.publishers.kiosk:KioskPublisher",
    "news": "govdisclosure.publishers.news:NewsPublisher",
    "webhook": "govdisclosure.publishers.webhook:WebhookPublisher",
})

#: Built-in names of the design (INTERFACE.md) whose publisher may be absent from an
#: install: a catalogue or configuration may name them on any install.
DESIGNED = frozenset({"feeds", "site", "kiosk", "news", "ocds", "webhook"})


def known_names() -> set[str]:
    """Every publisher name a catalogue may use: the design's and those installed."""
    return set(available()) | set(BUILTINS) | DESIGNED


@cache
def _third_party() -> dict[str, list[EntryPoint]]:
    from importlib.metadata import entry_points  # 30-80 ms: only when publishers are used

    found: dict[str, list[EntryPoint]] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(point.name, []).append(point)
    return found


def available() -> dict[str, str]:
    """``name -> source`` of every publisher: ``builtin`` or the distribution's name."""
    names = {name: "builtin" for name in BUILTINS if _importable(BUILTINS[name])}
    for name, points in _third_party().items():
        dist = points[0].dist.name if points[0].dist else points[0].value
        names.setdefault(name, dist)
    return dict(sorted(names.items()))


def _importable(target: str) -> bool:
    module = target.partition(":")[0]
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _clash(name: str) -> str | None:
    points = _third_party().get(name, [])
    sources = (["builtin"] if name in BUILTINS else []) + [
        p.dist.name if p.dist else p.value for p in points
    ]
    unique = sorted(set(sources))
    if len(unique) > 1:
        return f"publisher name {name!r} is claimed by {', '.join(unique)}: uninstall one"
    return None


@cache
def load_publisher(name: str) -> type[Any]:
    """The publisher class registered as ``name``.

    Raises:
        UnknownPublisher: nothing is registered under ``name``, or its extra is missing.
        ConfigError: two packages claim the same name.
    """
    clash = _clash(name)
    if clash:
        raise ConfigError(clash, publisher=name)
    if name in BUILTINS:
        target, dist = BUILTINS[name], "govdisclosure"
    elif name in _third_party():
        point = _third_party()[name][0]
        target, dist = point.value, point.dist.name if point.dist else name
    else:
        known = ", ".join(available()) or "none"
        raise UnknownPublisher(f"no publisher named {name!r} (installed: {known})",
                               publisher=name)
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        fix = (f"pip install '{dist}[{name}]'" if name in BUILTINS
               else f"reinstall {dist}")  # a third party's extras are its own
        raise UnknownPublisher(f"publisher {name!r} needs {exc.name!r}, which is not "
                               f"installed: {fix}", publisher=name) from exc
    except Exception as exc:  # a broken package: named, not an internal error
        raise ConfigError(f"publisher {name!r} ({target}) cannot be imported: "
                          f"{type(exc).__name__}: {exc}", publisher=name) from exc
    found: Any = module
    for part in attr.split(".") if attr else ():
        found = getattr(found, part, None)
    if not isinstance(found, type):
        raise ConfigError(f"publisher {name!r} ({target}): {module_name} has no class "
                          f"{attr!r}", publisher=name)
    cls: type[Any] = found
    check_publisher(cls, f"publisher {name!r} ({target})")
    if cls.name != name:  # else it would write into, and keep the state of, another name
        raise ConfigError(f"publisher {name!r} ({target}) calls itself {cls.name!r}: the "
                          "entry-point name and the class's name must be the same",
                          publisher=name)
    return cls


def publisher_class(entry: str | type[Any]) -> type[Any]:
    """The publisher class of a name (:func:`load_publisher`), or a class given as it is
    (code that embeds its own publisher), checked alike; such a class may not bear the
    name of another installed publisher.

    Raises:
        UnknownPublisher, ConfigError: as :func:`load_publisher` and :func:`check_publisher`;
            a class named as another installed publisher (``feeds``), naming both.
    """
    if isinstance(entry, type):
        what = f"publisher class {entry.__qualname__}"
        check_publisher(entry, what)
        _check_unclaimed(entry, what)
        return entry
    return load_publisher(entry)


def _check_unclaimed(cls: type[Any], what: str) -> None:
    """Refuse a class given as it is that bears the name of another installed publisher:
    it would write into that publisher's folder of the output root and take over its
    state and ledger, as a second entry point of that name would (:func:`_clash`). The
    installed class itself is welcome.

    Raises:
        ConfigError: naming both.
    """
    name = cls.name
    source = available().get(name)
    if source is None:
        return
    with contextlib.suppress(ConfigError):  # a broken install still owns its name
        if load_publisher(name) is cls:
            return
    target = BUILTINS[name] if name in BUILTINS else _third_party()[name][0].value
    raise ConfigError(f"{what} ({cls.__module__}) is named {name!r}, as the installed "
                      f"publisher {name!r} ({source}: {target}): it would write into "
                      f"{name}/ of the output root and take over that publisher's state "
                      "and ledger; give it a name of its own", publisher=name)


#: A publisher's name: its output folder and its channel name in records.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def check_publisher(cls: type[Any], what: str) -> None:
    """Refuse a class that is no publisher, or whose ``name`` is no safe folder name.

    Raises:
        ConfigError: naming ``what`` and what is wrong.
    """
    for required in ("name", "Options", "audiences", "publish"):
        if not hasattr(cls, required):
            raise ConfigError(f"{what} lacks {required!r}")
    name = cls.name
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ConfigError(f"{what}: name {name!r} is not a publisher name (letters, digits, "
                          "'-' and '_', starting with a letter or digit; at most 64)")
    if not attrs.has(cls.Options):
        raise ConfigError(f"{what}: Options must be an attrs class", publisher=name)
    try:  # the pipeline makes each instance with cls(options)
        inspect.signature(cls).bind(None)
    except TypeError:
        raise ConfigError(f"{what}: must be made with {name}(options) (an __init__ taking "
                          "the options, as gd.BasePublisher's)", publisher=name) from None
    except ValueError:  # pragma: no cover - a signature Python cannot tell: tried at run time
        pass


def describe_publishers() -> list[dict[str, Any]]:
    """Name, source, audiences and options (with defaults) of every installed publisher."""
    described = []
    for name, source in available().items():
        entry: dict[str, Any] = {"name": name, "source": source, "audiences": [], "options": {}}
        try:
            cls = load_publisher(name)
        except ConfigError as exc:
            entry["error"] = str(exc)
        else:
            entry["audiences"] = list(cls.audiences)
            entry["options"] = {
                a.name: (None if a.default is attrs.NOTHING else _plain(a.default))
                for a in attrs.fields(cls.Options)
            }
        described.append(entry)
    return described


def _plain(value: Any) -> Any:
    if isinstance(value, attrs.Factory):  # type: ignore[arg-type]
        return _plain(value.factory())
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)
