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
