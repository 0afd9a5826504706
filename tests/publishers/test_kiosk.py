"""The kiosk publisher: BagIt bags checked by the bagit package, kiosk.json, the flat
datasets, QR codes, determinism over runs and incremental removal."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import attrs
import bagit
import pytest

import govdisclosure as gd
from govdisclosure.publishers.kiosk import KioskOptions
from govdisclosure.testing import snapshot
from strategies import AS_OF, META

ROOT = Path(__file__).resolve().parents[2]


def records() -> list[gd.Record]:
    """One hall with two windows on one floor, two items, a hotline and an announcement."""
    return [
        gd.Agency(id="city", name={"zh-CN": "市政府", "en": "City"}, level="city"),
        gd.ServiceHall(id="hall", agency="city", name={"zh-CN": "政务大厅", "en": "Hall"},
                       floors=[gd.Floor(label="一楼", windows=[
                           gd.FloorWindow(window="w1", x=20, y=40),
                           gd.FloorWindow(window="w2", x=60, y=40)])]),
        gd.ServiceWindow(id="w1", agency="city", hall="hall", number="1", name="建设窗口",
                         services=["permit"], staff=[gd.Staff(name="刘振国", badge="CC-1")],
                         commitments=[gd.Commitment(text="7日内办结", target_days=7)]),
        gd.ServiceWindow(id="w2", agency="city", hall="hall", number="2", name="卫生窗口",
                         services=["health"]),
        gd.ApprovalItem(id="permit", agency="city", title={"zh-CN": "施工许可", "en": "Permit"},
                        conditions=["有用地手续"], materials=["申请表"],
                        procedure=[gd.ProcedureStep(title="受理", days=1)],
                        time_limit=gd.TimeLimit(statutory=20, promised=7), fees=[],
                        complaint=[gd.ContactPoint(unit="投诉中心", phone="0431-88918000")]),
        gd.ApprovalItem(id="health", agency="city", title="卫生许可", channels=["kiosk"],
                        fees=[gd.Fee(name="工本费", amount=gd.Money(amount="10.00"))]),
        gd.Hotline(id="hl", agency="city", title="市长公开电话", number="12345"),
        gd.Disclosure(id="notice", agency="city", category="announcement", title="停电通知",
                      issued_at=AS_OF - dt.timedelta(days=3)),
    ]


def publish(out: Path, recs: list[gd.Record] | None = None, *, as_of: dt.datetime = AS_OF,
            full: bool = False, **options: Any) -> gd.PublishReport:
    """Publish with the kiosk publisher only."""
    catalog = gd.Catalog(recs if recs is not None else records(), META, check=False)
    return gd.publish(catalog, to=["kiosk"], out=out, as_of=as_of, full=full,
                      options={"kiosk": KioskOptions(**options)})


def bag_dir(out: Path, bag: str = "hall") -> Path:
    """The folder of one bag."""
    return out / "kiosk" / "bags" / bag


def zip_file(out: Path, bag: str = "hall") -> Path:
    """The zip of one bag."""
    return out / "kiosk" / "zips" / f"{bag}.zip"


def rows(out: Path, bag: str, name: str, lang: str = "zh-CN") -> list[dict[str, Any]]:
    """The rows of one dataset of one bag."""
    path = bag_dir(out, bag) / "data" / "datasets" / f"{name}.{lang}.json"
    result: list[dict[str, Any]] = json.loads(path.read_bytes())["rows"]
    return result


@pytest.mark.parametrize("change", ["secret", "withdrawn", "gone"])
def test_a_bag_stays_valid_bagit_when_an_item_leaves_it(tmp_path: Path, change: str) -> None:
    """An item made secret, withdrawn or deleted between two runs: the incremental run
    leaves a bag that bagit validates (no file its manifests leave out, such as the item's
    QR codes), the item's files are gone, and the bag is the one a full run writes."""
    publish(tmp_path)
    assert (bag_dir(tmp_path) / "data" / "assets" / "qr" / "permit.en.svg").is_file()
    changed = {"secret": lambda r: [attrs.evolve(r, classification="secret")],
               "withdrawn": lambda r: [attrs.evolve(r, status="withdrawn", withdrawn=gd.Withdrawal(
                   on=AS_OF.date(), reason="x"))],
               "gone": lambda r: []}[change]
    recs = [part for r in records()
            for part in (changed(r) if r.id == "permit" else [r])]
    publish(tmp_path, recs, as_of=AS_OF + dt.timedelta(hours=1))
    bagit.Bag(str(bag_dir(tmp_path))).validate()
    assert not list((bag_dir(tmp_path) / "data" / "assets" / "qr").glob("permit.*"))
    incremental = snapshot(tmp_path / "kiosk")
    publish(tmp_path, recs, as_of=AS_OF + dt.timedelta(hours=1), full=True)
    assert snapshot(tmp_path / "kiosk") == incremental


def test_example_bags_are_valid_bagit(tmp_path: Path) -> None:
    """Every hall of the example gets a bag that the bagit package validates (sha256)."""
    gd.publish(gd.load_catalog(ROOT / "examples" / "jilin-2002"), to=["kiosk"], out=tmp_path,
               as_of=AS_OF)
    index = json.loads((tmp_path / "kiosk" / "index.json").read_bytes())
    names = [b["name"] for b in index["bundles"]]
    assert names == ["changchun-government-affairs-hall", "police-service-hall"]
    for name in names:
        bag = bagit.Bag(str(bag_dir(tmp_path, name)))
        bag.validate()
        assert bag.algorithms == ["sha256"]
    data = bag_dir(tmp_path, "changchun-government-affairs-hall") / "data"
    assert (data / "assets" / "plan-1.svg").is_file()


def test_every_row_of_the_example_has_an_id_unique_in_its_dataset(tmp_path: Path) -> None:
    """In every dataset file of every bag of the example, each row has an id of its own (an
    item with two complaint contacts gave both one)."""
    gd.publish(gd.load_catalog(ROOT / "examples" / "jilin-2002"), to=["kiosk"], out=tmp_path,
               as_of=AS_OF)
    files = sorted((tmp_path / "kiosk" / "bags").glob("*/data/datasets/*.json"))
    assert len(files) == 2 * 7 * 2  # bags x datasets x languages
    for path in files:
        ids = [row.get("id") for row in json.loads(path.read_bytes())["rows"]]
        assert all(isinstance(ident, str) and ident for ident in ids), path
        assert len(set(ids)) == len(ids), (path, sorted(i for i in ids if ids.count(i) > 1))


def test_ids_stay_unique_where_records_share_one(tmp_path: Path) -> None:
    """A disclosure and a news release of the same id, and a window drawn twice on a floor,
    get rows of distinct ids; an item's complaint contacts are numbered."""
    recs = records()
    recs[1] = attrs.evolve(recs[1], floors=[gd.Floor(label="一楼", windows=[
        gd.FloorWindow(window="w1", x=20, y=40), gd.FloorWindow(window="w1", x=60, y=40)])])
    recs[4] = attrs.evolve(recs[4], complaint=[
        gd.ContactPoint(unit="投诉中心", phone="0431-88918000"),
        gd.ContactPoint(unit="监察局", phone="0431-88912345")])
    recs.append(gd.NewsRelease(id="notice", agency="city", headline="通稿",
                               issued_at=AS_OF - dt.timedelta(days=1)))
    publish(tmp_path, recs)
    for name in ("announcements", "hotlines", "spots"):
        ids = [row["id"] for row in rows(tmp_path, "hall", name)]
        assert len(set(ids)) == len(ids) == len(rows(tmp_path, "hall", name)), (name, ids)
    complaints = [r["id"] for r in rows(tmp_path, "hall", "hotlines") if r["kind"] == "complaint"]
    assert complaints == ["approval_item:permit.complaint.1", "approval_item:permit.complaint.2"]


def test_kiosk_json_describes_the_bundle(tmp_path: Path) -> None:
    """kiosk.json: schema, version, generated_at (the newest date of the bag's records: the
    announcement's), languages, timeout, update checks, screens."""
    publish(tmp_path, idle_timeout_s=45, update_check_s=60)
    data = bag_dir(tmp_path) / "data"
    config = json.loads((data / "kiosk.json").read_bytes())
    assert config["schema"] == "govdisclosure-kiosk/1"
    assert config["generated_at"] == (AS_OF - dt.timedelta(days=3)).isoformat()
    assert config["languages"] == ["zh-CN", "en"]
    assert config["idle_timeout_s"] == 45
    assert 0 < config["idle_warning_s"] < 45
    assert config["update_check_s"] == 60
    assert [s["id"] for s in config["screens"]] == [
        "items", "map", "windows", "hotlines", "announcements"]
    assert (data / config["entrypoint"]).is_file()
    assert all((data / path).is_file() for path in config["files"])
    assert config["version"] in (data / "sw.js").read_text()
    info = (bag_dir(tmp_path) / "bag-info.txt").read_text()
    assert "Bagging-Date: 2002-12-28" in info
    assert dt.date.today().isoformat() not in info  # noqa: DTZ011 - the point of the test


def test_item_rows_tell_how_to_get_it_done(tmp_path: Path) -> None:
    """An item's row: conditions, materials, steps, time limit, fees, window and QR code."""
    publish(tmp_path)
    permit = next(r for r in rows(tmp_path, "hall", "items") if r["id"] == "permit")
    assert permit["conditions"] == "有用地手续"
    assert permit["materials"] == "申请表"
    assert permit["steps"] == "受理（1个工作日）"  # numbered by the screen's <ol>
    assert permit["time_limit"] == "法定20个工作日；承诺7个工作日"
    assert permit["fees"] == "不收费"
    assert permit["free"] is True
    assert permit["windows"] == "w1"
    assert permit["where"].startswith("窗口 1 · 建设窗口")
    assert permit["page_url"] == "https://gk.example.gov.cn/zh-CN/items/permit.html"
    qr = bag_dir(tmp_path) / "data" / permit["qr"]
    assert qr.read_bytes().startswith(b"<svg")
    english = next(r for r in rows(tmp_path, "hall", "items", "en") if r["id"] == "permit")
    assert english["title"] == "Permit"
    assert english["page_url"].endswith("/en/items/permit.html")
    health = next(r for r in rows(tmp_path, "hall", "items") if r["id"] == "health")
    assert health["qr"] is None
    assert health["page_url"] is None
    assert health["fees"] == "工本费 · 10.00元"


def test_map_windows_and_hotlines(tmp_path: Path) -> None:
    """The guide map's spots, windows with staff and commitments, hotlines and complaints."""
    publish(tmp_path)
    spots = rows(tmp_path, "hall", "spots")
    assert [(s["window"], s["x"]) for s in spots] == [("w1", 200.0), ("w2", 600.0)]
    w1 = rows(tmp_path, "hall", "windows")[0]
    assert w1["staff"] == "刘振国 · CC-1"
    assert w1["commitments"] == "7日内办结 (7天)"
    lines = rows(tmp_path, "hall", "hotlines")
    assert [(r["kind"], r["number"]) for r in lines] == [("hotline", "12345"),
                                                         ("complaint", "0431-88918000")]


def test_withdrawn_item_is_a_tombstone_row(tmp_path: Path) -> None:
    """A withdrawn item stays as a row saying so, with its date and reason."""
    recs = records()
    recs[4] = attrs.evolve(recs[4], status="withdrawn", withdrawn=gd.Withdrawal(
        on=dt.date(2002, 12, 1), reason="合并办理"))
    publish(tmp_path, recs)
    stone = next(r for r in rows(tmp_path, "hall", "items") if r["id"] == "permit")
    assert stone["withdrawn"] is True
    assert stone["withdrawn_reason"] == "合并办理"
    assert stone["conditions"] is None


def test_unchanged_rerun_keeps_generated_at_and_a_change_moves_it(tmp_path: Path) -> None:
    """A later run of the same catalogue writes nothing; a change makes a new version, and
    generated_at follows the newest date the records carry, not the runs."""
    publish(tmp_path)
    config = bag_dir(tmp_path) / "data" / "kiosk.json"
    first = json.loads(config.read_bytes())
    later = AS_OF + dt.timedelta(days=2)
    assert publish(tmp_path, as_of=later).publishers[0].files_written == 0
    recs = records()
    recs[7] = attrs.evolve(recs[7], title="新通知")
    publish(tmp_path, recs, as_of=later)
    second = json.loads(config.read_bytes())
    assert second["version"] != first["version"]
    assert second["generated_at"] == first["generated_at"]  # an undated edit
    updated = AS_OF + dt.timedelta(days=1)
    recs[7] = attrs.evolve(recs[7], title="新通知（更正）", updated_at=updated)
    publish(tmp_path, recs, as_of=later)
    assert json.loads(config.read_bytes())["generated_at"] == updated.isoformat()
    bagit.Bag(str(bag_dir(tmp_path))).validate()


def test_the_bag_depends_on_the_catalogue_and_as_of_not_on_earlier_runs(
        tmp_path: Path) -> None:
    """ADAPTERS.md: the same catalogue and as_of give byte-identical output. A bag published
    at noon and again (--full) in the evening is the bag published fresh in the evening."""
    later = AS_OF + dt.timedelta(hours=6)
    publish(tmp_path / "twice")
    publish(tmp_path / "twice", as_of=later, full=True)
    publish(tmp_path / "fresh", as_of=later)
    assert snapshot(tmp_path / "twice") == snapshot(tmp_path / "fresh")


def test_a_hall_gone_takes_its_bag_and_files_along(tmp_path: Path) -> None:
    """Without halls the kiosk has one general bag; the hall's bag and stale QR codes go."""
    publish(tmp_path)
    qr = bag_dir(tmp_path) / "data" / "assets" / "qr" / "permit.en.svg"
    assert qr.is_file()
    publish(tmp_path, [r for r in records() if r.TYPE not in ("service_hall", "approval_item")])
    assert not bag_dir(tmp_path).exists()
    general = bag_dir(tmp_path, "general")
    bagit.Bag(str(general)).validate()
    screens = json.loads((general / "data" / "kiosk.json").read_bytes())["screens"]
    assert "map" not in [s["id"] for s in screens]


def test_a_tile_whose_dataset_is_empty_is_not_shown(tmp_path: Path) -> None:
    """The home screen's tiles (kiosk.json's screens) are those whose dataset has rows, in
    every bag: the general bag has no windows tile nor a map; a hall whose items have no
    complaint contact, with no hotline and no announcement, has no hotlines tile nor an
    announcements one; a withdrawn window (a tombstone row) keeps the windows tile."""
    recs = [r for r in records() if r.TYPE not in ("hotline", "disclosure")]
    recs[4] = attrs.evolve(recs[4], complaint=[])
    recs[2] = attrs.evolve(recs[2], status="withdrawn", withdrawn=gd.Withdrawal(
        on=dt.date(2002, 12, 1), reason="合并办理"))
    recs[3] = attrs.evolve(recs[3], status="withdrawn", withdrawn=gd.Withdrawal(
        on=dt.date(2002, 12, 1), reason="合并办理"))
    publish(tmp_path / "hall", recs)
    publish(tmp_path / "general", [r for r in records()
                                   if r.TYPE not in ("service_hall", "service_window")])
    datasets = {"items": "items", "map": "floors", "windows": "windows",
                "hotlines": "hotlines", "announcements": "announcements"}
    shown = {}
    for out, bag in ((tmp_path / "hall", "hall"), (tmp_path / "general", "general")):
        config = json.loads((bag_dir(out, bag) / "data" / "kiosk.json").read_bytes())
        shown[bag] = [s["id"] for s in config["screens"]]
        for lang in config["languages"]:
            assert shown[bag] == [screen for screen, name in datasets.items()
                                  if rows(out, bag, name, lang)], (bag, lang)
    assert shown == {"hall": ["map", "windows"],
                     "general": ["items", "hotlines", "announcements"]}


def test_hall_option_picks_one_bag_and_names_a_missing_one(tmp_path: Path) -> None:
    """``hall`` makes one bag; a hall that is not public is a configuration error."""
    recs = [*records(), gd.ServiceHall(id="other", agency="city", name="另一个大厅")]
    publish(tmp_path / "a", recs, hall="other")
    assert sorted(p.name for p in (tmp_path / "a" / "kiosk").iterdir()) == ["bags",
                                                                            "index.json"]
    assert [p.name for p in (tmp_path / "a" / "kiosk" / "bags").iterdir()] == ["other"]
    with pytest.raises(gd.ConfigError, match=r"\[publish.kiosk\] hall: no public "
                       "service_hall 'nowhere' in this catalogue"):
        publish(tmp_path / "b", recs, hall="nowhere")


SECOND_HALL = gd.ServiceHall(id="other", agency="city", name="另一个大厅")


@pytest.mark.parametrize("change", [
    {"publish_at": AS_OF + dt.timedelta(seconds=1)}, {"channels": ["site"]},
    {"classification": "restricted"}, {"audience": "internal"},
    {"status": "withdrawn", "withdrawn": gd.Withdrawal(on=AS_OF.date(), reason="closed")},
], ids=["embargoed", "other-channel", "restricted", "internal", "withdrawn"])
def test_a_hall_the_kiosk_would_not_receive_refuses_the_whole_run(
        tmp_path: Path, change: dict[str, Any]) -> None:
    """The ``hall`` is checked against what selection hands the kiosk at ``as_of``, before
    any publisher runs: the site listed first writes nothing either."""
    recs = [*records(), attrs.evolve(SECOND_HALL, **change)]
    with pytest.raises(gd.ConfigError, match="no public service_hall 'other'"):
        gd.publish(gd.Catalog(recs, META, check=False), to=["site", "kiosk"], out=tmp_path,
                   as_of=AS_OF, options={"kiosk": {"hall": "other"}})
    assert list(tmp_path.iterdir()) == []


def test_zip_is_deterministic(tmp_path: Path) -> None:
    """The zip option writes the same bytes for the same catalogue and as_of."""
    publish(tmp_path / "a", zip=True)
    publish(tmp_path / "b", zip=True)
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert first == second
    assert "kiosk/zips/hall.zip" in first


def test_a_date_after_as_of_stamps_the_bag_with_as_of(tmp_path: Path) -> None:
    """A record dated after the run (mistyped, or planned: nothing drops it) does not date
    the bag in the future, nor break the zip, which stores years up to 2107 only."""
    recs = records()
    recs[1] = attrs.evolve(recs[1], updated_at=dt.datetime(2150, 1, 1, tzinfo=AS_OF.tzinfo))
    report = publish(tmp_path, recs, zip=True)
    assert report.failed == 0
    config = json.loads((bag_dir(tmp_path) / "data" / "kiosk.json").read_bytes())
    assert config["generated_at"] == AS_OF.isoformat()
    bagit.Bag(str(bag_dir(tmp_path))).validate()
    assert zipfile.ZipFile(zip_file(tmp_path)).testzip() is None


@pytest.mark.parametrize("value", [-1, 1.5, True, "300", 86_401, 2**31])
def test_update_check_s_is_a_whole_number_of_seconds(value: object) -> None:
    """update_check_s takes 0 (no checks of the kiosk's own) to a day of whole seconds
    (a browser runs a longer timer at once, over and over): another value is an
    InvalidValue naming the option."""
    assert KioskOptions(update_check_s=0).update_check_s == 0
    assert KioskOptions(update_check_s=86_400).update_check_s == 86_400
    assert KioskOptions().update_check_s == 300
    with pytest.raises(gd.InvalidValue, match="update_check_s"):
        KioskOptions(update_check_s=value)


@pytest.mark.parametrize("value", [2, 86_401])
def test_idle_timeout_s_is_a_few_seconds_to_a_day(value: int) -> None:
    """idle_timeout_s takes 3 s to a day; another value names the option."""
    assert KioskOptions(idle_timeout_s=86_400).idle_timeout_s == 86_400
    with pytest.raises(gd.InvalidValue, match="idle_timeout_s: must be a whole number from 3"):
        KioskOptions(idle_timeout_s=value)


def test_the_app_never_writes_markup_from_data() -> None:
    """The kiosk's script sets text with textContent only: no innerHTML, no eval."""
    script = (ROOT / "src" / "govdisclosure" / "publishers" / "kiosk" / "static" /
              "kiosk.js").read_text()
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in script


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>"])
def test_unsafe_urls_never_reach_a_dataset(tmp_path: Path, url: str) -> None:
    """An item's or hall's online_url that is no http(s), mailto or tel URL is dropped."""
    recs = records()
    recs[1] = attrs.evolve(recs[1], online_url=url)
    recs[4] = attrs.evolve(recs[4], online_url=url)
    publish(tmp_path, recs)
    for lang in ("zh-CN", "en"):
        assert rows(tmp_path, "hall", "halls", lang)[0]["online_url"] is None
        permit = next(r for r in rows(tmp_path, "hall", "items", lang) if r["id"] == "permit")
        assert permit["online_url"] is None
    for path in (tmp_path / "kiosk").rglob("*"):
        if path.is_file():
            assert b"alert(1)" not in path.read_bytes().lower(), path


def test_safe_urls_are_kept_and_resolved(tmp_path: Path) -> None:
    """An https online_url stays; a relative one is resolved against the site."""
    recs = records()
    recs[1] = attrs.evolve(recs[1], online_url="https://zwfw.example.gov.cn/hall")
    recs[4] = attrs.evolve(recs[4], online_url="apply/permit")
    publish(tmp_path, recs)
    assert rows(tmp_path, "hall", "halls")[0]["online_url"] == "https://zwfw.example.gov.cn/hall"
    permit = next(r for r in rows(tmp_path, "hall", "items") if r["id"] == "permit")
    assert permit["online_url"] == "https://gk.example.gov.cn/apply/permit"


def test_every_dataset_column_is_a_scalar(tmp_path: Path) -> None:
    """Flat tables: every value of every row is a string, number, boolean or null; several
    texts are one per line, several ids one per space (docs/kiosk.md)."""
    recs = records()
    recs[2] = attrs.evolve(recs[2], services=["permit", "health"], staff=[
        gd.Staff(name="刘振国", badge="CC-1"), gd.Staff(name="王芳")])
    recs[4] = attrs.evolve(recs[4], conditions=["有用地手续", "有规划许可\n（两行）"],
                           windows=["w1", "w2"])
    publish(tmp_path, recs)
    datasets = bag_dir(tmp_path) / "data" / "datasets"
    for path in datasets.glob("*.json"):
        for row in json.loads(path.read_bytes())["rows"]:
            for column, value in row.items():
                assert value is None or isinstance(value, str | int | float | bool), (
                    path.name, column, value)
    permit = next(r for r in rows(tmp_path, "hall", "items") if r["id"] == "permit")
    assert permit["conditions"].split("\n") == ["有用地手续", "有规划许可 （两行）"]
    assert permit["windows"].split(" ") == ["w1", "w2"]
    assert len(permit["where"].split("\n")) == 2
    w1 = rows(tmp_path, "hall", "windows")[0]
    assert w1["service_ids"].split(" ") == ["permit", "health"]
    assert w1["services"].split("\n") == ["施工许可", "卫生许可"]
    assert w1["staff"].split("\n") == ["刘振国 · CC-1", "王芳"]
    assert w1["complaint"] == ""


def test_any_hall_id_names_a_bag_of_its_own(tmp_path: Path) -> None:
    """MODEL.md accepts every id of its pattern: halls ``index.json``, ``hall.zip`` and
    ``hall`` each get a valid bag and zip, listed in the index, beside the kiosk's own
    index.json (neither a bag nor a zip stands in another's way)."""
    recs = [*records(), gd.ServiceHall(id="index.json", agency="city", name="大厅"),
            gd.ServiceHall(id="hall.zip", agency="city", name="大厅")]
    publish(tmp_path, recs, zip=True)
    index = json.loads((tmp_path / "kiosk" / "index.json").read_bytes())
    assert [(b["name"], b["hall"]) for b in index["bundles"]] == [
        ("hall", "hall"), ("hall.zip", "hall.zip"), ("index.json", "index.json")]
    for entry in index["bundles"]:
        bag = bagit.Bag(str(tmp_path / "kiosk" / entry["path"]))
        bag.validate()
        assert bag.info["External-Identifier"].startswith(f"govdisclosure-kiosk:{entry['name']}:")
        assert (tmp_path / "kiosk" / entry["zip"]) == zip_file(tmp_path, entry["name"])
        assert zipfile.ZipFile(zip_file(tmp_path, entry["name"])).testzip() is None


def test_line_separators_never_reach_a_bag(tmp_path: Path) -> None:
    """U+2028 and U+2029 in a hall's name and an item's text: no bag file holds them raw
    (dataset text gets a line break, the title a space), and JSON still reads."""
    recs = records()
    recs[1] = attrs.evolve(recs[1], name={"zh-CN": "政务\u2028大厅", "en": "Hall\u2029one"},
                           summary="上午\u2028下午")
    recs[4] = attrs.evolve(recs[4], summary="第一段\u2029第二段",
                           conditions=["有用地\u2028手续"])
    publish(tmp_path, recs)
    for path in (tmp_path / "kiosk").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not {"\u2028", "\u2029"} & set(data.decode()), path
    permit = next(r for r in rows(tmp_path, "hall", "items") if r["id"] == "permit")
    assert permit["summary"] == "第一段\n第二段"
    assert permit["conditions"] == "有用地 手续"
    assert rows(tmp_path, "hall", "halls")[0]["summary"] == "上午\n下午"
    config = json.loads((bag_dir(tmp_path) / "data" / "kiosk.json").read_bytes())
    assert config["title"] == {"zh-CN": "政务 大厅", "en": "Hall one"}
    html = (bag_dir(tmp_path) / "data" / "index.html").read_text()
    assert "政务 大厅" in html


# -- receipts: what some bag shows ----------------------------------------------------------

_ROW_TYPES = {"items": "approval_item", "windows": "service_window", "halls": "service_hall"}
EXAMPLE_AS_OF = dt.datetime(2002, 12, 31, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def in_bags(out: Path) -> set[tuple[str, str]]:
    """``(type, id)`` of every record some bag has a row of."""
    found: set[tuple[str, str]] = set()
    for path in (out / "kiosk" / "bags").glob("*/data/datasets/*.zh-CN.json"):
        name = path.name.split(".")[0]
        for row in json.loads(path.read_bytes())["rows"]:
            if name in _ROW_TYPES:
                found.add((_ROW_TYPES[name], row["id"]))
            elif name == "announcements" or row.get("kind") == "hotline":
                found.add((row["type"], row["id"].rpartition(":")[2]))
    return found


def kiosk_receipts(out: Path) -> list[tuple[str, str, str]]:
    """``(type, id, action)`` of the kiosk's receipts, in order."""
    with gd.publishing.StateStore(gd.publishing.state_path(out), create=False) as store:
        return [(r.type, r.id, r.action) for r in store.receipts() if r.target == "kiosk"]


def test_receipts_are_for_what_some_bag_shows(tmp_path: Path) -> None:
    """ADAPTERS.md: the ledger proves where a record was made public. The kiosk lists the
    disclosures of four categories and the items its halls handle: the others (a budget,
    a gazette, an item no hall's window handles) get no kiosk receipt and no count."""
    report = gd.publish(gd.load_catalog(ROOT / "examples" / "jilin-2002"), to=["kiosk"],
                        out=tmp_path, as_of=EXAMPLE_AS_OF).publishers[0]
    receipted = {(kind, ident) for kind, ident, _ in kiosk_receipts(tmp_path)}
    assert receipted == in_bags(tmp_path)
    for key in [("disclosure", "budget-2002"), ("disclosure", "gazette-2002-08"),
                ("approval_item", "price-fee-license"),
                ("approval_item", "aic-trademark-enforcement")]:
        assert key not in receipted
    assert report.written + report.withdrawn == len(receipted)


def test_an_edit_no_bag_shows_publishes_nothing(tmp_path: Path) -> None:
    """A new title of the budget is tracked, but neither written nor receipted at the
    kiosk."""
    example = gd.load_catalog(ROOT / "examples" / "jilin-2002")
    gd.publish(example, to=["kiosk"], out=tmp_path, as_of=EXAMPLE_AS_OF)
    before = kiosk_receipts(tmp_path)
    edited = gd.Catalog(records=[attrs.evolve(r, title="新预算") if r.id == "budget-2002" else r
                                 for r in example], meta=example.meta, root=example.root)
    report = gd.publish(edited, to=["kiosk"], out=tmp_path,
                        as_of=EXAMPLE_AS_OF + dt.timedelta(days=1)).publishers[0]
    assert (report.written, report.files_written) == (0, 0)
    assert kiosk_receipts(tmp_path) == before


def test_an_announcement_turned_budget_leaves_the_kiosk_and_comes_back(tmp_path: Path) -> None:
    """A disclosure whose category leaves the kiosk's announcements gets a ``removed``
    receipt there (the action of a record leaving an output), and a ``published`` one when
    it is an announcement again."""
    publish(tmp_path)
    recs = records()
    recs[7] = attrs.evolve(recs[7], category="budget")
    report = publish(tmp_path, recs, as_of=AS_OF + dt.timedelta(days=1)).publishers[0]
    assert (report.written, report.removed) == (0, 1)
    assert not [row for row in rows(tmp_path, "hall", "announcements") if "notice" in row["id"]]
    report = publish(tmp_path, as_of=AS_OF + dt.timedelta(days=2)).publishers[0]
    assert (report.written, report.removed) == (1, 0)
    assert [r for r in kiosk_receipts(tmp_path) if r[1] == "notice"] == [
        ("disclosure", "notice", "published"), ("disclosure", "notice", "removed"),
        ("disclosure", "notice", "published")]


def test_record_text_carries_its_language(tmp_path: Path) -> None:
    """On an English screen a staff name (in the catalogue's default language) and the
    first-inquiry officer say they are Chinese, a role is English; text that fell back
    says so, one language per line for a column of several."""
    recs = records()
    recs[2] = attrs.evolve(recs[2], first_inquiry_officer="刘振国", staff=[
        gd.Staff(name="刘振国", badge="CC-1", role={"zh-CN": "窗口负责人", "en": "Head"}),
        gd.Staff(name="王芳")])
    publish(tmp_path, recs)
    w1 = rows(tmp_path, "hall", "windows", "en")[0]
    assert w1["staff_names"].split("\n") == ["刘振国", "王芳"]
    assert w1["staff_names_lang"].split(" ") == ["zh-CN", "zh-CN"]
    assert w1["staff_roles"].split("\n") == ["Head", ""]
    assert w1["staff_roles_lang"].split(" ") == ["en", "en"]
    assert w1["staff_badges"].split("\n") == ["CC-1", ""]
    assert (w1["first_inquiry_officer"], w1["first_inquiry_officer_lang"]) == ("刘振国", "zh-CN")
    assert (w1["title"], w1["title_lang"]) == ("建设窗口", "zh-CN")  # fell back
    assert w1["services_lang"] == "en"
    permit = next(r for r in rows(tmp_path, "hall", "items", "en") if r["id"] == "permit")
    assert (permit["title_lang"], permit["conditions_lang"]) == ("en", "zh-CN")
    zh = rows(tmp_path, "hall", "windows")[0]
    assert (zh["staff_names_lang"], zh["staff_roles_lang"]) == ("zh-CN zh-CN", "zh-CN zh-CN")


def test_a_language_without_interface_words_is_named_and_marked(tmp_path: Path) -> None:
    """A catalogue language the interface has no words in (ar): its button says its name,
    its screens declare English, the language of their words, and its record text says
    it is Arabic, written right to left."""
    recs = records()
    recs[4] = attrs.evolve(recs[4], title={"zh-CN": "施工许可", "en": "Permit", "ar": "رخصة"})
    catalog = gd.Catalog(recs, attrs.evolve(META, languages=("zh-CN", "en", "ar")), check=False)
    gd.publish(catalog, to=["kiosk"], out=tmp_path, as_of=AS_OF)
    config = json.loads((bag_dir(tmp_path) / "data" / "kiosk.json").read_bytes())
    assert config["language_names"]["ar"] == "العربية"
    assert config["interface_languages"] == {"zh-CN": "zh-CN", "en": "en", "ar": "en"}
    assert "ar" in config["rtl"]
    assert config["strings"]["ar"] == config["strings"]["en"]
    permit = next(r for r in rows(tmp_path, "hall", "items", "ar") if r["id"] == "permit")
    assert (permit["title"], permit["title_lang"]) == ("رخصة", "ar")
    health = next(r for r in rows(tmp_path, "hall", "items", "ar") if r["id"] == "health")
    assert health["title_lang"] == "zh-CN"
