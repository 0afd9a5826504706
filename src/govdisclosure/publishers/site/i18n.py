"""The site's interface strings and value labels in Chinese and English.

Other catalogue languages fall back to English (an English page is more useful to
most readers than a Chinese one), record text falls back to the catalogue's default
language. Dates are formatted here, by hand, so that output never depends on the
machine's locale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jinja2.filters import do_filesizeformat

from ..labels import ITEM_KINDS, LANGUAGE_NAMES, MONTHS, TERMS, written_date

__all__ = ["LANGUAGE_NAMES", "UI", "format_date", "format_datetime", "format_money",
           "known_label", "ui"]


_EN: dict[str, str] = {
    # chrome
    "skip": "Skip to main content", "internal": "Internal: not for the public",
    "main_nav": "Main menu", "languages": "Language",
    "breadcrumb": "You are here", "search": "Search", "search_label": "Search the portal",
    "home": "Home", "pagination": "Pages", "previous": "Previous", "next": "Next",
    "page_n": "Page {n} of {total}", "footer_publisher": "Published by",
    "footer_contact": "Contact", "sitemap": "Sitemap (XML)", "all_records": "All records",
    "evaluation_title": "{agency}: evaluation {year}",
    "accountability_title": "{unit}: {violation}",
    "no_records": "Nothing has been published here yet.", "more": "More",
    "on_this_page": "Details", "table_scroll": "{caption} (scrolls sideways)",
    # punctuation of joins: a label and its value, list items, a name and a role, asides
    "colon": ": ", "comma": ", ", "enum": ", ", "semicolon": "; ", "lp": " (", "rp": ")",
    "n_unit": "{n} {unit}",
    # page titles and sections
    "latest": "Latest", "by_type": "By type", "by_agency": "Agencies",
    "statistics": "Statistics", "withdrawn_list": "Withdrawn records",
    "not_found": "Page not found",
    "not_found_text": "The page you asked for does not exist or has moved. "
                      "Try the search or start from the home page.",
    "search_results": "Results", "search_nojs": "Search needs JavaScript. Without it, "
                      "browse the listings by type or by agency:",
    "search_none": "No results.", "search_count": "{n} results", "search_count_one": "1 result",
    "search_error": "The search index could not be loaded: open the site through a web "
                    "server (search does not work from files on disk).",
    "search_shown": "(the first {n} are shown: add a word to narrow the search)",
    "choose_language": "Choose a language",
    "intro": "Government information, administrative approvals, service halls, hotlines "
             "and the supervision of disclosure work, in one place.",
    "categories": "Disclosure categories", "category": "Category",
    # common fields
    "agency": "Agency", "issued": "Issued", "updated": "Updated", "expires": "Expires",
    "expired": "Expired", "summary": "Summary", "body": "Full text", "attachments": "Attachments",
    "changes": "Change history", "related": "Related", "supersedes": "Corrects",
    "corrected_by": "Corrected by",
    "tags": "Tags", "title": "Title", "date": "Date", "status": "Status", "kind": "Kind",
    "type": "Type", "count": "Number", "total": "Total", "details": "Details",
    "withdrawn_on": TERMS["withdrawn_on"][1], "withdrawn_reason": "Reason",
    "withdrawn_notice": "This record has been withdrawn. It is no longer in force; this "
                        "notice stays so that the withdrawal is on the record.",
    "withdrawn": TERMS["withdrawn"][1], "full_stop": ".", "sector": "Sector", "records": "Records",
    "note": "Note",
    "yes": "Yes", "no": "No", "none": "None", "free": "Free of charge", "unknown": "Not stated",
    "not_answered": "Not answered yet", "table_region": "Table: {caption}",
    "phone": "Phone", "email": "Email", "address": "Address", "hours": "Opening hours",
    "website": "Website", "unit": "Unit", "days": "{n} days", "days_one": "{n} day",
    "working_days": "{n} working days", "working_days_one": "{n} working day", "name": "Name",
    # approval items
    "ten": "The ten disclosures", "ten_item": "Item", "handling_unit": "Handling unit",
    "legal_basis": "Legal basis", "conditions": "Conditions", "materials": "Materials",
    "procedure": "Procedure", "time_limit": "Time limit", "results": "Results",
    "discipline": "Work discipline and integrity rules",
    "accountability": "Accountability for violations",
    "complaint_phones": TERMS["complaint_contacts"][1], "fees": "Fees", "fee": "Fee",
    "amount": "Amount",
    "basis": "Basis", "statutory": "Statutory", "promised": "Promised",
    "catalogue": "Catalogue decision", "review": "Reviewed by the joint meeting",
    "apply_online": "Apply online",
    "where_to_apply": "Where to apply", "where_to_go": "Where to go",
    "no_window": "No service window is listed for this item: apply to the agency",
    "same_day": "same day", "step": "Step", "result_notices": "Result notices",
    "result_notices_note": "Decisions for organisations. Applications by individuals are "
                           "counted in the statistics only.",
    "applicant": "Applicant", "decision_ref": "Decision", "decided": "Decided",
    "received": "Received", "outcome": "Outcome", "case_stats": "Applications handled",
    # allocations
    "timeline": "Before, during and after", "stage_pending": "Not yet published.",
    "awardee": "Awarded to", "decided_on": "Decided on", "closes": "Closes",
    "published": "Published",
    # press
    "scheduled": "Date and time", "venue": "Venue", "speakers": "Speakers", "agenda": "Agenda",
    "time": "Time", "speaker": "Speaker", "qa": "Questions and answers", "question": "Question",
    "answer": "Answer", "outlet": "Asked by", "releases": "News releases",
    "conference": "Press conference", "contacts": "Press contacts", "about_us": "About",
    "conference_past": "Date passed; not yet recorded as held",
    "dateline": "Dateline", "subheadline": "Subheadline", "topic": "Topic",
    # halls and windows
    "guide_map": "Guide map", "floor": "Floor", "windows": "Service windows",
    "window_no": "Window {n}", "number": "No.", "services": "Services", "guide": "Service guide",
    "commitments": "Service commitments", "target_days": "Target", "staff": "Staff on duty",
    "badge": "Badge", "role": "Role", "first_inquiry": TERMS["first_inquiry"][1],
    "nameplates": "Desk nameplates", "hall": "Service hall", "online_hall": "Online hall",
    "map_note": "Select a window on the map, or use the list below it.",
    "entrance": "Entrance", "floor_plan": "Floor plan: {floor}", "photo": "Photo: {name}",
    # hotlines
    "hotline_number": "Number", "owner": TERMS["hotline_owner"][1], "opened": "Opened",
    "due_days": "Handling limit",
    # engagement and oversight
    "channel": "Channel", "response": "Response", "responded": "Responded",
    "adopted_into": "Adopted into", "benefit": "Benefit", "reward": "Reward",
    "credit": "Suggested by", "opens": "Opens", "how_to_take_part": "How to take part",
    "decision": "Decision", "about": "About", "resolution": "Resolution",
    "resolved": "Resolved", "handled_by": "Handled by", "subject_unit": "Unit",
    "subject_role": "Position",
    "subject_name": "Person", "violation": "Violation", "facts": "Facts", "source": "Source",
    "audit_finding": "Audit finding",
    "year": "Year", "evaluated": "Agency evaluated", "publish_date": "Published",
    "evaluator": "Evaluator", "score": "Score", "components": "Components",
    "rank": "Rank", "model_unit": "Model unit", "remarks": "Remarks",
    "tasks": "Tasks", "task": "Task", "due": "Due", "done_on": "Done", "overdue": "Overdue",
    "open_now": "Open for comment", "upcoming": "Not yet open", "closed": "Closed",
    # agencies
    "level": "Level", "head": "First responsible person", "deputy": "Deputy in charge",
    "parent": "Part of",
    "children": "Units", "key_department": "Key department (ten disclosures)",
    "short_name": "Short name", "agency_items": "Approval and service items",
    "agency_latest": "Latest records", "agency_evaluation": "Evaluation",
    "hotlines_of": "Hotlines",
    # statistics
    "stats_intro": "Figures computed from the published records. Data as of {date}.",
    "stats_hotlines": "Hotline handling and satisfaction",
    "stats_cases": "Timeliness of applications",
    "stats_suggestions": "Suggestions, adoption and rewards",
    "stats_complaints": "Complaints and reports",
    "stats_accountability": "Accountability for violations",
    "stats_evaluations": "Evaluation league table",
    "calls": "Calls", "accepted": "Accepted", "closed_calls": "Closed",
    "closed_in_time": "Closed within the limit", "avg_days": "Average days",
    "satisfaction": "Satisfied", "rated": "Rated", "top_topics": "Most frequent topics",
    "by_month": "By month", "month": "Month", "share": "Share",
    "cases": "Applications", "pending": "Pending", "approved": "Approved",
    "rejected": "Rejected", "other": "Other", "within_promised": "Within promised limit",
    "within_statutory": "Within statutory limit", "overdue_pending": "Pending past the limit",
    "avg_handling": "Average handling time", "limit_unknown": "not computable",
    "adoption_rate": "Adoption rate (of the suggestions decided)", "rewards": "Rewards",
    "by_status": "By status",
    "by_channel": "By channel", "by_violation": "By violation", "by_agency_table": "By agency",
    "avg_resolution": "Average days to resolve", "model_units": "Model units",
    "league_table": "League table {year}",
    "stats_cases_note": "Handling time runs from receipt to decision, without statutory "
                        "pauses, in the unit of the item's time limit.",
}

_ZH: dict[str, str] = {
    "skip": "跳到主要内容", "internal": "机关内部公开 · 仅限内部", "main_nav": "主菜单",
    "languages": "语言", "breadcrumb": "当前位置",
    "search": "搜索", "search_label": "站内搜索", "home": "首页", "pagination": "分页",
    "previous": "上一页", "next": "下一页", "page_n": "第{n}页，共{total}页",
    "footer_publisher": "主办单位", "footer_contact": "联系方式", "sitemap": "网站地图（XML）",
    "all_records": "全部信息", "evaluation_title": "{agency}{year}年度考核",
    "accountability_title": "{unit}：{violation}", "no_records": "暂无公开信息。", "more": "更多",
    "on_this_page": "详细信息", "table_scroll": "{caption}（可左右滚动）",
    "colon": "：", "comma": "，", "enum": "、", "semicolon": "；", "lp": "（", "rp": "）",
    "n_unit": "{n}{unit}",
    "latest": "最新公开", "by_type": "分类浏览", "by_agency": "公开单位", "statistics": "统计数据",
    "withdrawn_list": "已撤回信息", "not_found": "页面不存在",
    "not_found_text": "您访问的页面不存在或已移动。请使用站内搜索，或从首页开始浏览。",
    "search_results": "搜索结果",
    "search_nojs": "搜索功能需要启用JavaScript。您也可以按类别或单位浏览：",
    "search_none": "没有找到结果。", "search_count": "共{n}条结果", "search_count_one": "共1条结果",
    "search_error": "无法加载搜索索引：请通过网站服务器访问（直接打开本地文件时无法搜索）。",
    "search_shown": "（显示前{n}条，请增加关键词缩小范围）", "choose_language": "选择语言",
    "intro": "政府信息、行政审批、政务大厅、公开电话和政务公开监督检查，一站查询。",
    "categories": "公开类别", "category": "类别",
    "agency": "发布单位", "issued": "成文日期", "updated": "更新日期", "expires": "有效期至",
    "expired": "已过期", "summary": "摘要", "body": "正文", "attachments": "附件",
    "changes": "修改记录", "related": "相关信息", "supersedes": "更正",
    "corrected_by": "更正后信息", "tags": "标签",
    "title": "标题", "date": "日期", "status": "状态", "kind": "类型", "type": "信息类型",
    "count": "数量", "total": "合计", "details": "详情", "withdrawn_on": TERMS["withdrawn_on"][0],
    "withdrawn_reason": "撤回理由",
    "withdrawn_notice": "本信息已撤回，不再有效。保留此说明，以便公众知悉撤回情况。",
    "withdrawn": TERMS["withdrawn"][0], "full_stop": "。", "sector": "领域", "records": "信息",
    "note": "说明",
    "yes": "是", "no": "否", "none": "无", "free": "不收费", "unknown": "未说明",
    "not_answered": "尚未答复", "table_region": "表格：{caption}",
    "phone": "电话", "email": "电子邮件", "address": "地址", "hours": "办公时间",
    "website": "网站", "unit": "单位", "days": "{n}天", "days_one": "{n}天",
    "working_days": "{n}个工作日", "working_days_one": "{n}个工作日", "name": "姓名",
    "ten": "十公开", "ten_item": "事项名称", "handling_unit": "办理单位",
    "legal_basis": "办理依据", "conditions": "办理条件", "materials": "申报材料",
    "procedure": "办理程序", "time_limit": "办理时限", "results": "办理结果",
    "discipline": "工作纪律和廉政制度", "accountability": "责任追究办法",
    "complaint_phones": TERMS["complaint_contacts"][0],
    "fees": "收费标准", "fee": "收费项目", "amount": "金额", "basis": "收费依据",
    "statutory": "法定时限", "promised": "承诺时限", "catalogue": "目录依据",
    "review": "政务公开联席会议审定", "apply_online": "网上办理", "where_to_apply": "受理窗口",
    "where_to_go": "办理地点", "no_window": "本事项未列明受理窗口，请到本单位办理",
    "same_day": "当日", "step": "环节",
    "result_notices": "办件结果公示",
    "result_notices_note": "公示单位申请人的办理结果；个人申请只计入统计。",
    "applicant": "申请单位", "decision_ref": "决定文号", "decided": "办结时间",
    "received": "受理时间", "outcome": "办理结果", "case_stats": "办件情况",
    "timeline": "配置前、中、后公开", "stage_pending": "尚未公开。", "awardee": "取得人",
    "decided_on": "决定日期", "closes": "截止时间", "published": "公开时间",
    "scheduled": "时间", "venue": "地点", "speakers": "发布人", "agenda": "议程",
    "time": "时间", "speaker": "发言人", "qa": "答记者问", "question": "问",
    "answer": "答", "outlet": "提问媒体", "releases": "新闻通稿", "conference": "新闻发布会",
    "conference_past": "预定时间已过，尚无举行记录",
    "contacts": "新闻联系人", "about_us": "关于发布单位", "dateline": "电头",
    "subheadline": "副标题", "topic": "主题",
    "guide_map": "导示图", "floor": "楼层", "windows": "服务窗口", "window_no": "{n}号窗口",
    "number": "编号", "services": "办理事项", "guide": "办事指南", "commitments": "服务承诺",
    "target_days": "承诺期限", "staff": "窗口工作人员", "badge": "胸卡号", "role": "岗位",
    "first_inquiry": TERMS["first_inquiry"][0], "nameplates": "桌牌", "hall": "政务大厅",
    "online_hall": "网上大厅", "entrance": "入口", "floor_plan": "平面图：{floor}",
    "photo": "照片：{name}",
    "map_note": "在导示图上选择窗口，或使用下方列表。",
    "hotline_number": "号码", "owner": TERMS["hotline_owner"][0], "opened": "开通日期",
    "due_days": "办理时限",
    "channel": "渠道", "response": "答复", "responded": "答复日期", "adopted_into": "采纳于",
    "benefit": "效益", "reward": "奖励", "credit": "建议人", "opens": "开始时间",
    "how_to_take_part": "参与方式", "decision": "决定", "about": "被投诉单位",
    "resolution": "处理结果", "resolved": "办结日期", "handled_by": "受理单位",
    "subject_unit": "责任单位",
    "subject_role": "职务", "subject_name": "责任人", "violation": "违规类型", "facts": "事实",
    "source": "线索来源", "audit_finding": "监督检查发现问题", "year": "年度",
    "evaluator": "考核单位", "evaluated": "被考核单位", "publish_date": "发布日期", "score": "得分",
    "components": "分项得分", "rank": "名次", "model_unit": "示范单位", "remarks": "评语",
    "tasks": "工作任务", "task": "任务", "due": "完成时限", "done_on": "完成日期",
    "overdue": "逾期", "open_now": "正在征求意见", "upcoming": "尚未开始", "closed": "已结束",
    "level": "层级", "head": "第一责任人", "deputy": "分管负责人", "parent": "上级单位",
    "children": "下属单位", "key_department": "重点部门（实行十公开）", "short_name": "简称",
    "agency_items": "审批和服务事项", "agency_latest": "最新公开", "agency_evaluation": "考核结果",
    "hotlines_of": "公开电话",
    "stats_intro": "根据已公开信息计算。数据截至{date}。",
    "stats_hotlines": "公开电话办理和满意度", "stats_cases": "办件时效",
    "stats_suggestions": "建议征集、采纳和奖励", "stats_complaints": "投诉举报",
    "stats_accountability": "责任追究", "stats_evaluations": "考核排名",
    "calls": "来电", "accepted": "受理", "closed_calls": "办结", "closed_in_time": "按时办结",
    "avg_days": "平均天数", "satisfaction": "满意", "rated": "参与评价", "top_topics": "主要问题",
    "by_month": "按月统计", "month": "月份", "share": "比例", "cases": "办件",
    "pending": "在办", "approved": "准予许可", "rejected": "不予许可", "other": "其他",
    "within_promised": "承诺时限内办结", "within_statutory": "法定时限内办结",
    "overdue_pending": "超时未办结", "avg_handling": "平均办理时间", "limit_unknown": "无法计算",
    "adoption_rate": "采纳率（占已作出决定的建议）", "rewards": "奖励情况", "by_status": "按状态",
    "by_channel": "按渠道", "by_violation": "按违规类型", "by_agency_table": "按单位",
    "avg_resolution": "平均办理天数",
    "model_units": "示范单位", "league_table": "{year}年度考核排名",
    "stats_cases_note": "办理时间自受理至作出决定，扣除法定中止时间，按事项时限的计算单位统计。",
}

_EN_STATUS: dict[str, str] = {
    "planned": "Planned", "open": "Open", "closed": "Closed", "cancelled": "Cancelled",
    "received": "Received", "under_review": "Under review", "adopted": "Adopted",
    "not_adopted": "Not adopted", "investigating": "Being investigated",
    "resolved": "Resolved", "rejected": "Rejected", "decided": "Decided",
    "appealed": "Appealed", "scheduled": "Scheduled", "held": "Held",
    "approved": "Published", "draft": "Draft", "withdrawn": TERMS["withdrawn"][1],
}
_ZH_STATUS: dict[str, str] = {
    "planned": "计划中", "open": "进行中", "closed": "已结束", "cancelled": "已取消",
    "received": "已受理", "under_review": "研究中", "adopted": "已采纳",
    "not_adopted": "未采纳", "investigating": "调查中", "resolved": "已办结",
    "rejected": "不予受理", "decided": "已处理", "appealed": "申诉中", "scheduled": "即将举行",
    "held": "已举行", "approved": "已发布", "draft": "草稿", "withdrawn": TERMS["withdrawn"][0],
}

_EN_VALUES: dict[str, dict[str, str]] = {
    # evaluation components: the names of the bundled profile's and the usual ones
    "component": {
        "content": "Content of disclosure", "ten_disclosures": "Ten disclosures",
        "windows": "Service windows", "hotline": "Public hotline", "supervision":
        "Supervision", "openness": "Ten disclosures and key matters", "allocation":
        "Public resource allocation", "service": "Windows, time limits and commitments",
        "engagement": "Hotlines, suggestions and complaints",
        "discipline": "Timeliness, plan and accountability", "completeness": "Completeness",
        "time_limits": "Time limits", "confidentiality": "Classified information",
    },
    # audit finding codes (docs/audit-codes.md), cited as sources of accountability records
    "finding": {
        "ten.missing": "Ten disclosures incomplete",
        "ten.not_catalogued": "Item published without catalogue approval",
        "ten.not_reviewed": "Item published without the joint review",
        "key.no_items": "Key department publishes no approval or fee items",
        "key.minor_only": "Only minor matters disclosed",
        "allocation.stage_missing": "Allocation stage not disclosed",
        "allocation.stage_order": "Allocation stages disclosed out of order",
        "allocation.stage_late": "Allocation stage disclosed after the deal",
        "allocation.no_result": "Allocation result not published",
        "case.overdue": "Application handled beyond its time limit",
        "commitment.broken": "Service commitment not kept",
        "results.not_published": "Results of applications not published",
        "hotline.missing": "No head-of-government hotline",
        "hotline.slow": "Hotline calls handled late",
        "suggestion.unanswered": "Suggestion not answered",
        "suggestion.reward_missing": "Adopted suggestion not rewarded",
        "complaint.unresolved": "Complaint not resolved in time",
        "complaint.no_channel": "No complaint phone published",
        "window.incomplete": "Service window information incomplete",
        "disclosure.late": "Information not disclosed in time",
        "disclosure.secret_marked_public": "Classified information marked for publication",
        "plan.task_overdue": "Work plan task overdue",
        "accountability.open_too_long": "Accountability case open too long",
    },
    "reward": {"award": "Award", "certificate": "Certificate", "bonus": "Bonus",
               "commendation": "Commendation", "other": "Other"},
    "type": {
        "agency": "Agencies", "disclosure": "Government information",
        "approval_item": "Approval items", "case": "Applications", "allocation":
        "Resource allocations", "hotline": "Public hotlines", "hotline_call": "Hotline calls",
        "suggestion": "Suggestions", "consultation": "Hearings and consultations",
        "news_release": "News releases", "press_conference": "Press conferences",
        "service_hall": "Service halls", "service_window": "Service windows",
        "complaint": "Complaints", "accountability_record": "Accountability",
        "evaluation": "Evaluations", "work_plan": "Work plans",
    },
    "category": {
        "policy": "Policies", "decision": "Decisions", "regulation": "Regulations",
        "announcement": "Announcements", "gazette": "Gazette", "plan": "Plans",
        "economy": "Economy", "major_project": "Major projects", "emergency": "Emergencies",
        "statistics": "Statistics", "budget": "Budgets", "finance": "Public finance",
        "personnel": "Personnel", "procurement": "Procurement",
        "convenience": "Services for the public", "service": "Services", "other": "Other",
    },
    "item_kind": {kind: names[1] for kind, names in ITEM_KINDS.items()},
    "allocation_kind": {"land": "Land", "mineral": "Mineral rights", "procurement": "Procurement",
                        "project": "Project", "fund": "Fund", "subsidy": "Subsidy",
                        "concession": "Concession", "other": "Other"},
    "stage": {"before": "Before: the resource", "during": "During: rules and method",
              "after": "After: the result"},
    "hotline_status": {"planned": "Planned", "open": "In service", "closed": "Out of service",
                       "approved": "Published"},
    "status": _EN_STATUS,
    "accountability_status": {**_EN_STATUS, "open": "Under investigation",
                              "closed": "Concluded"},
    "outcome": {"pending": "Pending", "approved": "Approved", "rejected": "Rejected",
                "withdrawn": "Withdrawn by applicant", "transferred": "Transferred"},
    "channel": {"phone": "Phone", "letter": "Letter", "email": "Email", "box": "Complaint box",
                "window": "At a window", "online": "Online"},
    "consultation_kind": {"hearing": "Hearing", "appraisal": "Democratic appraisal",
                          "consultation": "Public consultation"},
    "violation": {"not_implemented": "Disclosure not implemented",
                  "black_box": "Handled behind closed doors", "fake_disclosure": "False disclosure",
                  "minor_only": "Only minor matters disclosed",
                  "promise_not_kept": "Service promise not kept", "overdue": "Overdue",
                  "other": "Other"},
    "hall_kind": {"department": "Department hall", "comprehensive": "Comprehensive hall",
                  "certificate": "Certificate hall",
                  "government_affairs": "Government affairs hall",
                  "online": "Online hall"},
    "level": {"province": "Province", "city": "City", "county": "County",
              "township": "Township", "village": "Village", "other": "Other"},
    "agency_kind": {"government": "Government", "department": "Department",
                    "window_unit": "Window unit", "public_service": "Public service",
                    "enterprise": "Enterprise", "other": "Other"},
    "topic": {"policy": "Policy", "decision": "Decision", "economy": "Economy",
              "major_project": "Major project", "emergency": "Emergency", "other": "Other"},
    "sector": {"government": "Government",
               "factory": "Factory affairs", "village": "Village affairs",
               "tax": "Tax", "police": "Police", "school": "Schools", "medical": "Health care",
               "other": "Other"},
    "unit": {"working_days": "working days", "calendar_days": "calendar days"},
    "unit_one": {"working_days": "working day", "calendar_days": "calendar day"},
}

_ZH_VALUES: dict[str, dict[str, str]] = {
    "component": {
        "content": "公开内容", "ten_disclosures": "十公开", "windows": "窗口服务",
        "hotline": "公开电话", "supervision": "监督检查", "openness": "十公开与重点事项",
        "allocation": "公共资源配置", "service": "窗口服务与承诺",
        "engagement": "公开电话、建议与投诉", "discipline": "及时公开与责任追究",
        "completeness": "完整性", "time_limits": "时限", "confidentiality": "涉密信息",
    },
    "finding": {
        "ten.missing": "十公开内容不全", "ten.not_catalogued": "事项未经批准纳入目录即公开",
        "ten.not_reviewed": "事项未经联席会议审定即公布",
        "key.no_items": "重点部门未公开审批、收费事项",
        "key.minor_only": "只公开一般事项，不公开重点事项",
        "allocation.stage_missing": "公共资源配置环节未公开",
        "allocation.stage_order": "公共资源配置环节公开顺序颠倒",
        "allocation.stage_late": "公共资源配置环节在成交后才公开",
        "allocation.no_result": "公共资源配置结果未公开", "case.overdue": "办件超过时限",
        "commitment.broken": "服务承诺未兑现", "results.not_published": "办理结果未公开",
        "hotline.missing": "未开通行政首长公开电话", "hotline.slow": "公开电话来电超时办理",
        "suggestion.unanswered": "建议未答复", "suggestion.reward_missing": "采纳的建议未予奖励",
        "complaint.unresolved": "投诉逾期未办结", "complaint.no_channel": "未公开投诉举报电话",
        "window.incomplete": "服务窗口公开不全", "disclosure.late": "信息未及时公开",
        "disclosure.secret_marked_public": "涉密信息被标为公开",
        "plan.task_overdue": "工作任务逾期未完成",
        "accountability.open_too_long": "责任追究久拖未结",
    },
    "reward": {"award": "奖励", "certificate": "荣誉证书", "bonus": "奖金",
               "commendation": "表彰", "other": "其他"},
    "type": {
        "agency": "公开单位", "disclosure": "政府信息", "approval_item": "审批事项",
        "case": "办件", "allocation": "公共资源配置", "hotline": "公开电话",
        "hotline_call": "来电", "suggestion": "建议征集", "consultation": "听证与征求意见",
        "news_release": "新闻通稿", "press_conference": "新闻发布会", "service_hall": "政务大厅",
        "service_window": "服务窗口", "complaint": "投诉举报", "accountability_record": "责任追究",
        "evaluation": "监督考核", "work_plan": "工作安排",
    },
    "category": {
        "policy": "政策", "decision": "决策", "regulation": "法规规章", "announcement": "政府公告",
        "gazette": "政报", "plan": "规划计划", "economy": "经济发展", "major_project": "重大项目",
        "emergency": "突发事件", "statistics": "统计信息", "budget": "预算决算",
        "finance": "财政信息", "personnel": "人事信息", "procurement": "政府采购",
        "convenience": "便民服务", "service": "办事服务", "other": "其他",
    },
    "item_kind": {kind: names[0] for kind, names in ITEM_KINDS.items()},
    "allocation_kind": {"land": "土地", "mineral": "矿产", "procurement": "政府采购",
                        "project": "工程项目", "fund": "资金", "subsidy": "补贴",
                        "concession": "特许经营", "other": "其他"},
    "stage": {"before": "配置前：资源情况",
              "during": "配置中：规则和方式", "after": "配置后：结果"},
    "hotline_status": {"planned": "筹备中", "open": "已开通", "closed": "已停用",
                       "approved": "已发布"},
    "status": _ZH_STATUS,
    "accountability_status": {**_ZH_STATUS, "open": "调查处理中", "closed": "已办结"},
    "outcome": {"pending": "在办", "approved": "准予许可",
                "rejected": "不予许可", "withdrawn": "申请人撤回",
                "transferred": "已移送"},
    "channel": {"phone": "电话", "letter": "信函", "email": "电子邮件", "box": "意见箱",
                "window": "窗口", "online": "网上"},
    "consultation_kind": {"hearing": "听证", "appraisal": "民主评议", "consultation": "征求意见"},
    "violation": {"not_implemented": "未实行政务公开", "black_box": "暗箱操作",
                  "fake_disclosure": "虚假公开", "minor_only": "避重就轻",
                  "promise_not_kept": "违反服务承诺", "overdue": "超时办理", "other": "其他"},
    "hall_kind": {"department": "部门单项大厅", "comprehensive": "综合大厅",
                  "certificate": "证照大厅",
                  "government_affairs": "政务大厅", "online": "网上大厅"},
    "level": {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇",
              "village": "村", "other": "其他"},
    "agency_kind": {"government": "人民政府", "department": "政府部门", "window_unit": "窗口单位",
                    "public_service": "公共服务单位", "enterprise": "企业", "other": "其他"},
    "topic": {"policy": "政策", "decision": "决策", "economy": "经济", "major_project": "重大项目",
              "emergency": "突发事件", "other": "其他"},
    "sector": {"government": "政务", "factory": "厂务", "village": "村务", "tax": "税务",
               "police": "警务", "school": "校务", "medical": "医务", "other": "其他"},
    "unit": {"working_days": "个工作日", "calendar_days": "日"},
    "unit_one": {"working_days": "个工作日", "calendar_days": "日"},
}

#: UI strings per language; :func:`ui` falls back to English.
UI: dict[str, dict[str, str]] = {"en": _EN, "zh-CN": _ZH}
_VALUES: dict[str, dict[str, dict[str, str]]] = {"en": _EN_VALUES, "zh-CN": _ZH_VALUES}


def _family(language: str) -> str:
    if language in UI:
        return language
    if language.lower().startswith("zh"):
        return "zh-CN"
    return "en"


def ui_language(language: str) -> str:
    """The language most of a ``language`` page is in: its own where the interface
    strings speak it (``en-GB``, ``zh-TW``), else theirs (``en`` for a Korean page, whose
    record text is then marked ``lang="ko"``)."""
    family = _family(language)
    same = family.partition("-")[0].lower() == language.partition("-")[0].lower()
    return language if same else family


def ui(language: str) -> dict[str, str]:
    """The interface strings of ``language`` (English for languages without a table)."""
    return UI[_family(language)]


def known_label(language: str, group: str, value: str) -> str | None:
    """The label of ``value`` in ``group`` (English where ``language`` has none), or None
    for a value no table knows."""
    return (_VALUES[_family(language)].get(group, {}).get(value)
            or _EN_VALUES.get(group, {}).get(value))


def value_label(language: str, group: str, value: str) -> str:
    """The label of an enumerated ``value`` (``group`` e.g. ``category``), else the value."""
    table = _VALUES[_family(language)].get(group, {})
    return table.get(value) or _EN_VALUES.get(group, {}).get(value) or value.replace("_", " ")


def format_date(day: dt.date | None, language: str) -> str:
    """``2002年9月26日`` or ``26 September 2002``; '' for None."""
    if day is None:
        return ""
    return written_date(day, _family(language) == "zh-CN")


def format_month(month: str, language: str) -> str:
    """``2002年3月`` or ``March 2002`` from ``2002-03``."""
    year, _, number = month.partition("-")
    if _family(language) == "zh-CN":
        return f"{year}年{int(number)}月"
    return f"{MONTHS[int(number) - 1]} {year}"


def format_datetime(moment: dt.datetime | None, language: str, zone: dt.tzinfo) -> str:
    """A date and a 24-hour time in the catalogue's timezone."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{format_date(local.date(), language)} {local:%H:%M}"


#: Short names of the file formats attachments usually have (a media type shown as is
#: otherwise).
MEDIA_NAMES: dict[str, str] = {
    "application/pdf": "PDF", "application/ofd": "OFD", "text/csv": "CSV",
    "text/html": "HTML", "text/plain": "TXT", "application/zip": "ZIP",
    "application/msword": "Word", "application/vnd.ms-excel": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/svg+xml": "SVG",
}


def format_size(size: int, language: str) -> str:
    """``404 Bytes`` / ``404字节``, ``1.2 kB`` (Jinja2's filesizeformat: decimal units)."""
    text = do_filesizeformat(size)
    if _family(language) == "zh-CN" and text.endswith("Byte" if size == 1 else "Bytes"):
        return f"{size}字节"
    return text


_CENTS = Decimal("0.01")


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """``12,345.00 CNY`` (``元`` for CNY in Chinese): grouped, with at least two decimals
    and every one the amount has (never rounded: a fee of ``0.005`` is not free)."""
    exponent = amount.as_tuple().exponent
    shown = amount if isinstance(exponent, int) and exponent < -2 else amount.quantize(_CENTS)
    text = f"{shown:,f}"
    if currency == "CNY" and _family(language) == "zh-CN":
        return f"{text}元"
    return f"{text} {currency}"
