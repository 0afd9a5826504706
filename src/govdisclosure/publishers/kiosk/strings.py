"""Words of the kiosk's interface, in Chinese and English (other languages get English;
the catalogue's own text comes in every catalogue language)."""

from __future__ import annotations

from ..labels import item_kind_label, term

__all__ = ["interface_language", "strings", "value"]

_ZH: dict[str, str] = {
    "home": "首页",
    "back": "返回",
    "items": "办事指南",
    "items_hint": "办什么事、带什么材料、去哪个窗口",
    "map": "大厅导示图",
    "map_hint": "楼层与窗口位置",
    "windows": "服务窗口",
    "windows_hint": "窗口人员与服务承诺",
    "hotlines": "监督投诉电话",
    "hotlines_hint": "公开电话与投诉举报",
    "announcements": "最新公告",
    "announcements_hint": "政府公告与便民信息",
    "conditions": "办理条件",
    "materials": "申请材料",
    "procedure": "办理程序",
    "lp": "（",
    "rp": "）",
    "colon": "：",
    "semicolon": "；",
    "labelled": "{label}{value}",
    "time_limit": "办理时限",
    "fees": "收费标准",
    "free": "不收费",
    "unknown": "未公开",
    "where": "去哪里办",
    "handling_unit": "承办单位",
    "complaint": term("complaint_contacts", "zh"),
    "online": "网上办理",
    "qr": "扫码查看网站上的本事项",
    "qr_alt": "本事项网页的二维码：{url}",
    "number": "窗口",
    "hours": "办公时间",
    "services": "办理事项",
    "commitments": "服务承诺",
    "staff": "工作人员",
    "first_inquiry": term("first_inquiry", "zh"),
    "owner": term("hotline_owner", "zh"),
    "withdrawn": term("withdrawn", "zh"),
    "withdrawn_on": term("withdrawn_on", "zh"),
    "reason": "原因",
    "empty": "暂无信息",
    "floor_map": "{floor}导示图",
    "idle_title": "即将返回首页",
    "idle_text": "{n} 秒后返回首页。",
    "stay": "继续使用",
    "language": "语言",
    "statutory": "法定",
    "promised": "承诺",
    "days": "{n}天",
    "working_days": "{n}个工作日",
    "calendar_days": "{n}个自然日",
    "hotline": "公开电话",
    "complaint_line": "投诉电话",
    "noscript": "本触摸屏需要启用 JavaScript。",
    "loading": "正在加载……",
    "failed": "暂时无法显示",
    "failed_hint": "请联系工作人员。",
    "retry_in": "{n} 秒后自动重试。",
    "retry": "立即重试",
    "kiosk": "政务公开触摸屏",
}
_EN: dict[str, str] = {
    "home": "Home",
    "back": "Back",
    "items": "How to get it done",
    "items_hint": "What to bring, the steps, which window",
    "map": "Hall guide map",
    "map_hint": "Floors and where each window is",
    "windows": "Service windows",
    "windows_hint": "Staff and service commitments",
    "hotlines": "Hotlines and complaints",
    "hotlines_hint": "Public hotlines and where to complain",
    "announcements": "Latest announcements",
    "announcements_hint": "Government notices and public information",
    "conditions": "Conditions",
    "materials": "Documents to bring",
    "procedure": "Steps",
    "lp": " (",
    "rp": ")",
    "colon": ": ",
    "semicolon": "; ",
    "labelled": "{label} {value}",
    "time_limit": "Time limit",
    "fees": "Fees",
    "free": "Free of charge",
    "unknown": "Not disclosed",
    "where": "Where to go",
    "handling_unit": "Handled by",
    "complaint": term("complaint_contacts", "en"),
    "online": "Apply online",
    "qr": "Scan to open this item on the portal",
    "qr_alt": "QR code of this item's web page: {url}",
    "number": "Window",
    "hours": "Opening hours",
    "services": "Services",
    "commitments": "Service commitments",
    "staff": "Staff",
    "first_inquiry": term("first_inquiry", "en"),
    "owner": term("hotline_owner", "en"),
    "withdrawn": term("withdrawn", "en"),
    "withdrawn_on": term("withdrawn_on", "en"),
    "reason": "Reason",
    "empty": "Nothing to show yet",
    "floor_map": "Guide map: {floor}",
    "idle_title": "Returning to the home screen",
    "idle_text": "Back to the home screen in {n} seconds.",
    "stay": "Keep using",
    "language": "Language",
    "statutory": "statutory",
    "promised": "promised",
    "days": "{n} days",
    "working_days": "{n} working days",
    "calendar_days": "{n} calendar days",
    "hotline": "Public hotline",
    "complaint_line": "Complaints",
    "noscript": "This kiosk needs JavaScript.",
    "loading": "Loading…",
    "failed": "This cannot be shown right now",
    "failed_hint": "Please ask a member of staff.",
    "retry_in": "Trying again in {n} seconds.",
    "retry": "Try again now",
    "kiosk": "Public information kiosk",
}


def _chinese(language: str) -> bool:
    return language.lower().startswith("zh")


def interface_language(language: str) -> str:
    """The language the screens of ``language`` speak (their ``<html lang>``): its own where
    the interface's words are in it (``zh-TW``, ``en-GB``), else English (``en`` for
    ``ar``, whose record text is then marked ``lang="ar" dir="rtl"``)."""
    english = language.split("-", maxsplit=1)[0].lower() == "en"
    return language if _chinese(language) or english else "en"


def strings(language: str) -> dict[str, str]:
    """The interface words for ``language``."""
    return dict(_ZH if _chinese(language) else _EN)


def value(name: str, language: str) -> str:
    """The label of a model value (an item's kind)."""
    return item_kind_label(name, language)
