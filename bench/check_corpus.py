"""Independent check of a generated corpus, without the library.

``python bench/check_corpus.py DIR`` parses every file of the catalogue with
json / tomllib, and checks what MODEL.md states: known keys only, enum values,
the id rule, unique ids per type, every reference resolving to a record of the
right type, the agency tree, date ranges and text lengths. It exists so that
the generator can be trusted before (and independently of) the loader.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
COMMON = {
    "type",
    "id",
    "agency",
    "title",
    "summary",
    "body",
    "audience",
    "classification",
    "status",
    "withdrawn",
    "issued_at",
    "publish_at",
    "expires_at",
    "updated_at",
    "changes",
    "sector",
    "tags",
    "related",
    "supersedes",
    "attachments",
    "channels",
}
SPECIFIC: dict[str, set[str]] = {
    "agency": {
        "id",
        "name",
        "short_name",
        "level",
        "parent",
        "kind",
        "key_department",
        "sector",
        "address",
        "website",
        "contact",
        "head",
        "deputy_in_charge",
    },
    "disclosure": {"category"},
    "approval_item": {
        "kind",
        "handling_unit",
        "legal_basis",
        "conditions",
        "materials",
        "procedure",
        "time_limit",
        "results",
        "discipline",
        "accountability",
        "complaint",
        "fees",
        "catalogue",
        "review",
        "windows",
        "online_url",
    },
    "case": {
        "item",
        "received_at",
        "decided_at",
        "outcome",
        "suspended_days",
        "applicant_kind",
        "applicant_name",
        "decision_ref",
        "result_summary",
    },
    "allocation": {"kind", "status", "closes_at", "before", "during", "after"},
    "hotline": {"number", "level", "owner", "hours", "opened_on", "status", "due_days"},
    "hotline_call": {
        "hotline",
        "received_at",
        "topic",
        "accepted",
        "handled_at",
        "closed_at",
        "outcome",
        "satisfied",
    },
    "suggestion": {
        "received_at",
        "channel",
        "topic",
        "summary",
        "status",
        "response",
        "responded_at",
        "adopted_into",
        "benefit",
        "reward",
        "credit_public",
        "credit_name",
    },
    "consultation": {
        "kind",
        "opens_at",
        "closes_at",
        "scheduled_at",
        "venue",
        "how_to_take_part",
        "outcome",
        "outcome_published_at",
        "decision",
    },
    "news_release": {
        "headline",
        "subheadline",
        "dateline_place",
        "contacts",
        "boilerplate",
        "topic",
        "conference",
    },
    "press_conference": {"scheduled_at", "venue", "status", "speakers", "agenda", "releases", "qa"},
    "service_hall": {"name", "address", "kind", "hours", "online_url", "floors"},
    "service_window": {
        "hall",
        "number",
        "name",
        "services",
        "hours",
        "guide",
        "commitments",
        "staff",
        "first_inquiry_officer",
        "nameplates",
    },
    "complaint": {
        "received_at",
        "channel",
        "about",
        "topic",
        "summary",
        "status",
        "resolution",
        "resolved_at",
        "accountability",
    },
    "accountability_record": {
        "subject_unit",
        "subject_role",
        "subject_name",
        "name_public",
        "violation",
        "facts",
        "source",
        "decided_on",
        "decision",
        "status",
    },
    "evaluation": {
        "year",
        "evaluator",
        "score",
        "components",
        "rank",
        "model_unit",
        "remarks",
        "published_on",
    },
    "work_plan": {"year", "tasks"},
}
ENUMS: dict[tuple[str, str], set[str]] = {
    ("*", "audience"): {"public", "internal"},
    ("*", "classification"): {"public", "restricted", "secret"},
    ("*", "sector"): {
        "government",
        "factory",
        "village",
        "tax",
        "police",
        "school",
        "medical",
        "other",
    },
    ("agency", "level"): {"province", "city", "county", "township", "village", "other"},
    ("agency", "kind"): {
        "government",
        "department",
        "window_unit",
        "public_service",
        "enterprise",
        "other",
    },
    ("disclosure", "category"): {
        "policy",
        "decision",
        "regulation",
        "announcement",
        "gazette",
        "plan",
        "economy",
        "major_project",
        "emergency",
        "statistics",
        "budget",
        "finance",
        "personnel",
        "procurement",
        "convenience",
        "service",
        "other",
    },
    ("approval_item", "kind"): {"approval", "fee", "enforcement", "license"},
    ("case", "outcome"): {"pending", "approved", "rejected", "withdrawn", "transferred"},
    ("case", "applicant_kind"): {"person", "organisation"},
    ("allocation", "kind"): {
        "land",
        "mineral",
        "procurement",
        "project",
        "fund",
        "subsidy",
        "concession",
        "other",
    },
    ("allocation", "status"): {"planned", "open", "closed", "cancelled"},
    ("hotline", "status"): {"planned", "open", "closed"},
    ("hotline", "level"): {"province", "city", "county", "township", "village", "other"},
    ("suggestion", "status"): {"received", "under_review", "adopted", "not_adopted"},
    ("consultation", "kind"): {"hearing", "appraisal", "consultation"},
    ("news_release", "topic"): {
        "policy",
        "decision",
        "economy",
        "major_project",
        "emergency",
        "other",
    },
    ("press_conference", "status"): {"scheduled", "held", "cancelled"},
    ("service_hall", "kind"): {
        "department",
        "comprehensive",
        "certificate",
        "government_affairs",
        "online",
    },
    ("complaint", "channel"): {"phone", "letter", "email", "box", "window", "online"},
    ("complaint", "status"): {"received", "investigating", "resolved", "rejected"},
    ("accountability_record", "violation"): {
        "not_implemented",
        "black_box",
        "fake_disclosure",
        "minor_only",
        "promise_not_kept",
        "overdue",
        "other",
    },
    ("accountability_record", "status"): {"open", "decided", "appealed", "closed"},
}
STATUS_COMMON = {"draft", "approved", "withdrawn"}
TYPE_STATUS = {
    "allocation",
    "hotline",
    "suggestion",
    "press_conference",
    "complaint",
    "accountability_record",
}
DATETIME_FIELDS = {
    "issued_at",
    "publish_at",
    "expires_at",
    "updated_at",
    "received_at",
    "decided_at",
    "handled_at",
    "closed_at",
    "responded_at",
    "opens_at",
    "closes_at",
    "scheduled_at",
    "outcome_published_at",
    "resolved_at",
}
DATE_FIELDS = {"opened_on", "decided_on", "published_on"}
LO, HI = dt.date(2002, 1, 1), dt.date(2003, 12, 31)


def read_records(root: Path) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted((root / "records").rglob("*")):
        if not path.is_file():
            continue
        rel = str(path.relative_to(root))
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            out += [(rel, json.loads(line)) for line in text.splitlines() if line.strip()]
        elif path.suffix == ".json":
            data = json.loads(text)
            out += [(rel, r) for r in (data if isinstance(data, list) else [data])]
        elif path.suffix == ".toml":
            for rtype, rows in tomllib.loads(text).items():
                out += [(rel, {"type": rtype, **r}) for r in rows]
        elif path.suffix == ".md":
            _, front, body = text.split("+++\n", 2)
            rec = tomllib.loads(front)
            if body.strip():
                rec["body"] = body.strip("\n")
            out.append((rel, rec))
        else:
            raise SystemExit(f"{rel}: unexpected file")
    return out


def check(root: Path) -> list[str]:  # noqa: PLR0915 - one pass, one list of checks
    problems: list[str] = []
    catalog = tomllib.loads((root / "catalog.toml").read_text(encoding="utf-8"))["catalog"]
    for d in catalog["holidays"] + catalog["extra_workdays"]:
        dt.date.fromisoformat(d)
    agencies = tomllib.loads((root / "agencies.toml").read_text(encoding="utf-8"))["agency"]
    records = [("agencies.toml", {"type": "agency", **a}) for a in agencies] + read_records(root)
    ids: dict[str, dict[str, dict[str, Any]]] = {}
    for where, r in records:
        t = r.get("type")
        if t not in SPECIFIC:
            problems.append(f"{where}: unknown type {t!r}")
            continue
        if not ID.match(r.get("id", "")):
            problems.append(f"{where}: {t} bad id {r.get('id')!r}")
        if r["id"] in ids.setdefault(t, {}):
            problems.append(f"{where}: {t} duplicate id {r['id']}")
        ids[t][r["id"]] = r
        allowed = SPECIFIC[t] | ({"type"} if t == "agency" else COMMON)
        for k in r:
            if k not in allowed:
                problems.append(f"{where}: {t} '{r['id']}': unknown key {k}")
        for k, v in r.items():
            enum = ENUMS.get((t, k)) or ENUMS.get(("*", k))
            if k == "status" and t not in TYPE_STATUS:
                enum = STATUS_COMMON
            if enum and v not in enum:
                problems.append(f"{where}: {t} '{r['id']}': {k}={v!r} not allowed")
            if k in DATETIME_FIELDS:
                d = dt.datetime.fromisoformat(v).date()
                if not LO <= d <= HI:
                    problems.append(f"{where}: {t} '{r['id']}': {k} {v} out of range")
            if k in DATE_FIELDS and not LO <= dt.date.fromisoformat(v) <= HI:
                problems.append(f"{where}: {t} '{r['id']}': {k} {v} out of range")
        if t != "agency" and "agency" not in r:
            problems.append(f"{where}: {t} '{r['id']}': no agency")
        if r.get("status") == "withdrawn" and t not in TYPE_STATUS and "withdrawn" not in r:
            problems.append(f"{where}: {t} '{r['id']}': withdrawn without details")
        title = r.get("title") or r.get("headline")
        if isinstance(title, dict):
            n = len(title["zh-CN"])
            if not 10 <= n <= 40 and t not in ("service_hall", "service_window", "hotline"):
                problems.append(f"{where}: {t} '{r['id']}': title length {n}")
        body = r.get("body")
        if isinstance(body, dict):
            body = body["zh-CN"]
        if body is not None and not 200 <= len(body) <= 2000:
            problems.append(f"{where}: {t} '{r['id']}': body length {len(body)}")

    def ref(
        where: str, r: dict[str, Any], field: str, value: Any, rtype: str | tuple[str, ...]
    ) -> None:
        types = (rtype,) if isinstance(rtype, str) else rtype
        if isinstance(value, str) and ":" in value:
            t, _, value = value.partition(":")
            if t == "finding":
                return
            types = (t,)
        if not any(value in ids.get(t, {}) for t in types):
            wanted = "/".join(types)
            problems.append(
                f"{where}: {r['type']} '{r['id']}': {field} -> {value!r} missing ({wanted})"
            )

    any_type = tuple(ids)
    for where, r in records:
        t = r["type"]
        if t == "agency":
            if "parent" in r:
                ref(where, r, "parent", r["parent"], "agency")
            continue
        ref(where, r, "agency", r["agency"], "agency")
        for x in r.get("related", []):
            ref(where, r, "related", x, any_type)
        if "supersedes" in r:
            ref(where, r, "supersedes", r["supersedes"], t)
        for field, target in [
            ("item", "approval_item"),
            ("hotline", "hotline"),
            ("hall", "service_hall"),
            ("conference", "press_conference"),
            ("about", "agency"),
            ("subject_unit", "agency"),
            ("accountability", "accountability_record"),
            ("adopted_into", any_type),
            ("source", ("complaint", "evaluation")),
        ]:
            if field in r and not (t == "approval_item" and field == "accountability"):
                ref(where, r, field, r[field], target)
        if t == "consultation" and "decision" in r:
            ref(where, r, "decision", r["decision"], any_type)
        for field, target in [
            ("windows", "service_window"),
            ("services", "approval_item"),
            ("releases", "news_release"),
        ]:
            for x in r.get(field, []):
                ref(where, r, field, x, target)
        for c in r.get("commitments", []):
            ref(where, r, "commitments.item", c["item"], "approval_item")
        for f in r.get("floors", []):
            for w in f["windows"]:
                ref(where, r, "floors.windows.window", w["window"], "service_window")
                if ids["service_window"][w["window"]]["hall"] != r["id"]:
                    problems.append(
                        f"{where}: hall {r['id']} shows window {w['window']} of another hall"
                    )
        for s in r.get("speakers", []):
            ref(where, r, "speakers.agency", s["agency"], "agency")
        for task in r.get("tasks", []):
            ref(where, r, "tasks.owner", task["owner"], "agency")
        if t == "approval_item":
            tl = r["time_limit"]
            if tl["promised"] > tl["statutory"]:
                problems.append(f"{where}: approval_item '{r['id']}': promised > statutory")
        if t == "case" and "decided_at" in r and r["decided_at"] < r["received_at"]:
            problems.append(f"{where}: case '{r['id']}': decided before received")
    # The agency tree: no cycles, township < county < city < province.
    agencies_by_id = ids["agency"]
    for a in agencies_by_id.values():
        seen, cur = set(), a
        while "parent" in cur:
            if cur["id"] in seen:
                problems.append(f"agencies.toml: cycle at {a['id']}")
                break
            seen.add(cur["id"])
            cur = agencies_by_id[cur["parent"]]
    return problems


def summary(root: Path) -> Counter[str]:
    return Counter(r["type"] for _, r in read_records(root))


if __name__ == "__main__":
    root = Path(sys.argv[1])
    problems = check(root)
    for p in problems[:50]:
        print(p)
    print(f"{len(problems)} problems; {dict(summary(root))}")
    sys.exit(1 if problems else 0)
