"""A Markdown record can carry its body in several languages."""

from __future__ import annotations

from pathlib import Path

import pytest

import govdisclosure as gd

CATALOG = """[catalog]
name = "x"
default_language = "zh-CN"
languages = ["zh-CN", "en"]
timezone = "Asia/Shanghai"
"""


def write(root: Path, body: str) -> gd.Catalog:
    """A catalogue with one Markdown disclosure whose text after the front matter is ``body``."""
    (root / "records").mkdir(parents=True)
    (root / "catalog.toml").write_text(CATALOG)
    (root / "agencies.toml").write_text('[[agency]]\nid = "a"\nname = "A"\nlevel = "city"\n')
    (root / "records" / "d.md").write_text(
        f'+++\ntype = "disclosure"\nid = "d"\nagency = "a"\ntitle = "t"\n+++\n{body}',
        encoding="utf-8")
    return gd.load_catalog(root)


def test_language_sections_make_localized_body(tmp_path: Path) -> None:
    """`+++ en` starts the English body; the text before it is the default language's."""
    record = write(tmp_path, "# 标题\n\n正文\n\n+++ en\n# Title\n\nBody\n").get("disclosure", "d")
    assert record is not None
    assert record.body == {"zh-CN": "# 标题\n\n正文", "en": "# Title\n\nBody"}


def test_body_without_sections_stays_plain_text(tmp_path: Path) -> None:
    """Without language lines the body is a plain string in the default language."""
    record = write(tmp_path, "Just text\n").get("disclosure", "d")
    assert record is not None
    assert record.body == "Just text"


def test_the_default_language_may_be_named_before_its_text(tmp_path: Path) -> None:
    """`+++ zh-CN` before any text only names the section the body starts in anyway."""
    record = write(tmp_path, "\n+++ zh-CN\n正文\n+++ en\nBody\n").get("disclosure", "d")
    assert record is not None
    assert record.body == {"zh-CN": "正文", "en": "Body"}


def test_a_language_given_twice_is_refused_not_joined(tmp_path: Path) -> None:
    """Two `+++ en` sections (or `+++ zh-CN` after the default text) were joined into one
    paragraph without a word; each is a problem naming its line."""
    with pytest.raises(gd.CatalogError) as caught:
        write(tmp_path, "中文\n+++ en\nfirst en\n+++ en\nsecond en\n+++ zh-CN\n中文二\n")

    assert [(p.line, p.record, p.field) for p in caught.value.problems] == [
        (10, "d", "body"), (12, "d", "body")]


def test_a_language_line_in_code_is_code(tmp_path: Path) -> None:
    """A body that shows the syntax in a fenced or indented code block keeps it there: only
    a line outside code starts a language's section."""
    body = ("如何写英文部分：\n\n```markdown\n+++ en\nBody\n```\n\n~~~~\n+++ en\n~~~\n~~~~\n\n"
            "    +++ en\n\n+++ en\nThe English body\n")
    record = write(tmp_path, body).get("disclosure", "d")
    assert record is not None
    assert record.body == {
        "zh-CN": "如何写英文部分：\n\n```markdown\n+++ en\nBody\n```\n\n~~~~\n+++ en\n~~~\n~~~~\n\n"
                 "    +++ en", "en": "The English body"}
