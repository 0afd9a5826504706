"""Names of record types and disclosure categories in Chinese and English (feed titles,
the annual report): shared, and importing nothing, so that using them loads no publisher."""

from __future__ import annotations

__all__ = ["category_label", "type_label"]

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
