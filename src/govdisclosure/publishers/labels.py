"""Names of record types and disclosure categories in Chinese and English (feed titles,
the annual report), the terms that the site, the kiosk and the feeds all show (one
word per concept, the seed's), and each language's name in itself and its direction:
shared, and importing nothing, so that using them loads no publisher."""

from __future__ import annotations

import datetime as dt

__all__ = ["ITEM_KINDS", "LANGUAGE_NAMES", "MONTHS", "RTL", "TERMS", "category_label",
           "direction", "item_kind_label", "term", "type_label", "written_date"]

#: Each language's name in itself: the site's language switch, the kiosk's buttons.
LANGUAGE_NAMES: dict[str, str] = {
    "zh": "中文", "zh-CN": "中文", "zh-TW": "中文（繁體）", "zh-HK": "中文（繁體）",
    "en": "English", "fr": "Français", "de": "Deutsch", "es": "Español", "ru": "Русский",
    "ar": "العربية", "ko": "한국어", "ja": "日本語", "mn": "Монгол", "bo": "བོད་ཡིག",
    "ug": "ئۇيغۇرچە",
}
#: The languages written right to left, by primary subtag.
RTL = frozenset({"ar", "he", "fa", "ur", "ug", "yi", "dv", "ps", "sd"})


def direction(language: str) -> str:
    """``rtl`` for a language written right to left (by its primary subtag), else ``ltr``."""
    return "rtl" if language.split("-", maxsplit=1)[0].lower() in RTL else "ltr"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_TYPES: dict[str, tuple[str, str]] = {
    "agency": ("机构", "Agencies"),
    "disclosure": ("政务公开", "Disclosures"),
    "approval_item": ("审批事项", "Approval items"),
    "allocation": ("公共资源配置", "Public resource allocations"),
    "hotline": ("公开电话", "Hotlines"),
    "suggestion": ("群众建议", "Suggestions"),
    "consultation": ("评议、听证与征求意见", "Consultations and hearings"),
    "news_release": ("新闻通稿", "News releases"),
    "press_conference": ("新闻发布会", "Press conferences"),
    "service_hall": ("政务大厅", "Service halls"),
    "service_window": ("服务窗口", "Service windows"),
    "complaint": ("投诉举报", "Complaints"),
    "accountability_record": ("责任追究", "Accountability"),
    "evaluation": ("考核评议", "Evaluations"),
    "work_plan": ("工作安排", "Work plans"),
}
_CATEGORIES: dict[str, tuple[str, str]] = {
    "policy": ("政策", "Policy"),
    "decision": ("决策", "Decisions"),
    "regulation": ("规章制度", "Regulations"),
    "announcement": ("政府公告", "Announcements"),
    "gazette": ("政报", "Gazette"),
    "plan": ("规划计划", "Plans"),
    "economy": ("经济运行", "Economy"),
    "major_project": ("重大项目", "Major projects"),
    "emergency": ("突发事件", "Emergencies"),
    "statistics": ("统计信息", "Statistics"),
    "budget": ("财政预算", "Budget"),
    "finance": ("财务收支", "Finance"),
    "personnel": ("人事任免", "Personnel"),
    "procurement": ("政府采购", "Procurement"),
    "convenience": ("便民信息", "Convenience information"),
    "service": ("办事服务", "Services"),
    "other": ("其他", "Other"),
}
#: The kinds of approval items (``ApprovalItem.kind``).
ITEM_KINDS: dict[str, tuple[str, str]] = {
    "approval": ("行政审批", "Approval"),
    "fee": ("行政收费", "Fee"),
    "enforcement": ("行政执法", "Enforcement"),
    "license": ("行政许可", "Licence"),
}
#: Words for the same thing wherever it is shown: a record taken back by its issuer
#: (撤回: 撤销 is an annulment), the seed's 首问负责制, the 行政首长 a hotline is
#: answerable to (not who picks up the phone), and facet 10 of the ten disclosures.
TERMS: dict[str, tuple[str, str]] = {
    "withdrawn": ("已撤回", "Withdrawn"),
    "withdrawn_on": ("撤回日期", "Withdrawn on"),
    "first_inquiry": ("首问负责人", "First-inquiry officer"),
    "hotline_owner": ("责任领导", "Head responsible"),
    "complaint_contacts": ("投诉举报单位和电话", "Complaints and reports: units and phones"),
}


def _pick(table: dict[str, tuple[str, str]], name: str, lang: str) -> str:
    pair = table.get(name)
    if pair is None:
        return name
    return pair[0] if lang.lower().startswith("zh") else pair[1]


def type_label(name: str, lang: str) -> str:
    """The plural name of a record type (Chinese for ``zh*``, else English)."""
    return _pick(_TYPES, name, lang)


def category_label(name: str, lang: str) -> str:
    """The name of a disclosure category (Chinese for ``zh*``, else English)."""
    return _pick(_CATEGORIES, name, lang)


def item_kind_label(name: str, lang: str) -> str:
    """The name of an approval item's kind (Chinese for ``zh*``, else English)."""
    return _pick(ITEM_KINDS, name, lang)


def term(name: str, lang: str) -> str:
    """One of :data:`TERMS` (Chinese for ``zh*``, else English)."""
    return _pick(TERMS, name, lang)


def written_date(day: dt.date, chinese: bool) -> str:
    """A day as text: ``2002年9月26日`` in Chinese, else ``26 September 2002``."""
    if chinese:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
