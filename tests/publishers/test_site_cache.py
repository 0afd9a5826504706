"""The site's cache of compiled templates: used when it works, skipped when it cannot."""

from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader, Environment

from govdisclosure.publishers.site import _BytecodeCache


def _render(cache: _BytecodeCache) -> str:
    env = Environment(loader=DictLoader({"t.html": "{{ x }}!"}), autoescape=True,
                      bytecode_cache=cache)
    return env.get_template("t.html").render(x="<b>")


def test_compiled_templates_are_kept_and_reused(tmp_path: Path) -> None:
    cache = _BytecodeCache(str(tmp_path))
    assert _render(cache) == "&lt;b&gt;!"
    assert len(list(tmp_path.iterdir())) == 1
    assert _render(cache) == "&lt;b&gt;!"  # from the file this time


def test_a_cache_that_cannot_be_written_or_read_is_skipped(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert _render(_BytecodeCache(str(not_a_folder))) == "&lt;b&gt;!"
