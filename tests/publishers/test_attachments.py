"""Attachments that are catalogue files, across publishers: every output links the site's
copy exactly when the site makes one (``pages.attachment_files`` decides for all), and
otherwise the URL resolved against ``base_url``, as the site links it."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.etree
import lxml.html
import pytest

import govdisclosure as gd
from govdisclosure.catalog import catalog as catalog_module
from govdisclosure.catalog.catalog import file_digest
from govdisclosure.publishers.ocds import package_path
from govdisclosure.testing import AS_OF, EARLIER, META

BASE = META.base_url
GOOD = b"%PDF-1.4 the annual report"
ATOM = "{http://www.w3.org/2005/Atom}"
#: title -> url: what the site copies, and every way it does not.
ATTACHMENTS = {
    "Good": "docs/good.pdf",  # declares its sha256 and a wrong size
    "Missing": "docs/missing.pdf",
    "Mismatch": "docs/other.pdf",  # declares the sha256 of another file
    "Configuration": "catalog.toml",
    "Record file": "records/records.toml",
    "Hidden": ".env",
    "Twice, wrong": "docs/twice.pdf",  # declares a sha256 the file does not have ...
    "Twice": "docs/twice.pdf",  # ... so this one, which declares none, is not copied either
    "Web": "https://cdn.example.gov.cn/web.pdf",
}
COPIED = {"Good"}
PUBLISHERS = ["site", "feeds", "news", "webhook", "ocds"]


def attachments() -> list[gd.Attachment]:
    """:data:`ATTACHMENTS` as the records list them."""
    declared = {"Good": hashlib.sha256(GOOD).hexdigest(),
                "Mismatch": hashlib.sha256(GOOD).hexdigest(), "Twice, wrong": "0" * 64}
    return [gd.Attachment(title=title, url=url, media_type="application/pdf",
                          sha256=declared.get(title), bytes=1 if title == "Good" else None)
            for title, url in ATTACHMENTS.items()]


def write_catalogue(root: Path) -> gd.Catalog:
    """A catalogue folder holding the files :data:`ATTACHMENTS` name (all but the missing
    one), and a disclosure, a news release and an allocation that attach them."""
    (root / "docs").mkdir(parents=True)
    (root / "records").mkdir()
    (root / "docs" / "good.pdf").write_bytes(GOOD)
    (root / "docs" / "other.pdf").write_bytes(b"%PDF-1.4 not what was declared")
    (root / "docs" / "twice.pdf").write_bytes(b"%PDF-1.4 twice")
    (root / "catalog.toml").write_text('[catalog]\nname = "secret"\n', encoding="utf-8")
    (root / "records" / "records.toml").write_text("# secret records\n", encoding="utf-8")
    (root / ".env").write_text("TOKEN=secret\n", encoding="utf-8")
    files = attachments()
    records = [
        gd.Agency(id="gov", name="Government", level="province"),
        gd.Disclosure(id="d1", agency="gov", category="other", title="Report",
                      issued_at=EARLIER, attachments=files),
        gd.NewsRelease(id="n1", agency="gov", headline="Release", issued_at=EARLIER,
                       attachments=files),
        gd.Allocation(id="a1", agency="gov", title="Land", kind="land", status="open",
                      issued_at=EARLIER,
                      before=gd.Stage(published_at=EARLIER, attachments=files)),
    ]
    return gd.Catalog(records, META, root=root)


def expected(kind: str, ident: str) -> dict[str, str]:
    """title -> the URL every publisher links: the site's copy, or the resolved URL."""
    return {title: f"{BASE}assets/{kind}/{ident}/attachment-1.pdf" if title in COPIED
            else urljoin(BASE, url) for title, url in ATTACHMENTS.items()}


def site_links(out: Path, page: str) -> dict[str, str]:
    """title -> absolute URL of the attachments a site page lists (copies are linked
    relative to the page)."""
    tree = lxml.html.parse(str(out / "site" / "en" / page)).getroot()
    return {a.text_content(): urljoin(f"{BASE}en/{page}", a.get("href"))
            for a in tree.xpath("//ul[@class='attachments']//a")}


def atom_links(out: Path, ident: str) -> dict[str, tuple[str, str]]:
    """title -> (href, length) of an Atom entry's enclosures."""
    feed = lxml.etree.parse(str(out / "feeds" / "en" / "all.atom"))
    (entry,) = [e for e in feed.iterfind(f"{ATOM}entry")
                if e.findtext(f"{ATOM}id", "").endswith(f"/{ident}")]
    return {link.get("title"): (link.get("href"), link.get("length"))
            for link in entry.iterfind(f"{ATOM}link[@rel='enclosure']")}


def json_feed_links(out: Path, ident: str) -> dict[str, tuple[str, Any]]:
    """title -> (url, size_in_bytes) of a JSON Feed item's attachments."""
    document = json.loads((out / "feeds" / "en" / "all.json").read_bytes())
    (item,) = [i for i in document["items"] if i["id"].endswith(f"/{ident}")]
    return {a["title"]: (a["url"], a.get("size_in_bytes")) for a in item["attachments"]}


def news_links(out: Path) -> tuple[dict[str, tuple[str, Any]], dict[str, str], dict[str, str]]:
    """title -> link of the release's attachments: in ninjs (with sizeInBytes), on its
    HTML page and in its plain text."""
    folder = out / "news" / "en" / "releases"
    item = json.loads((folder / "n1.json").read_bytes())
    ninjs = {r["title"]: (r["href"], r.get("sizeInBytes")) for a in item["associations"]
             if a["rel"] == "attachment" for r in a["renditions"]}
    page = lxml.html.parse(str(folder / "n1.html")).getroot()
    html = {a.text: a.get("href")
            for a in page.xpath('//section[@aria-labelledby="attachments"]//a')}
    text = (folder / "n1.txt").read_text(encoding="utf-8").split("Attachments:\n")[1]
    lines = dict(row.split(": ", 1) for row in text.split("\n\n")[0].splitlines())
    return ninjs, html, lines


def webhook_links(out: Path, kind: str, ident: str, *fields: str) -> dict[str, str]:
    """title -> url of the attachments in a webhook document (below ``fields``)."""
    record = json.loads((out / "webhook" / "records" / kind / f"{ident}.json").read_bytes())
    found = record["record"]
    for name in fields:
        found = found[name]
    return {a["title"]: a["url"] for a in found["attachments"]}


def ocds_links(out: Path) -> dict[str, str]:
    """title -> url of the documents of the allocation's planning release."""
    package = json.loads((out / "ocds" / package_path("a1")).read_bytes())
    (before,) = [r for r in package["releases"] if r["id"].endswith("-before")]
    return {d["title"]: d["url"] for d in before["planning"]["documents"]}


def test_every_publisher_links_the_site_s_copy_exactly_when_the_site_makes_it(
        tmp_path: Path) -> None:
    """A missing file, one that does not match its sha256, the catalogue's own sources (its
    configuration, a record file, a hidden file) and a file one of whose attachments
    declares a wrong sha256 are not copied: the site, the feeds, the news, the webhook and
    OCDS all link them at their URL resolved against base_url (the site's warning says
    why). The good file is copied, and every one of them links the copy, which exists; the
    feeds and ninjs give its size, not the size the record declares."""
    catalogue = write_catalogue(tmp_path / "cat")
    out = tmp_path / "out"
    report = gd.publish(catalogue, to=PUBLISHERS, out=out, as_of=AS_OF)
    assert report.failed == 0
    size = str(len(GOOD))

    found: dict[str, dict[str, str]] = {
        "site d1": site_links(out, "disclosures/d1.html"),
        "site n1": site_links(out, "news/n1.html"),
        "site a1": site_links(out, "allocations/a1.html"),
        "webhook d1": webhook_links(out, "disclosure", "d1"),
        "webhook n1": webhook_links(out, "news_release", "n1"),
        "webhook a1": webhook_links(out, "allocation", "a1", "before"),
        "ocds a1": ocds_links(out),
    }
    for ident in ("d1", "n1"):
        atom, feed = atom_links(out, ident), json_feed_links(out, ident)
        found[f"atom {ident}"] = {title: href for title, (href, _) in atom.items()}
        found[f"json feed {ident}"] = {title: url for title, (url, _) in feed.items()}
        assert atom["Good"][1] == size
        assert feed["Good"][1] == len(GOOD)
        assert {atom[t][1] for t in atom if t != "Good"} == {None}  # no size declared: none
    # the site too shows the copy's size, not the wrong one the record declares
    page = lxml.html.parse(str(out / "site" / "en" / "disclosures" / "d1.html")).getroot()
    (good,) = page.xpath("//ul[@class='attachments']/li[a[normalize-space()='Good']]")
    assert f"{len(GOOD)} B" in good.text_content()
    ninjs, html, text = news_links(out)
    found |= {"ninjs n1": {title: href for title, (href, _) in ninjs.items()},
              "news page n1": html, "news text n1": text}
    assert ninjs["Good"][1] == len(GOOD)

    records = {"d1": "disclosure", "n1": "news_release", "a1": "allocation"}
    for name, links in found.items():
        ident = name.rpartition(" ")[2]
        assert links == expected(records[ident], ident), name
        for url in links.values():
            if url.startswith(f"{BASE}assets/"):
                assert (out / "site" / url.removeprefix(BASE)).read_bytes() == GOOD, url
    for kind, ident in (("disclosure", "d1"), ("news_release", "n1"), ("allocation", "a1")):
        assert [p.name for p in (out / "site" / "assets" / kind / ident).iterdir()] == [
            "attachment-1.pdf"]
    (site,) = [p for p in report.publishers if p.name == "site"]
    refused = {w.split(": ", 2)[2] for w in site.warnings}
    assert refused == {
        f"{ATTACHMENTS[title]!r} {why}; not copied" for title, why in (
            ("Missing", "is missing, unreadable, over 10 MB or a catalogue source file"),
            ("Configuration", "is missing, unreadable, over 10 MB or a catalogue source file"),
            ("Record file", "is missing, unreadable, over 10 MB or a catalogue source file"),
            ("Hidden", "is missing, unreadable, over 10 MB or a catalogue source file"),
            ("Mismatch", "does not match its sha256"),
            ("Twice", "does not match its sha256"))}
    assert all(not p.warnings for p in report.publishers if p.name in ("feeds", "news"))


def test_a_file_s_digest_is_read_again_when_the_file_changes(tmp_path: Path) -> None:
    """``file_digest`` remembers a file's digest while its status stays the same; a file
    replaced by another (same size, same modification time) is read again."""
    (tmp_path / "a.pdf").write_bytes(b"first")
    assert file_digest(tmp_path, "a.pdf") == (5, hashlib.sha256(b"first").hexdigest())
    status = (tmp_path / "a.pdf").stat()
    (tmp_path / "new.pdf").write_bytes(b"again")
    os.utime(tmp_path / "new.pdf", ns=(status.st_atime_ns, status.st_mtime_ns))
    os.replace(tmp_path / "new.pdf", tmp_path / "a.pdf")
    assert file_digest(tmp_path, "a.pdf") == (5, hashlib.sha256(b"again").hexdigest())
    assert file_digest(tmp_path, "missing.pdf") is None
    assert file_digest(tmp_path, "../a.pdf") is None
    assert file_digest(None, "a.pdf") is None


def test_a_recently_changed_file_s_digest_is_not_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file changed within the last 2 s may be rewritten again within its time stamps'
    granularity (a second on some file systems) with the same status: its digest is read
    each time; an older file's digest is remembered."""
    (tmp_path / "a.pdf").write_bytes(b"first")
    _digest = catalog_module._digest
    before = _digest.cache_info().currsize
    assert file_digest(tmp_path, "a.pdf") == (5, hashlib.sha256(b"first").hexdigest())
    assert _digest.cache_info().currsize == before
    now = time.time_ns()
    monkeypatch.setattr(catalog_module.time, "time_ns", lambda: now + 3_000_000_000)
    assert file_digest(tmp_path, "a.pdf") == (5, hashlib.sha256(b"first").hexdigest())
    assert _digest.cache_info().currsize == before + 1
