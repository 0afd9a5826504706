"""Malformed catalogues: every problem located exactly, by the API and by the CLI.

Each case is a small catalogue written to a temporary folder. The API must raise a
CatalogError whose problems are exactly the expected ones (file, line, type, record id,
field path, message); ``python -m govdisclosure validate`` must print each as
``file[:line]: type 'id': field.path: message`` and leave with exit code 2, no traceback,
with or without ``--json``, and without writing anything.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import attrs
import pytest
from click.testing import CliRunner

import govdisclosure as gd
from govdisclosure.catalog import lint
from govdisclosure.cli import cli

CATALOG = '[catalog]\nname = "Test"\ntimezone = "Asia/Shanghai"\n'
AGENCIES = '[[agency]]\nid = "office"\nname = "Office"\nlevel = "province"\n'
NOTICE = '[[disclosure]]\nid = "notice"\nagency = "office"\ntitle = "Notice"\n'
PERMIT = '[[approval_item]]\nid = "permit"\nagency = "office"\ntitle = "Permit"\n'
TYPES = ", ".join(gd.RECORD_TYPES)
BAD_ID = "is not a valid id (^[a-z0-9][a-z0-9._-]{0,79}$)"
UNKNOWN_KEY = "unknown key (a typo? see `govdisclosure schema`)"


def record(kind: str, **fields: object) -> str:
    """One record as a JSON object."""
    return json.dumps({"type": kind, **fields})


class P(NamedTuple):
    """An expected problem; ``{root}`` in file stands for the catalogue folder."""

    file: str
    line: int | None
    type: str | None
    record: str | None
    field: str | None
    message: str
    position: int | None = None


class Case(NamedTuple):
    """A malformed catalogue: files over the minimal valid one (None removes one)."""

    name: str
    files: dict[str, str | bytes | None]
    problems: list[P]


CASES = [
    # unknown keys
    Case("unknown-key", {"records/a.toml": NOTICE + 'titel = "x"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "titel", UNKNOWN_KEY)]),
    Case("unknown-nested-key",
         {"records/a.toml": PERMIT + "time_limit = { statutory = 20, promsed = 5 }\n"},
         [P("records/a.toml", None, "approval_item", "permit", "time_limit.promsed",
            UNKNOWN_KEY)]),
    Case("unknown-catalog-key", {"catalog.toml": CATALOG + 'nmae = "x"\n'},
         [P("catalog.toml", None, None, None, "catalog.nmae", UNKNOWN_KEY)]),
    Case("unknown-catalog-table", {"catalog.toml": CATALOG + "[publish]\nto = []\n"},
         [P("catalog.toml", None, None, None, "publish",
            "unknown key (only [catalog] belongs here)")]),
    Case("unknown-record-table", {"records/a.toml": '[[disclosures]]\nid = "x"\n'},
         [P("records/a.toml", None, None, None, None,
            "unknown top-level key 'disclosures': expected [[type]] tables "
            "(e.g. [[disclosure]]) or one record with a type key")]),
    Case("unknown-agency-table", {"agencies.toml": AGENCIES + '[[agencie]]\nid = "x"\n'},
         [P("agencies.toml", None, None, None, None,
            "unknown top-level key 'agencie': expected [[agency]]")]),
    # wrong types
    Case("string-for-int", {"records/a.toml": PERMIT + 'time_limit = { statutory = "20" }\n'},
         [P("records/a.toml", None, "approval_item", "permit", "time_limit.statutory",
            "expected an integer, got a string")]),
    Case("string-false-for-bool", {"agencies.toml": AGENCIES + 'key_department = "false"\n'},
         [P("agencies.toml", None, "agency", "office", "key_department",
            "expected true or false, got a string")]),
    Case("float-money",
         {"records/a.toml": PERMIT + 'fees = [{ name = "fee", amount = { amount = 1.5 } }]\n'},
         [P("records/a.toml", None, "approval_item", "permit", "fees.0.amount.amount",
            'money is a decimal string such as "12.50", never a float')]),
    Case("table-for-string",
         {"records/a.json": record("hotline", id="line", agency="office", number={"a": 1})},
         [P("records/a.json", None, "hotline", "line", "number",
            "expected a string, got a table")]),
    Case("string-for-list", {"records/a.toml": NOTICE + 'tags = "one"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "tags",
            "expected a list, got a string")]),
    Case("unknown-choice", {"records/a.toml": NOTICE + 'category = "gossip"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "category",
            "'gossip' is not one of " + ", ".join(gd.CATEGORIES))]),
    # ids
    *(
        Case(f"id-{label}",
             {"records/a.json": record("disclosure", id=ident, agency="office", title="t")},
             [P("records/a.json", None, "disclosure", ident, "id", f"{ident!r} {BAD_ID}")])
        for label, ident in [("dotdot", "../x"), ("space", "A B"), ("empty", ""),
                             ("upper", "Notice"), ("81-chars", "a" * 81)]
    ),
    Case("reference-not-an-id",
         {"records/a.json": record("disclosure", id="n", agency="Office", title="t")},
         [P("records/a.json", None, "disclosure", "n", "agency", f"'Office' {BAD_ID}")]),
    # dates, datetimes, money, rules
    Case("invalid-date", {"records/a.toml": PERMIT + 'catalogue = { document = "d", '
                                                     'approved_on = "2002-02-30" }\n'},
         [P("records/a.toml", None, "approval_item", "permit", "catalogue.approved_on",
            "'2002-02-30' is not a valid date (YYYY-MM-DD)")]),
    Case("datetime-for-date", {"records/a.toml": PERMIT + 'catalogue = { document = "d", '
                                                          "approved_on = 2002-02-01T10:00:00 }\n"},
         [P("records/a.toml", None, "approval_item", "permit", "catalogue.approved_on",
            "expected a date (YYYY-MM-DD), got a datetime")]),
    Case("invalid-datetime", {"records/a.json": record(
        "disclosure", id="n", agency="office", title="t", issued_at="2002-13-01T09:00:00")},
         [P("records/a.json", None, "disclosure", "n", "issued_at",
            "'2002-13-01T09:00:00' is not an RFC 3339 datetime")]),
    Case("words-for-datetime", {"records/a.toml": NOTICE + 'issued_at = "yesterday"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "issued_at",
            "'yesterday' is not an RFC 3339 datetime")]),
    Case("week-date", {"records/a.toml": '[[hotline]]\nid = "line"\nagency = "office"\n'
                                         'number = "12345"\nopened_on = "2002-W01-1"\n'},
         [P("records/a.toml", None, "hotline", "line", "opened_on",
            "'2002-W01-1' is not a date (YYYY-MM-DD)")]),
    Case("week-date-of-withdrawal",
         {"records/a.toml": NOTICE + 'status = "withdrawn"\n'
                            'withdrawn = { on = "2002-W10-3", reason = "r" }\n'},
         [P("records/a.toml", None, "disclosure", "notice", "withdrawn.on",
            "'2002-W10-3' is not a date (YYYY-MM-DD)")]),
    Case("basic-format-datetime", {"records/a.toml": NOTICE + 'issued_at = "20020101T000000Z"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "issued_at",
            "'20020101T000000Z' is not an RFC 3339 datetime")]),
    Case("offset-without-colon", {"records/a.jsonl": record(
        "case", id="c1", agency="office", item="permit",
        received_at="2002-03-01T09:00:00+0800")},
         [P("records/a.jsonl", 1, "case", "c1", "received_at",
            "'2002-03-01T09:00:00+0800' is not an RFC 3339 datetime")]),
    Case("number-for-datetime", {"records/a.toml": NOTICE + "issued_at = 20020301\n"},
         [P("records/a.toml", None, "disclosure", "notice", "issued_at",
            "expected an RFC 3339 datetime, got an integer")]),
    Case("negative-money", {"records/a.toml": PERMIT + 'fees = [{ name = "fee", '
                                                       'amount = { amount = "-1.00" } }]\n'},
         [P("records/a.toml", None, "approval_item", "permit", "fees.0.amount.amount",
            "must not be negative")]),
    Case("promised-over-statutory",
         {"records/a.toml": PERMIT + "time_limit = { statutory = 20, promised = 25 }\n"},
         [P("records/a.toml", None, "approval_item", "permit", "time_limit.promised",
            "must be <= statutory (20)")]),
    Case("withdrawn-without-withdrawn", {"records/a.toml": NOTICE + 'status = "withdrawn"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "withdrawn",
            "required with status = 'withdrawn' ({ on, reason })")]),
    Case("null-for-string", {"records/a.json": record("disclosure", id=None, agency="office",
                                                      title="t")},
         [P("records/a.json", None, "disclosure", None, "id",
            "expected a string, got nothing (null)")]),
    Case("missing-required-field",
         {"records/a.toml": '[[disclosure]]\nid = "notice"\nagency = "office"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "title",
            "required field is missing")]),
    # references
    Case("dangling-agency", {"records/a.toml": NOTICE.replace('"office"', '"nobody"')},
         [P("records/a.toml", None, "disclosure", "notice", "agency",
            "no agency 'nobody' in the catalogue")]),
    Case("dangling-parent", {"agencies.toml": AGENCIES + 'parent = "nobody"\n'},
         [P("agencies.toml", None, "agency", "office", "parent",
            "no agency 'nobody' in the catalogue")]),
    Case("dangling-item", {"records/a.jsonl": record(
        "case", id="c1", agency="office", item="nothing", received_at="2002-03-01T09:00:00")},
         [P("records/a.jsonl", 1, "case", "c1", "item",
            "no approval_item 'nothing' in the catalogue")]),
    Case("dangling-hotline", {"records/a.jsonl": "\n" + record(
        "hotline_call", id="call", agency="office", hotline="nothing",
        received_at="2002-03-01T09:00:00")},
         [P("records/a.jsonl", 2, "hotline_call", "call", "hotline",
            "no hotline 'nothing' in the catalogue")]),
    Case("dangling-hall", {"records/a.toml": '[[service_window]]\nid = "w1"\nagency = "office"\n'
                                             'hall = "nothing"\nnumber = "1"\nname = "W"\n'},
         [P("records/a.toml", None, "service_window", "w1", "hall",
            "no service_hall 'nothing' in the catalogue")]),
    Case("dangling-related", {"records/a.toml": NOTICE + 'related = ["case:nothing"]\n'},
         [P("records/a.toml", None, "disclosure", "notice", "related.0",
            "no case 'nothing' in the catalogue")]),
    Case("dangling-supersedes", {"records/a.toml": NOTICE + 'supersedes = "older"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "supersedes",
            "no disclosure 'older' in the catalogue")]),
    Case("dangling-release", {"records/a.toml": '[[press_conference]]\nid = "pc"\n'
                                                'agency = "office"\ntitle = "t"\n'
                                                "scheduled_at = 2002-03-01T09:00:00\n"
                                                'releases = ["nothing"]\n'},
         [P("records/a.toml", None, "press_conference", "pc", "releases.0",
            "no news_release 'nothing' in the catalogue")]),
    Case("dangling-task-owner", {"records/a.toml": '[[work_plan]]\nid = "plan"\n'
                                                   'agency = "office"\ntitle = "t"\nyear = 2002\n'
                                                   'tasks = [{ id = "t1", text = "x", '
                                                   'owner = "nobody" }]\n'},
         [P("records/a.toml", None, "work_plan", "plan", "tasks.0.owner",
            "no agency 'nobody' in the catalogue")]),
    Case("wrong-type-reference", {"records/a.toml": '[[case]]\nid = "c1"\nagency = "office"\n'
                                                    'item = "office"\n'
                                                    "received_at = 2002-03-01T09:00:00\n"},
         [P("records/a.toml", None, "case", "c1", "item",
            "'office' is an agency, not an approval_item")]),
    Case("wrong-type-typed-reference",
         {"records/a.toml": '[[news_release]]\nid = "nr"\nagency = "office"\nheadline = "h"\n'
                            'conference = "agency:office"\n'},
         [P("records/a.toml", None, "news_release", "nr", "conference",
            "'agency:office' must refer to a press_conference")]),
    Case("unknown-type-in-reference", {"records/a.toml": NOTICE + 'related = ["memo:x"]\n'},
         [P("records/a.toml", None, "disclosure", "notice", "related.0",
            "unknown record type 'memo' in reference 'memo:x'")]),
    Case("agency-parent-cycle",
         {"agencies.toml": AGENCIES + '\n[[agency]]\nid = "a"\nname = "A"\nlevel = "city"\n'
                                      'parent = "b"\n\n[[agency]]\nid = "b"\nname = "B"\n'
                                      'level = "city"\nparent = "a"\n'},
         [P("agencies.toml", None, "agency", "a", "parent", "parent chain is circular"),
          P("agencies.toml", None, "agency", "b", "parent", "parent chain is circular")]),
    Case("supersedes-cycle",
         {"records/a.toml": NOTICE + 'supersedes = "other"\n\n[[disclosure]]\nid = "other"\n'
                                     'agency = "office"\ntitle = "O"\nsupersedes = "notice"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "supersedes",
            "supersedes chain is circular"),
          P("records/a.toml", None, "disclosure", "other", "supersedes",
            "supersedes chain is circular")]),
    Case("duplicate-id", {"records/a.toml": NOTICE, "records/b.json": record(
        "disclosure", id="notice", agency="office", title="again")},
         [P("records/b.json", None, "disclosure", "notice", "id",
            "duplicate id (first defined in records/a.toml)")]),
    Case("duplicate-id-with-line", {"records/a.jsonl": "\n".join(
        record("disclosure", id="notice", agency="office", title=t) for t in "ab")},
         [P("records/a.jsonl", 2, "disclosure", "notice", "id",
            "duplicate id (first defined in records/a.jsonl:1)")]),
    # files
    Case("invalid-toml", {"records/a.toml": NOTICE + 'summary = "unclosed\n'},
         [P("records/a.toml", 5, None, None, None,
            "not valid TOML: Illegal character '\\n' (column 20)")]),
    Case("invalid-json", {"records/a.json": '[\n  {"type": "disclosure",\n   "id": "x",,\n  }\n]'},
         [P("records/a.json", 3, None, None, None,
            "not valid JSON: unexpected character, expected a string key")]),
    Case("invalid-jsonl-line", {"records/a.jsonl": record(
        "disclosure", id="n1", agency="office", title="t") + "\n{not json}\n"},
         [P("records/a.jsonl", 2, None, None, None,
            "not valid JSON: unexpected character, expected a string key")]),
    Case("jsonl-line-not-an-object", {"records/a.jsonl": "[1, 2]\n"},
         [P("records/a.jsonl", 1, None, None, None, "a record must be a table/object")]),
    Case("not-utf-8", {"records/a.toml": b'[[disclosure]]\nid = "n"\ntitle = "\xff\xfe"\n'},
         [P("records/a.toml", None, None, None, None, "not valid UTF-8 (byte 33)")]),
    Case("not-utf-8-jsonl-line", {"records/a.jsonl": b'{}\n{"id": "\xff"}\n'},
         [P("records/a.jsonl", 1, None, None, "type", "missing type key (one of "
            + ", ".join(gd.RECORD_TYPES) + ")"),
          P("records/a.jsonl", 2, None, None, None, "not valid UTF-8 (byte 11)")]),
    Case("markdown-without-front-matter", {"records/a.md": "# Just Markdown\n"},
         [P("records/a.md", 1, None, None, None,
            "a Markdown record starts with TOML front matter between +++ lines")]),
    Case("markdown-unclosed-front-matter",
         {"records/a.md": '+++\ntype = "disclosure"\nid = "n"\n'},
         [P("records/a.md", 1, None, None, None, "front matter is not closed by a +++ line")]),
    Case("markdown-body-twice",
         {"records/a.md": '+++\ntype = "disclosure"\nid = "n"\nagency = "office"\ntitle = "t"\n'
                          'body = "one"\n+++\ntwo\n'},
         [P("records/a.md", 8, "disclosure", "n", "body",
            "body given both in front matter and after it")]),
    Case("markdown-language-twice",
         {"records/a.md": '+++\ntype = "disclosure"\nid = "n"\nagency = "office"\ntitle = "t"\n'
                          "+++\n正文\n+++ en\nfirst\n\n+++ en\nsecond\n"},
         [P("records/a.md", 11, "disclosure", "n", "body",
            "a second '+++ en' (the first is at line 8): give each language one section")]),
    Case("markdown-default-language-after-its-text",
         {"records/a.md": '+++\ntype = "disclosure"\nid = "n"\nagency = "office"\ntitle = "t"\n'
                          "+++\n正文\n+++ zh-CN\n正文二\n"},
         [P("records/a.md", 8, "disclosure", "n", "body",
            "'+++ zh-CN' after text in zh-CN (the default language: the body after the front "
            "matter is in it); give each language one section")]),
    Case("markdown-invalid-front-matter",
         {"records/a.md": '+++\ntype = "disclosure"\nid = "n"\ntitle = \n+++\n'},
         [P("records/a.md", 4, None, None, None,
            "not valid TOML: Invalid value (column 9)")]),
    Case("unknown-record-type", {"records/a.json": record("memo", id="m", agency="office")},
         [P("records/a.json", None, None, "m", "type",
            f"unknown record type 'memo' (one of {TYPES})")]),
    Case("missing-record-type", {"records/a.json": '{"id": "m", "agency": "office"}'},
         [P("records/a.json", None, None, "m", "type", f"missing type key (one of {TYPES})")]),
    Case("markdown-missing-type",
         {"records/a.md": '+++\nid = "n"\nagency = "office"\ntitle = "t"\n+++\nBody\n'},
         [P("records/a.md", None, None, "n", "type", f"missing type key (one of {TYPES})")]),
    Case("json-list-type-problems", {"records/a.json": "[" + ",\n".join([
        record("disclosure", id="first", agency="office", title="t"),
        json.dumps({"id": "untyped", "agency": "office", "title": "t"}),
        record("disclosurr", id="typo", agency="office", title="t"),
        json.dumps({"agency": "office", "title": "t"}),
        "[]"]) + "]"},
         [P("records/a.json", None, None, "untyped", "type",
            f"missing type key (one of {TYPES})"),
          P("records/a.json", None, None, "typo", "type",
            f"unknown record type 'disclosurr' (one of {TYPES})"),
          P("records/a.json", None, None, None, "type", f"missing type key (one of {TYPES})",
            4),
          P("records/a.json", None, None, None, None, "a record must be a table/object", 5)]),
    Case("json-list-record-without-id", {"records/a.json": "[" + ",\n".join([
        record("disclosure", id="first", agency="office", title="t"),
        record("disclosure", agency="office", title="t", titel="x")]) + "]"},
         [P("records/a.json", None, "disclosure", None, "id", "required field is missing", 2),
          P("records/a.json", None, "disclosure", None, "titel", UNKNOWN_KEY, 2)]),
    Case("toml-table-without-id",
         {"records/a.toml": NOTICE + '\n[[disclosure]]\nagency = "office"\ntitle = "t"\n'},
         [P("records/a.toml", None, "disclosure", None, "id", "required field is missing", 2)]),
    Case("type-against-table", {"records/a.toml": NOTICE + 'type = "case"\n'},
         [P("records/a.toml", None, "disclosure", "notice", "type",
            "type 'case' inside a [[disclosure]] table")]),
    # hostile values (review of 2026-11-27)
    Case("language-path", {"catalog.toml": CATALOG + 'languages = ["zh-CN", "../../x"]\n'},
         [P("catalog.toml", None, None, None, "catalog.languages.1",
            "'../../x' is not a language tag (like zh-CN or en)")]),
    Case("base-url-without-host", {"catalog.toml": CATALOG + 'base_url = "https://"\n'},
         [P("catalog.toml", None, None, None, "catalog.base_url",
            "must be an http(s) URL with a host")]),
    Case("nested-too-deep", {"records/a.toml": "x = " + "[" * 3000 + "]" * 3000 + "\n"},
         [P("records/a.toml", None, None, None, None,
            "not valid TOML: arrays or tables nested too deeply")]),
    Case("empty-front-matter", {"records/a.md": "+++\n# only a comment\n+++\n# Notice\nBody\n"},
         [P("records/a.md", 1, None, None, None, "the front matter is empty: a record needs "
            "its type, id and fields there")]),
    Case("huge-money", {"records/a.toml": PERMIT + "[[approval_item.fees]]\nname = \"fee\"\n"
                        'amount = { amount = "1000000000000000000", currency = "CNY" }\n'},
         [P("records/a.toml", None, "approval_item", "permit", "fees.0.amount.amount",
            "must be below 10^18 with at most 8 decimal places")]),
    Case("money-in-e-notation",
         {"records/a.toml": PERMIT + 'fees = [{ name = "fee", amount = { amount = "1E+3" } }]\n'},
         [P("records/a.toml", None, "approval_item", "permit", "fees.0.amount.amount",
            "'1E+3' is not a decimal string: digits with an optional fraction, like \"12.50\"")]),
    # catalog.toml
    Case("missing-catalog-toml", {"catalog.toml": None},
         [P("{root}/catalog.toml", None, None, None, None,
            "no catalog.toml here: is this a catalogue folder? (govdisclosure init DIR)")]),
    Case("missing-catalog-table", {"catalog.toml": 'name = "x"\n'},
         [P("catalog.toml", None, None, None, "name",
            "unknown key (only [catalog] belongs here)"),
          P("catalog.toml", None, None, None, "catalog", "missing [catalog] table")]),
    Case("bad-timezone", {"catalog.toml": '[catalog]\nname = "t"\ntimezone = "Mars/Olympus"\n'},
         [P("catalog.toml", None, None, None, "catalog.timezone",
            "unknown timezone 'Mars/Olympus' (IANA name, e.g. Asia/Shanghai)")]),
    Case("default-language-not-in-languages",
         {"catalog.toml": '[catalog]\nname = "t"\ndefault_language = "fr"\n'
                          'languages = ["zh-CN", "en"]\n'},
         [P("catalog.toml", None, None, None, "catalog.default_language",
            "'fr' is not one of languages ['zh-CN', 'en']")]),
    Case("invalid-holiday", {"catalog.toml": CATALOG + 'holidays = ["2002-02-30"]\n'},
         [P("catalog.toml", None, None, None, "catalog.holidays.0",
            "'2002-02-30' is not a valid date (YYYY-MM-DD)")]),
    Case("publisher-not-a-table", {"catalog.toml": CATALOG + 'publisher = "Clerk"\n'},
         [P("catalog.toml", None, None, None, "catalog.publisher",
            "expected a table (name, email, url), got a string")]),
    Case("publisher-unknown-key",
         {"catalog.toml": CATALOG + 'publisher = { name = "Clerk", fax = "1" }\n'},
         [P("catalog.toml", None, None, None, "catalog.publisher.fax", UNKNOWN_KEY)]),
    Case("unknown-calendar", {"catalog.toml": CATALOG + 'calendar = "XX"\n'},
         [P("catalog.toml", None, None, None, "catalog.calendar",
            "unknown calendar 'XX' (known: CN, weekdays, and the countries of the holidays "
            "package, optionally with a subdivision, like US or DE-BY)")]),
]


def write_case(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """The minimal valid catalogue with ``files`` over it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in {"catalog.toml": CATALOG, "agencies.toml": AGENCIES, **files}.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def expected(case: Case, root: Path) -> list[gd.Problem]:
    """The case's problems as gd.Problem values."""
    return [gd.Problem(file=p.file.format(root=root), line=p.line, type=p.type,
                       record=p.record, field=p.field, message=p.message, position=p.position)
            for p in case.problems]


def files_below(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` with its content."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file()}


class Run(NamedTuple):
    """One finished CLI run."""

    code: int
    stdout: str
    stderr: str


@pytest.fixture(name="cases_root", scope="module")
def fixture_cases_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every case written below one folder; afterwards, checks that nothing was written."""
    root = tmp_path_factory.mktemp("malformed")
    for case in CASES:
        write_case(root / case.name, case.files)
    written = files_below(root)
    yield root
    assert files_below(root) == written, "validate (or load_catalog) wrote into a catalogue"


#: Cases also run through ``python -m govdisclosure`` in a subprocess: one of each kind
#: (a process per case costs most of a second; the in-process CLI runs all of them).
SUBPROCESS_CASES = (
    "unknown-nested-key", "id-dotdot", "dangling-hotline", "duplicate-id", "not-utf-8",
    "missing-catalog-toml", "json-list-type-problems",
)


@pytest.fixture(name="cli_runs", scope="module")
def fixture_cli_runs(cases_root: Path) -> dict[str, Run]:
    """``python -m govdisclosure validate CASE`` (text and --json) for SUBPROCESS_CASES."""

    def run(job: tuple[str, tuple[str, ...]]) -> Run:
        name, options = job
        done = subprocess.run(
            [sys.executable, "-m", "govdisclosure", "validate", *options,
             str(cases_root / name)],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1"},
        )
        return Run(done.returncode, done.stdout, done.stderr)

    jobs = [(name, options) for name in SUBPROCESS_CASES for options in ((), ("--json",))]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip((f"{name}{''.join(o)}" for name, o in jobs), pool.map(run, jobs),
                        strict=True))


def test_there_are_at_least_35_cases() -> None:
    """The table covers at least 35 malformed inputs, each with a unique name."""
    assert len({case.name for case in CASES}) == len(CASES) >= 35


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_load_catalog_reports_exactly_the_problems(case: Case, cases_root: Path) -> None:
    """gd.load_catalog raises CatalogError listing exactly the expected problems."""
    root = cases_root / case.name

    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)

    assert list(caught.value.problems) == expected(case, root)


def text_lines(case: Case, root: Path) -> list[str]:
    """What validate prints on stderr for a case: a count, then one line per problem."""
    count = len(case.problems)
    head = f"error: {count} problem{'s' if count != 1 else ''} in the catalogue"
    return [head, *(str(p) for p in expected(case, root))]


def json_problems(case: Case, root: Path) -> list[dict[str, object]]:
    """The problems as validate --json lists them."""
    return [{"file": p.file, "line": p.line, "position": p.position, "type": p.type,
             "record": p.record, "field": p.field, "message": p.message, "text": str(p)}
            for p in expected(case, root)]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_validate_prints_every_problem_and_exits_2(case: Case, cases_root: Path) -> None:
    """validate prints file: type 'id': field.path: message per problem, exit 2, no traceback."""
    root = cases_root / case.name
    result = CliRunner().invoke(cli, ["validate", str(root)])

    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == text_lines(case, root)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_validate_json_lists_every_problem(case: Case, cases_root: Path) -> None:
    """validate --json prints one document with every problem, structured, and exits 2."""
    root = cases_root / case.name
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])

    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert (document["ok"], document["error"]) == (False, "CatalogError")
    assert document["problems"] == json_problems(case, root)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_python_m_govdisclosure_validate_reports_and_exits_2(
    name: str, cases_root: Path, cli_runs: dict[str, Run]
) -> None:
    """In a real process: the same lines on stderr, exit 2, no traceback, nothing on stdout."""
    case = next(case for case in CASES if case.name == name)
    run = cli_runs[name]

    assert (run.code, run.stdout) == (2, "")
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == text_lines(case, cases_root / name)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_python_m_govdisclosure_validate_json_reports_and_exits_2(
    name: str, cases_root: Path, cli_runs: dict[str, Run]
) -> None:
    """In a real process with --json: only the JSON document on stdout, exit 2."""
    case = next(case for case in CASES if case.name == name)
    run = cli_runs[f"{name}--json"]

    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert json.loads(run.stdout)["problems"] == json_problems(case, cases_root / name)


def test_every_problem_of_a_catalogue_is_reported_at_once(tmp_path: Path) -> None:
    """Problems of many files and kinds come in one CatalogError, sorted by file and line."""
    root = write_case(tmp_path, {
        "agencies.toml": AGENCIES + 'parent = "nobody"\n',
        "records/a.toml": NOTICE + 'titel = "x"\n',
        "records/b.json": record("case", id="c1", agency="office", item="nothing",
                                 received_at="2002-03-01T09:00:00"),
        "records/c.jsonl": record("hotline_call", id="call", agency="office", hotline="h",
                                  received_at="soon") + "\n{\n",
        "records/d.md": "no front matter\n",
        "records/e.toml": "x = \n",
        "records/f.toml": PERMIT + "time_limit = { statutory = 20, promised = 25 }\n",
    })

    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)

    # references to records not found wait until every file reads: they may be in them
    assert [(p.file, p.line, p.record, p.field) for p in caught.value.problems] == [
        ("records/a.toml", None, "notice", "titel"),
        ("records/c.jsonl", 1, "call", "received_at"),
        ("records/c.jsonl", 2, None, None),
        ("records/d.md", 1, None, None),
        ("records/e.toml", 1, None, None),
        ("records/f.toml", None, "permit", "time_limit.promised"),
        ("records/c.jsonl, records/d.md, records/e.toml", None, None, None),
    ]
    assert caught.value.problems[-1].message == (
        "2 references to records not found are listed once every file reads")
    for name in ("c.jsonl", "d.md", "e.toml"):
        (root / "records" / name).unlink()
    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)
    assert [(p.file, p.record, p.field) for p in caught.value.problems
            if "not found" in p.message or "no " in p.message] == [
        ("agencies.toml", "office", "parent"), ("records/b.json", "c1", "item")]


def test_one_unreadable_agencies_file_is_one_problem_not_a_cascade(
        tmp_path: Path, example_path: Path) -> None:
    """A typo in agencies.toml once gave 243 problems, one per reference to an agency."""
    root = tmp_path / "cat"
    shutil.copytree(example_path, root)
    agencies = root / "agencies.toml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("[[agency]]", "[[agency]",
                                                                     1), encoding="utf-8")
    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)
    problems = caught.value.problems
    assert [(p.file, p.line is not None) for p in problems] == [
        ("agencies.toml", True), ("agencies.toml", False)]
    assert problems[0].message.startswith("not valid TOML")
    assert problems[1].message.endswith("references to records not found are listed once "
                                        "every file reads")


def test_a_channel_that_names_no_publisher_is_a_problem(tmp_path: Path) -> None:
    """MODEL.md: ``channels`` is a subset of publisher names. A typo would keep the record
    out of every output without a word; the design's names are accepted on any install,
    and so is a third party's publisher not installed here (a warning of validate: the
    catalogue serves the installs that have it)."""
    root = write_case(tmp_path, {
        "records/a.toml": NOTICE + 'channels = ["site", "sitee"]\n',
        "records/b.toml": PERMIT + 'channels = ["kiosk", "news", "ocds", "webhook"]\n',
    })
    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)
    (problem,) = caught.value.problems
    assert (problem.file, problem.record, problem.field) == ("records/a.toml", "notice",
                                                             "channels.1")
    assert problem.message.startswith("no publisher 'sitee': did you mean 'site'? (known: "
                                      "feeds, kiosk,")
    (root / "records" / "a.toml").write_text(NOTICE + 'channels = ["feeds", "touchsign"]\n',
                                             encoding="utf-8")
    catalog = gd.load_catalog(root)
    assert len(catalog) == 3
    (warning,) = [w for w in lint.warnings(catalog) if w.record]  # and the local base_url
    assert (warning.record, warning.field) == ("notice", "channels.1")
    assert warning.message.startswith("no publisher 'touchsign' is installed here")


def test_problems_and_hashes_stay_sound_on_hostile_values() -> None:
    """A field path or message quoting the input cannot drive a terminal; an integer
    beyond 64 bits (a byte count of 10**21) is hashed for publishing, not a crash."""
    from govdisclosure.publishing.selection import content_hash

    text = str(gd.Problem(file="a.json", field="\x1b[2Jx", message="'\u202eexe' unknown"))
    assert "\x1b" not in text
    assert "\u202e" not in text
    big = gd.Disclosure(id="d", agency="office", category="policy", title="T",
                        issued_at=dt.datetime(2002, 5, 1, tzinfo=dt.UTC),
                        attachments=(gd.Attachment(title="t", url="https://x.example/a.pdf",
                                                   bytes=10**21),))
    assert content_hash(big) != content_hash(attrs.evolve(big, attachments=()))
