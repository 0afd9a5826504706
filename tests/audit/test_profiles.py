"""Profiles: built-in TOML package data, user files that extend them, strict keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.audit.support import AS_OF, case, catalog

import govdisclosure as gd
from govdisclosure.audit import BUILTIN_PROFILES, RULES, audit, load_profile


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_profiles_load(name: str) -> None:
    """Each built-in profile loads, knows only real rules and scores out of 100."""
    profile = load_profile(name)
    assert profile.name == name
    assert set(profile.rules) <= set(RULES)
    assert sum(c.max for c in profile.evaluation.components) == 100


def test_jilin_profile_has_every_rule() -> None:
    """cn-jilin-2002 enables every rule of AUDIT.md's table."""
    assert set(load_profile("cn-jilin-2002").rules) == set(RULES)


def test_catalogue_selects_its_profile() -> None:
    """Without a profile argument the catalogue's meta.profile is used."""
    assert audit(catalog(), as_of=AS_OF).summary.profile == "cn-jilin-2002"


def test_user_profile_extends_and_overrides(tmp_path: Path) -> None:
    """A user .toml file extends a built-in one and changes a severity."""
    path = tmp_path / "mine.toml"
    path.write_text('[profile]\nname = "mine"\nextends = "cn-jilin-2002"\n\n'
                    '[rules."case.overdue"]\nseverity_promised = "info"\n\n'
                    '[rules."hotline.missing"]\nenabled = false\n', encoding="utf-8")
    profile = load_profile(path)
    assert profile.name == "mine"
    assert "hotline.missing" not in profile.rules
    report = audit(catalog(case("c1", "2002-03-04", "2002-03-19")), as_of=AS_OF,
                   profile=str(path))
    assert [(f.code, f.severity) for f in report.findings] == [("case.overdue", "info")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[rules."case.overdue"]\nseverity = "fatal"\n', "severity"),
        ('[rules."case.overdu"]\nseverity = "error"\n', "unknown key"),
        ('[rules."case.overdue"]\nseverity = "error"\nlimit = 3\n', "unknown key"),
        ('[rules."allocation.no_result"]\nseverity = "error"\ndays = -1\nunit = "working_days"\n',
         "non-negative"),
        ("[profile]\nextends = \"nope\"\n", "no built-in profile"),
        ("not toml = = 1", "not valid TOML"),
        ('[rules."suggestion.reward_missing"]\nseverity = "error"\n'
         '[evaluation.components.a]\nmax = 50\ncodes = ["ten."]\n', "add up to"),
        ('[messages."case.overdue"]\nen = "late: {nonexistent}"\n',
         "unknown placeholder {nonexistent}"),
        ('[messages."case.overdue"]\nen = "late: {case"\n', "message template"),
    ],
)
def test_bad_profiles_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    """Typos, bad values and broken files are ConfigError naming the problem."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(gd.ConfigError, match=message):
        load_profile(path)


def test_unknown_builtin_name() -> None:
    """An unknown name lists the built-in profiles."""
    with pytest.raises(gd.ConfigError, match="cn-jilin-2002"):
        load_profile("cn-jilin-2003")


def test_profile_message_override(tmp_path: Path) -> None:
    """A profile may reword a finding's message."""
    path = tmp_path / "m.toml"
    path.write_text('[profile]\nname = "m"\nextends = "cn-jilin-2002"\n'
                    '[messages."case.overdue"]\nen = "late: {case}"\n', encoding="utf-8")
    report = audit(catalog(case("c1", "2002-03-04", "2002-03-19")), as_of=AS_OF,
                   profile=path)
    assert report.findings[0].message["en"] == "late: c1"


BROKEN_PROFILES = [
    ("not toml = = 1", "not valid TOML", None),
    (b'title = "\xff"\n', "not valid UTF-8 (byte 9)", None),
    ('[rules."case.overdu"]\nseverity = "error"\n', "rules: unknown key 'case.overdu'",
     "rules.case.overdu"),
    ('[rules."case.overdue"]\nseverity = 3\n', "rules.case.overdue.severity: must be one of",
     "rules.case.overdue.severity"),
    ('[profile]\ntitle = 3\nextends = "generic"\n', "profile.title: must be text",
     "profile.title"),
    ('[profile]\nname = ["x"]\n', "profile.name: must be a string", "profile.name"),
    ('[profile]\nextends = "missing.toml"\n', "profile.extends: no profile 'missing.toml'",
     "profile.extends"),
    ('[profile]\nextends = 2002\n', "profile.extends: must be a string", "profile.extends"),
    ('[evaluation]\nevaluator = 5\n', "evaluation.evaluator: must be text",
     "evaluation.evaluator"),
    ("rules = 1\n", "rules: must be a table", "rules"),
]


@pytest.mark.parametrize(("text", "message", "key"), BROKEN_PROFILES)
def test_every_profile_error_names_the_file_and_the_key(
        tmp_path: Path, text: str | bytes, message: str, key: str | None) -> None:
    """A broken profile file (not TOML, not UTF-8, unknown rule, wrong type) is a
    ConfigError whose message starts with the file and names the key."""
    path = tmp_path / "mine.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")

    with pytest.raises(gd.ConfigError) as caught:
        load_profile(path)

    assert str(caught.value).startswith(f"{path}: {message}"), str(caught.value)
    assert caught.value.file == str(path)
    assert caught.value.key == key


def test_a_broken_file_extended_is_named_itself(tmp_path: Path) -> None:
    """A profile extending a broken one: the message names the broken file."""
    (tmp_path / "base.toml").write_text("not toml = = 1", encoding="utf-8")
    (tmp_path / "mine.toml").write_text('[profile]\nextends = "base.toml"\n', encoding="utf-8")

    with pytest.raises(gd.ConfigError, match=r"base\.toml: not valid TOML"):
        load_profile(tmp_path / "mine.toml")


def test_a_rule_missing_a_parameter_names_the_profile_file(tmp_path: Path) -> None:
    """A rule enabled without a parameter it needs (a profile extending none) fails the
    audit with a ConfigError naming the file and the key, not only the rule."""
    path = tmp_path / "mine.toml"
    path.write_text('[rules."case.overdue"]\nseverity = "error"\n', encoding="utf-8")

    with pytest.raises(gd.ConfigError) as caught:
        audit(catalog(case("c1", "2002-03-04", "2002-03-19")), as_of=AS_OF, profile=path)

    assert str(caught.value).startswith(f"{path}: rules.case.overdue.outcomes: required")
    assert caught.value.key == "rules.case.overdue.outcomes"


def test_a_profile_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    """A profile written by a Windows editor (UTF-8 BOM first) loads."""
    path = tmp_path / "mine.toml"
    path.write_bytes(b'\xef\xbb\xbf[profile]\nname = "mine"\nextends = "generic"\n')

    assert load_profile(path).name == "mine"


@pytest.mark.parametrize(("text", "message", "key"), BROKEN_PROFILES[:4])
def test_audit_with_a_broken_profile_file_exits_2_naming_it(
        tmp_path: Path, text: str | bytes, message: str, key: str | None) -> None:
    """``audit --profile FILE`` with a broken file: exit 2, the file and the key named,
    no internal error."""
    from click.testing import CliRunner

    from govdisclosure.cli import cli

    path = tmp_path / "mine.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    example = Path(__file__).resolve().parents[2] / "examples" / "jilin-2002"

    result = CliRunner().invoke(cli, ["audit", str(example), "--as-of", "2002-12-31",
                                      "--profile", str(path)])

    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert f"{path}: {message}" in " ".join(result.output.split())
