"""Catalogue files on the site: floor plans (sanitised SVG) and staff photos.

The catalogues here are folders, as a user writes them: the files a hall or window names
are read from there, never from outside it, and follow their record in and out of the
site.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

import govdisclosure as gd
from govdisclosure.catalog.lint import warnings
from govdisclosure.cli import cli
from govdisclosure.publishers.kiosk import KioskOptions
from govdisclosure.publishers.site.assets import sanitize_svg

AS_OF = dt.datetime(2002, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SVG_NS = "http://www.w3.org/2000/svg"
#: a PNG signature and the start of an IHDR chunk: enough for the type check
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)

HOSTILE_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 800 400" onload="alert(1)">
<script>alert(2)</script>
<style>@import url(https://evil.example/x.css); rect { fill: red }</style>
<title>Hall &b; plan</title>
<g style="fill:#eee;background:url(https://evil.example/t.png)" stroke="url(#edge)">
  <rect x="1" y="2" width="30" height="40" onclick="steal()"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">injected</div></foreignObject>
</g>
<a xlink:href="javascript:alert(3)"><text x="5" y="9">Exit &lt;script&gt;</text></a>
<use xlink:href="#edge"/><use href="https://evil.example/#x"/><image href="https://evil.example/i.png"/>
<animate attributeName="href" to="javascript:alert(4)"/>
<set attributeName="onclick" to="alert(5)"/>
</svg>"""


def write_catalogue(root: Path, *, plans: list[str | None], photos: list[str | None],
                    hall: str = "", window: str = "") -> Path:
    """A catalogue folder with one agency, one hall (a floor per plan) and one window
    (a staff member per photo); ``hall`` and ``window`` add TOML lines to the records."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalog.toml").write_text(
        '[catalog]\nname = "Test"\nbase_url = "https://gk.example.gov.cn/"\n'
        'default_language = "zh-CN"\nlanguages = ["zh-CN", "en"]\n'
        'timezone = "Asia/Shanghai"\n', encoding="utf-8")
    (root / "agencies.toml").write_text(
        '[[agency]]\nid = "gov"\nname = "Government"\nlevel = "province"\n', encoding="utf-8")
    lines = ['[[service_hall]]', 'id = "hall"', 'agency = "gov"', 'name = "Hall"', hall]
    for n, plan in enumerate(plans):
        lines += ["[[service_hall.floors]]", f'label = "Floor {n + 1}"']
        if plan is not None:
            lines.append(f"plan = {plan!r}".replace("'", '"'))
        lines += ["[[service_hall.floors.windows]]", 'window = "w1"', "x = 50", "y = 50"]
    lines += ['[[service_window]]', 'id = "w1"', 'agency = "gov"', 'hall = "hall"',
              'number = "1"', 'name = "Window one"', window]
    for n, photo in enumerate(photos):
        lines += ["[[service_window.staff]]", f'name = "Person {n + 1}"']
        if photo is not None:
            lines.append(f"photo = {photo!r}".replace("'", '"'))
    (root / "records").mkdir(exist_ok=True)
    (root / "records" / "halls.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def publish(root: Path, out: Path) -> gd.PublishReport:
    report = gd.publish(gd.load_catalog(root), to=["site"], out=out, as_of=AS_OF)
    assert report.failed == 0, report.publishers[0].failures
    return report


def assets(out: Path, kind: str, ident: str) -> dict[str, bytes]:
    folder = out / "site" / "assets" / kind / ident
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def assert_inert(svg: bytes) -> None:
    """Nothing in ``svg`` can run, load or link anything outside it."""
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter():
        assert isinstance(element.tag, str), element  # no entity, comment or PI
        namespace, _, name = element.tag[1:].partition("}")
        assert namespace == SVG_NS
        assert name not in {"script", "foreignObject", "image", "a", "animate", "set",
                            "iframe", "feImage"}
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            assert not local.lower().startswith("on"), attribute
            if local == "href":
                assert value.startswith("#"), value
            lowered = value.lower()
            assert "javascript:" not in lowered
            assert "@import" not in lowered
            assert lowered.count("url(") == lowered.count("url(#"), value
        if name == "style":
            text = (element.text or "").lower()
            assert "@" not in text
            assert text.count("url(") == text.count("url(#")
    assert b"DOCTYPE" not in svg
    assert b"ENTITY" not in svg


def test_a_hostile_floor_plan_is_published_inert(tmp_path: Path) -> None:
    root = write_catalogue(tmp_path / "cat", plans=["plans/1f.svg"], photos=[])
    (root / "plans").mkdir()
    (root / "plans" / "1f.svg").write_bytes(HOSTILE_SVG)
    out = tmp_path / "out"
    publish(root, out)
    svg = assets(out, "service_hall", "hall")["floor-1.svg"]
    assert_inert(svg)
    drawn = etree.fromstring(svg)
    # what is harmless stays: the drawing, local paint references, the link's text
    assert drawn.get("viewBox") == "0 0 800 400"
    assert drawn.xpath("//s:rect[@width='30']", namespaces={"s": SVG_NS})
    assert "Exit <script>" in "".join(drawn.itertext())
    # the page draws the windows over the plan, which has the plan's proportions
    page = html.parse(str(out / "site" / "en" / "halls" / "hall.html")).getroot()
    (image,) = page.xpath("//svg[@class='map']/image")
    assert image.get("height") == "500"  # 800 x 400 at 1000 wide
    target = (out / "site" / "en" / "halls" / image.get("href")).resolve()
    assert target == (out / "site" / "assets" / "service_hall" / "hall" / "floor-1.svg").resolve()
    assert page.xpath(f"//a[@href='{image.get('href')}']")  # and a link to open it alone


@settings(max_examples=60, deadline=None)
@given(st.recursive(
    st.sampled_from(["rect", "script", "foreignObject", "image", "a", "use", "style",
                     "animate", "text", "g"]).map(lambda name: (name, [])),
    lambda children: st.tuples(st.sampled_from(["g", "a", "svg", "text", "defs", "pattern"]),
                               st.lists(children, max_size=3)),
    max_leaves=12,
), st.lists(st.tuples(
    st.sampled_from(["onload", "href", "{http://www.w3.org/1999/xlink}href", "style", "fill",
                     "class", "onmouseover", "x", "clip-path", "filter"]),
    st.sampled_from(["#a", "javascript:alert(1)", "url(#a)", "url(https://e.example/x)",
                     "fill:red", "fill:url(https://e.example/x)", "@import 'x'", "1",
                     "expression(alert(1))", "\\75rl(x)", "JaVaScRiPt:x"])), max_size=6))
def test_no_svg_made_of_hostile_parts_survives_sanitising(
        tree: tuple[str, list[object]], attributes: list[tuple[str, str]]) -> None:
    def build(node: tuple[str, list[object]], parent: etree._Element | None) -> etree._Element:
        name, children = node
        element = (etree.Element(f"{{{SVG_NS}}}{name}") if parent is None
                   else etree.SubElement(parent, f"{{{SVG_NS}}}{name}"))
        for attribute, value in attributes:
            element.set(attribute, value)
        element.text = "url(https://e.example/x) @import" if name == "style" else "t"
        for child in children:
            build(child, element)  # type: ignore[arg-type]
        return element

    root = etree.Element(f"{{{SVG_NS}}}svg")
    build(tree, root)
    result = sanitize_svg(etree.tostring(root))
    assert result is not None
    assert_inert(result[0])


def test_what_is_not_svg_is_not_published(tmp_path: Path) -> None:
    for data in (b"<html><script>alert(1)</script></html>", b"not xml at all",
                 b"<svg><rect/></svg>"):  # the last: no SVG namespace
        assert sanitize_svg(data) is None
    root = write_catalogue(tmp_path / "cat", plans=["plan.svg"], photos=["a.png"])
    (root / "plan.svg").write_bytes(b"<html><script>alert(1)</script></html>")
    (root / "a.png").write_bytes(b"<script>alert(1)</script>")  # named .png, is not
    out = tmp_path / "out"
    report = publish(root, out)
    assert assets(out, "service_hall", "hall") == {}
    assert assets(out, "service_window", "w1") == {}
    warnings = report.publishers[0].warnings
    assert any("service_hall:hall floors.0.plan: 'plan.svg' is not an SVG image" in w
               for w in warnings), warnings
    assert any("service_window:w1 staff.0.photo: 'a.png' is not a JPEG" in w
               for w in warnings), warnings


def test_staff_photos_are_named_by_their_type_and_shown_with_alt_text(tmp_path: Path) -> None:
    root = write_catalogue(tmp_path / "cat", plans=[],
                           photos=["staff/li.jpg", None, "https://cdn.example/wang.jpg"])
    (root / "staff").mkdir()
    (root / "staff" / "li.jpg").write_bytes(PNG)  # a PNG, whatever its name says
    out = tmp_path / "out"
    publish(root, out)
    assert assets(out, "service_window", "w1") == {"photo-1.png": PNG}
    page = html.parse(str(out / "site" / "en" / "windows" / "w1.html")).getroot()
    images = page.xpath("//img[@class='staff-photo']")
    assert [(i.get("src"), i.get("alt")) for i in images] == [
        ("../../assets/service_window/w1/photo-1.png", "Photo: Person 1"),
        ("https://cdn.example/wang.jpg", "Photo: Person 3"),
    ]


def test_missing_files_and_files_outside_the_catalogue_are_warnings(tmp_path: Path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><title>secret</title></svg>')
    root = write_catalogue(tmp_path / "cat", plans=["gone.svg", "link.svg"], photos=[])
    os.symlink(secret, root / "link.svg")  # inside by name, outside once followed
    out = tmp_path / "out"
    report = publish(root, out)
    assert assets(out, "service_hall", "hall") == {}
    assert b"secret" not in b"".join(p.read_bytes() for p in (out / "site").rglob("*.html"))
    warnings = report.publishers[0].warnings
    assert sum("is not readable in the catalogue folder" in w for w in warnings) == 2
    # the floors are still drawn, without a plan
    page = html.parse(str(out / "site" / "en" / "halls" / "hall.html")).getroot()
    assert len(page.xpath("//svg[@class='map']")) == 2
    assert not page.xpath("//svg[@class='map']/image")


def test_validate_warns_of_every_file_publish_leaves_out(tmp_path: Path) -> None:
    """validate names (file, record, field) each plan or photo that is missing, outside
    the folder, or not of an accepted kind, for the same reason the site and the kiosk
    give when they leave it out; usable files and URLs are not warned of."""
    secret = tmp_path / "secret.svg"
    secret.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    root = write_catalogue(
        tmp_path / "cat", plans=["gone.svg", "link.svg", "html.svg", "ok.svg",
                                 "https://cdn.example/plan.svg"],
        photos=["p.png", "fake.png", "records/halls.toml", "https://cdn.example/p.jpg"])
    os.symlink(secret, root / "link.svg")
    (root / "html.svg").write_bytes(b"<html><script>alert(1)</script></html>")
    (root / "ok.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "p.png").write_bytes(PNG)
    (root / "fake.png").write_bytes(b"GIF88a not an image")
    result = CliRunner().invoke(cli, ["validate", str(root), "--json"])
    assert result.exit_code == 0, result.output
    warned = json.loads(result.stdout)["warnings"]
    assert warned == [
        "records/halls.toml: service_hall 'hall': floors.0.plan: 'gone.svg' is not "
        "readable in the catalogue folder: the site and the kiosk leave it out",
        "records/halls.toml: service_hall 'hall': floors.1.plan: 'link.svg' is not "
        "readable in the catalogue folder: the site and the kiosk leave it out",
        "records/halls.toml: service_hall 'hall': floors.2.plan: 'html.svg' is not an "
        "SVG image: the site and the kiosk leave it out",
        "records/halls.toml: service_window 'w1': staff.1.photo: 'fake.png' is not a "
        "JPEG, PNG, GIF or WebP image: the site leaves it out",
        "records/halls.toml: service_window 'w1': staff.2.photo: 'records/halls.toml' is "
        "not readable in the catalogue folder: the site leaves it out",
    ]
    out = tmp_path / "out"
    site = publish(root, out).publishers[0].warnings
    kiosk = gd.publish(gd.load_catalog(root), to=["kiosk"], out=out, as_of=AS_OF,
                       options={"kiosk": KioskOptions(hall="hall")}).publishers[0].warnings
    for warning in warned:
        field, path_and_why = warning.split(": ", 3)[2:]
        said = path_and_why.rsplit(": ", 1)[0]
        assert any(f" {field}: {said}; not shown" in w for w in site), (warning, site)
        if field.endswith(".plan"):
            assert any(f" {field}: {said}; not shown" in w for w in kiosk), (warning, kiosk)
    assert sum("not shown" in w for w in site) == len(warned)
    # and none besides (the kiosk's other one: a plan's URL, shown online only)
    assert sum("not shown" in w for w in kiosk) == 3 + 1
    assert any("floors.4.plan: a URL is not shown offline" in w for w in kiosk)


def test_validate_reads_no_file_of_a_catalogue_built_in_memory() -> None:
    """A catalogue without a folder has no files to check: no warning for its plans."""
    catalog = gd.Catalog(records=[
        gd.Agency(id="gov", name="Government", level="province"),
        gd.ServiceHall(id="hall", agency="gov", name="Hall",
                       floors=[gd.Floor(label="1F", plan="plans/1f.svg")])],
        meta=gd.CatalogMeta(name="T", base_url="https://gk.example.gov.cn/"))
    assert warnings(catalog) == []


@pytest.mark.parametrize("value", ["../outside.svg", "/etc/passwd", "plans/../../x.svg",
                                   "javascript:alert(1)", "C:/plans/x.svg", "a\\..\\b.svg",
                                   "data:image/svg+xml,<svg/>", "plan\x00.svg"])
def test_a_path_that_could_leave_the_catalogue_is_refused_when_loading(
        tmp_path: Path, value: str) -> None:
    root = write_catalogue(tmp_path / "cat", plans=["ok.svg"], photos=[])
    halls = root / "records" / "halls.toml"
    halls.write_text(halls.read_text(encoding="utf-8").replace(
        'plan = "ok.svg"', f"plan = {gd_toml_string(value)}"), encoding="utf-8")
    with pytest.raises(gd.CatalogError) as caught:
        gd.load_catalog(root)
    (problem,) = caught.value.problems
    assert (problem.file, problem.record, problem.field) == (
        "records/halls.toml", "hall", "floors.0.plan")


def gd_toml_string(value: str) -> str:
    """A TOML basic string of ``value`` (escapes for quotes, backslashes and controls)."""
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 32 or c in '"\\' else c for c in value)
    return f'"{escaped}"'


def test_files_follow_their_record_through_incremental_runs(tmp_path: Path) -> None:
    root = write_catalogue(tmp_path / "cat", plans=["1f.svg", "2f.svg"], photos=["p.png"])
    plan = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 5"><rect id="%s"/></svg>'
    (root / "1f.svg").write_bytes(plan % b"one")
    (root / "2f.svg").write_bytes(plan % b"two")
    (root / "p.png").write_bytes(PNG)
    out = tmp_path / "out"
    publish(root, out)
    assert set(assets(out, "service_hall", "hall")) == {"floor-1.svg", "floor-2.svg"}

    # a new plan file alone (no record changed) is a change of its hall
    (root / "1f.svg").write_bytes(plan % b"uno")
    report = publish(root, out)
    assert report.publishers[0].written == 1
    assert b'id="uno"' in assets(out, "service_hall", "hall")["floor-1.svg"]

    # a floor that loses its plan loses its file
    write_catalogue(root, plans=["1f.svg", None], photos=["p.png"])
    publish(root, out)
    assert set(assets(out, "service_hall", "hall")) == {"floor-1.svg"}

    # withdrawn: the tombstone shows none of the record's content, files included
    write_catalogue(root, plans=["1f.svg"], photos=["p.png"],
                    hall='status = "withdrawn"\nwithdrawn = { on = 2002-06-01, reason = "x" }',
                    window='classification = "secret"')
    publish(root, out)
    assert assets(out, "service_hall", "hall") == {}
    assert assets(out, "service_window", "w1") == {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=st.sampled_from(["approved", "draft", "withdrawn"]),
       classification=st.sampled_from(["public", "restricted", "secret"]),
       audience=st.sampled_from(["public", "internal"]),
       embargoed=st.booleans())
def test_the_files_of_a_record_that_is_not_public_are_never_published(
        status: str, classification: str, audience: str, embargoed: bool) -> None:
    lines = [f'status = "{status}"', f'classification = "{classification}"',
             f'audience = "{audience}"']
    if status == "withdrawn":
        lines.append('withdrawn = { on = 2002-06-01, reason = "x" }')
    if embargoed:
        lines.append("publish_at = 2003-06-01T00:00:00+08:00")
    public = (status == "approved" and classification == "public" and audience == "public"
              and not embargoed)
    with tempfile.TemporaryDirectory() as folder:
        root = write_catalogue(Path(folder) / "cat", plans=["1f.svg"], photos=["p.png"],
                               hall="\n".join(lines), window="\n".join(lines))
        (root / "1f.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
        (root / "p.png").write_bytes(PNG)
        out = Path(folder) / "out"
        publish(root, out)
        published = {name for kind, ident in (("service_hall", "hall"), ("service_window", "w1"))
                     for name in assets(out, kind, ident)}
        assert published == ({"floor-1.svg", "photo-1.png"} if public else set())


def test_a_floor_without_windows_or_plan_is_still_on_the_guide_map(tmp_path: Path) -> None:
    """A visitor looks for every floor: one with no windows and no plan keeps its figure
    and caption (an outline), after the floor that has a window."""
    root = write_catalogue(tmp_path / "cat", plans=[None], photos=[],
                           hall='[[service_hall.floors]]\nlabel = "Upstairs"\n')
    # the extra floor is written before the first one's table in the file: move it last
    text = (root / "records" / "halls.toml").read_text(encoding="utf-8")
    extra = '[[service_hall.floors]]\nlabel = "Upstairs"\n'
    text = text.replace(extra, "", 1).replace("[[service_window]]", extra + "[[service_window]]")
    (root / "records" / "halls.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    publish(root, out)
    page = html.parse(str(out / "site" / "en" / "halls" / "hall.html")).getroot()
    captions = [c.text_content() for c in page.xpath("//figure[@class='guide-map']/figcaption")]
    assert captions == ["Floor 1", "Upstairs"]
    upstairs = page.xpath("//figure[@class='guide-map']")[1]
    assert upstairs.xpath(".//svg/@aria-labelledby") == ["floor-2"]
    assert upstairs.xpath(".//a") == []


def test_attachments_that_are_catalogue_files_are_copied_and_follow_their_record(
        tmp_path: Path) -> None:
    """An attachment whose url is a file of the catalogue folder is published with the
    site (its link resolves there, on any host); one missing or not matching its sha256 is
    left as it was, with a warning; a new file under the same path is a change of the
    record, and a record withdrawn takes its copies with it."""
    import hashlib

    guide = b"%PDF-1.4 guide"
    good = hashlib.sha256(guide).hexdigest()
    window = ('attachments = [{ title = "Guide", url = "docs/guide.pdf", sha256 = "'
              f'{good}" }}, {{ title = "Form", url = "docs/form.DOC", sha256 = "{"0" * 64}" '
              '}, { title = "Gone", url = "docs/missing.pdf" }]')
    root = write_catalogue(tmp_path / "cat", plans=[], photos=[], window=window)
    (root / "docs").mkdir()
    (root / "docs" / "guide.pdf").write_bytes(guide)
    (root / "docs" / "form.DOC").write_bytes(b"not the declared bytes")
    out = tmp_path / "out"
    warnings = publish(root, out).publishers[0].warnings
    assert assets(out, "service_window", "w1") == {"attachment-1.pdf": guide}
    assert sorted(w.split(": ", 2)[2] for w in warnings) == [
        "'docs/form.DOC' does not match its sha256; not copied",
        "'docs/missing.pdf' is missing, unreadable, over 10 MB or a catalogue source file; "
        "not copied"]
    page = out / "site" / "en" / "windows" / "w1.html"
    links = {a.text_content(): a.get("href")
             for a in html.parse(str(page)).getroot().xpath("//ul[@class='attachments']//a")}
    assert links["Guide"] == "../../assets/service_window/w1/attachment-1.pdf"
    assert (page.parent / links["Guide"]).resolve().read_bytes() == guide
    assert links["Gone"] == "https://gk.example.gov.cn/docs/missing.pdf"  # as it was

    (root / "docs" / "guide.pdf").write_bytes(b"%PDF-1.4 guide, second edition")
    text = (root / "records" / "halls.toml").read_text(encoding="utf-8")
    (root / "records" / "halls.toml").write_text(text.replace(f', sha256 = "{good}"', ""),
                                                 encoding="utf-8")
    report = publish(root, out).publishers[0]
    assert report.written == 1
    assert assets(out, "service_window", "w1")["attachment-1.pdf"].endswith(b"second edition")

    (root / "records" / "halls.toml").write_text(text.replace(
        'name = "Window one"', 'name = "Window one"\nstatus = "withdrawn"\n'
        'withdrawn = { on = 2002-06-01, reason = "closed" }'), encoding="utf-8")
    publish(root, out)
    assert assets(out, "service_window", "w1") == {}


def test_the_catalogues_own_sources_are_never_published_as_attachments(
        tmp_path: Path) -> None:
    """An attachment naming a record file (secret records may be in it), the catalogue's
    configuration or a hidden file is not copied, whatever the record says; a document
    beside its record in records/ is."""
    sources = ["records/halls.toml", "catalog.toml", "govdisclosure.toml", ".git/config"]
    window = "attachments = [" + ", ".join(
        f'{{ title = "f{n}", url = "{path}" }}' for n, path in enumerate(
            [*sources, "records/2002/guide.pdf"])) + "]"
    root = write_catalogue(tmp_path / "cat", plans=[], photos=[], window=window)
    (root / "records" / "2002").mkdir()
    (root / "records" / "2002" / "guide.pdf").write_bytes(b"%PDF-1.4 beside its record")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote]", encoding="utf-8")
    (root / "govdisclosure.toml").write_text("[publish]\n", encoding="utf-8")
    out = tmp_path / "out"
    report = publish(root, out).publishers[0]
    assert assets(out, "service_window", "w1") == {"attachment-5.pdf":
                                                   b"%PDF-1.4 beside its record"}
    assert len(report.warnings) == len(sources)


def test_a_source_read_through_a_link_is_never_an_attachment(tmp_path: Path) -> None:
    """A folder linked below records/ (``records/shared -> ../shared``) and a linked
    record file are read by the loader as sources: an attachment naming them by their
    own path (``shared/secret.toml``), secret records and all, is not copied; a PDF in
    the linked folder is."""
    window = "attachments = [" + ", ".join(
        f'{{ title = "f{n}", url = "{path}" }}' for n, path in enumerate(
            ["shared/secret.toml", "elsewhere/one.toml", "shared/guide.pdf"])) + "]"
    root = write_catalogue(tmp_path / "cat", plans=[], photos=[], window=window)
    classified = ('type = "disclosure"\nid = "{id}"\nagency = "gov"\ncategory = "other"\n'
              'title = "SECRETMARKER"\nclassification = "secret"\n')
    (root / "shared").mkdir()
    (root / "shared" / "secret.toml").write_text(classified.format(id="s1"), encoding="utf-8")
    (root / "shared" / "guide.pdf").write_bytes(b"%PDF-1.4 shared")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "one.toml").write_text(classified.format(id="s2"), encoding="utf-8")
    (root / "records" / "shared").symlink_to("../shared", target_is_directory=True)
    (root / "records" / "one.toml").symlink_to("../elsewhere/one.toml")
    out = tmp_path / "out"
    catalog = gd.load_catalog(root)
    assert {("disclosure", "s1"), ("disclosure", "s2")} <= {(r.TYPE, r.id) for r in catalog}
    publish(root, out)
    assert assets(out, "service_window", "w1") == {"attachment-3.pdf": b"%PDF-1.4 shared"}
    assert not any(b"SECRETMARKER" in path.read_bytes()
                   for path in (out / "site").rglob("*") if path.is_file())


def test_an_attachment_with_a_declared_sha256_is_not_read_to_tell_a_change() -> None:
    """``Record.files`` (read and hashed on every run) lists attachment files only where no
    ``sha256`` is declared: a declared digest stands for the content of a big document."""
    record = gd.Disclosure(id="d", agency="gov", title="t", attachments=[
        gd.Attachment(title="a", url="docs/a.pdf", sha256="0" * 64),
        gd.Attachment(title="b", url="./docs/b.pdf"),
        gd.Attachment(title="c", url="https://example.org/c.pdf"),
        gd.Attachment(title="d", url="mailto:office@example.org")])
    assert record.files == ("docs/b.pdf",)


def test_guide_map_coordinates_beyond_100_are_read_as_pixels(tmp_path: Path) -> None:
    """MODEL.md gives ``x``/``y`` no unit: percentages stay percentages; a floor placed in
    pixels (beyond 100) is scaled into the map, not piled up at its right edge."""
    from govdisclosure.model import FloorWindow
    from govdisclosure.publishers.site import _spans

    def at(*points: tuple[float, float]) -> list[FloorWindow]:
        return [FloorWindow(window="w", x=x, y=y) for x, y in points]

    assert _spans(at((50, 50), (100, 0)), None) == (100.0, 100.0)
    assert _spans(at((40, 60), (810, 340)), (1000.0, 400.0)) == (1000.0, 400.0)  # the plan's
    assert _spans(at((40, 60), (810, 340)), None) == pytest.approx((891.0, 374.0))
    assert _spans([], None) == (100.0, 100.0)
    root = write_catalogue(tmp_path / "cat", plans=[None], photos=[])
    halls = root / "records" / "halls.toml"
    halls.write_text(halls.read_text(encoding="utf-8").replace("x = 50", "x = 400")
                     .replace("y = 50", "y = 300"), encoding="utf-8")
    publish(root, tmp_path / "out")
    page = html.parse(str(tmp_path / "out" / "site" / "en" / "halls" / "hall.html")).getroot()
    (rect,) = page.xpath("//figure[@class='guide-map']//rect[@class='map-window']")
    assert float(rect.get("x")) + 80 == pytest.approx(1000 / 1.1, abs=0.1)  # not clamped
