"""Synthetic catalogue generator for govdisclosure benchmarks.

Usage::

    python bench/corpus.py --records 100000 --out /tmp/corpus [--seed 0] [--format jsonl]

or from Python::

    from corpus import generate
    generate(100_000, "/tmp/corpus", seed=0, fmt="jsonl")

The output is a catalogue folder as described in shared/design/MODEL.md:
``catalog.toml``, ``agencies.toml`` (200 agencies of a provincial tree, about
20 key departments) and ``records/<type>/`` files of at most 5,000 records
each. ``N`` counts records (agencies excluded), spread over every record type
in rough real-world proportions. Every reference is valid. The output depends
only on ``n``, ``seed`` and ``fmt``: no clock, no hash-order iteration.

Formats:

- ``jsonl``: one object a line, each with ``"type"``.
- ``json``: one list of objects per file.
- ``toml``: arrays of tables (``[[case]]`` ...), the type implied by the table.
- ``md``: one file per record, TOML front matter between ``+++`` lines, the
  Markdown body after it (Markdown is one language: a bilingual body keeps
  only its default-language text there).

The generator only uses the standard library so that it runs before the
project is installed.
"""

# Naive datetimes are deliberate: wall-clock times in the catalogue zone, written
# with "+08:00" or (bulk exports) without offset. Long lines are text tables.
# ruff: noqa: DTZ001, E501

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import shutil
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from random import Random
from typing import Any

__all__ = ["FORMATS", "MAX_PER_FILE", "RECORD_TYPES", "generate", "plan_counts"]

MAX_PER_FILE = 5000
FORMATS = ("jsonl", "json", "toml", "md")

# Share of N per record type (work_plan is always exactly one; `case` absorbs
# the rounding remainder). Bulk exports dominate, structural records are few.
WEIGHTS: dict[str, float] = {
    "case": 0.30,
    "hotline_call": 0.26,
    "disclosure": 0.22,
    "news_release": 0.03,
    "complaint": 0.03,
    "approval_item": 0.03,
    "suggestion": 0.025,
    "allocation": 0.02,
    "consultation": 0.015,
    "service_window": 0.015,
    "accountability_record": 0.008,
    "evaluation": 0.008,
    "press_conference": 0.007,
    "hotline": 0.004,
    "service_hall": 0.003,
}
RECORD_TYPES = (*WEIGHTS, "work_plan")
# Types whose `status` is their own enum, not draft/approved/withdrawn.
OWN_STATUS = frozenset(
    {
        "allocation",
        "hotline",
        "suggestion",
        "press_conference",
        "complaint",
        "accountability_record",
    }
)

Record = dict[str, Any]

# --------------------------------------------------------------------------
# Text material
# --------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾于金崔朴"
GIVEN = "国华明建军平志伟红英海东玉春秀兰丽晓文立新庆宏永成林峰波德振雪梅凤洪亮"

SUBJECTS: list[tuple[str, str]] = [
    ("行政审批制度改革", "administrative approval reform"),
    ("行政事业性收费项目", "administrative fees"),
    ("城市低保资金发放", "urban minimum living allowance payments"),
    ("农村税费改革", "rural tax and fee reform"),
    ("国有土地使用权出让", "transfer of state land use rights"),
    ("政府采购", "government procurement"),
    ("重点工程建设项目", "key construction projects"),
    ("下岗职工再就业", "re-employment of laid-off workers"),
    ("城镇职工基本养老保险", "basic pension insurance"),
    ("供热价格调整", "heating price adjustment"),
    ("防汛抗旱工作", "flood control and drought relief"),
    ("非典型肺炎防治", "SARS prevention and control"),
    ("WTO规则培训", "WTO rules training"),
    ("电子政务建设", "e-government development"),
    ("政府公众信息网改版", "government portal redesign"),
    ("IT项目招标", "IT project tendering"),
    ("安全生产检查", "work safety inspections"),
    ("食品卫生专项整治", "food hygiene campaign"),
    ("农民负担监督", "supervision of farmers' burdens"),
    ("义务教育收费", "compulsory education fees"),
    ("医疗机构收费公示", "hospital fee disclosure"),
    ("粮食直补资金", "direct grain subsidies"),
    ("退耕还林补助", "grain-for-green subsidies"),
    ("公务员考试录用", "civil service recruitment"),
    ("干部任前公示", "pre-appointment notice of officials"),
    ("财政预算执行情况", "budget execution"),
    ("统计公报", "statistical communique"),
    ("招商引资优惠政策", "investment promotion incentives"),
    ("ISO 9001质量认证", "ISO 9001 quality certification"),
    ("城市道路改造", "urban road renovation"),
    ("出租车经营权拍卖", "taxi licence auction"),
    ("矿产资源开采权", "mining rights"),
    ("扶贫开发资金", "poverty alleviation funds"),
    ("环境质量状况", "environmental quality"),
    ("政务大厅服务承诺", "service commitments of the government affairs hall"),
    ("行政首长公开电话", "head-of-government hotline"),
    ("村务公开民主管理", "village affairs disclosure"),
    ("校务公开", "school affairs disclosure"),
    ("医务公开", "hospital affairs disclosure"),
    ("警务公开", "police affairs disclosure"),
]

TITLE_PATTERNS: list[tuple[str, str]] = [
    ("关于{s}的通知", "Notice on {e}"),
    ("关于{s}有关问题的公告", "Announcement on questions of {e}"),
    ("{y}年{s}工作方案", "{y} work programme: {e}"),
    ("{a}{s}情况通报", "{ae}: report on {e}"),
    ("{a}关于{s}的实施意见", "{ae}: implementing opinions on {e}"),
    ("{s}办法（试行）", "Measures on {e} (trial)"),
    ("{y}年上半年{s}进展情况", "Progress on {e}, first half of {y}"),
    ("{s}公示", "Public notice: {e}"),
]

ZH_SENTENCES = [
    "为深入贯彻依法行政的要求，进一步规范政务公开工作，现将有关事项通知如下。",
    "凡是与群众利益密切相关的重要事项，只要不属于国家秘密，都要通过政府公告、政报和政府公众信息网等形式进行公开。",
    "各地、各部门要加强领导，明确责任，确保各项工作落到实处。",
    "公开的内容要真实、准确、完整，不得只公开无关紧要的事项。",
    "对群众反映的问题，要认真调查核实，及时答复处理。",
    "行政审批事项要公开审批依据、条件、程序、时限和收费标准，接受社会监督。",
    "办理结果要在政务大厅公开栏和网站上同步公布。",
    "对不按规定公开或者搞虚假公开的，要依照有关规定追究责任。",
    "各级政务大厅要实行一站式服务，推行首问负责制和服务承诺制。",
    "窗口工作人员要佩戴胸卡，设置桌牌，文明服务，热情接待。",
    "要充分利用电子触摸屏、公开栏和导示图，方便群众查询办事。",
    "本办法自发布之日起施行，由省政务公开领导小组办公室负责解释。",
    "收费项目和标准必须经过物价、财政部门审核，未经公布的一律不得收取。",
    "要建立健全监督检查和考核评议制度，把政务公开工作纳入目标责任制管理。",
    "对提出合理化建议并被采纳、产生显著效益的单位和个人给予表彰奖励。",
    "公共资源配置要做到事前公开资源情况，事中公开配置原则和方法，事后公开配置结果。",
    "各地要在今年上半年开通行政首长公开电话，规范受理、办理和反馈程序。",
    "要及时召开新闻发布会，向社会通报重大决策、经济形势和重大工程建设情况。",
    "涉及群众切身利益的重大决策，要通过听证会、民主评议等形式广泛征求意见。",
    "在WTO规则框架下，进一步提高行政效率，优化经济发展环境。",
    "各单位要于年底前将政务公开工作总结报送省政务公开领导小组办公室。",
    "按照统一规划、分步实施的原则，推进电子政务和网上审批系统建设。",
    "今年全省共受理群众来电来信一万余件，办结率达到百分之九十五以上。",
    "财政资金的分配和使用情况要定期向社会公布，主动接受人大和群众监督。",
    "对公开栏内容要及时更新，过期内容要及时撤换，保证公开信息的时效性。",
    "此项工作由分管副职具体负责，主要领导为第一责任人。",
    "对群众投诉举报的问题，要做到件件有落实、事事有回音。",
    "要把政务公开与转变政府职能、改进机关作风紧密结合起来。",
    "各县（市、区）要参照本方案，结合实际制定具体实施办法。",
    "项目建设单位要严格执行招标投标制度，杜绝暗箱操作。",
    "通过IT手段实现审批流程的网上流转和办理结果的实时查询。",
    "本次评议共发放问卷三千余份，群众满意率为百分之八十七。",
]

EN_SENTENCES = [
    "All matters closely related to the interests of the public shall be made public unless they are state secrets.",
    "Approval items shall disclose their legal basis, conditions, procedure, time limit and fees.",
    "Results shall be published on the notice board of the service hall and on the government website.",
    "Units that fail to disclose or disclose false information shall be held accountable.",
    "Service halls provide one-stop service with a first-inquiry officer and published commitments.",
    "The allocation of public resources is disclosed before, during and after the process.",
    "Heads of government open public hotlines and answer calls within the promised time.",
    "Major decisions affecting the public are subject to hearings and democratic appraisal.",
    "Suggestions adopted into government decisions that produce significant benefits are rewarded.",
    "Each unit reports its disclosure work to the provincial leading group office by the end of the year.",
]

HEADINGS = [
    "一、总体要求",
    "二、主要内容",
    "三、工作措施",
    "四、时间安排",
    "五、监督检查",
    "六、其他事项",
]

TAGS = [
    "政务公开",
    "便民服务",
    "十公开",
    "WTO",
    "电子政务",
    "廉政建设",
    "民生",
    "SARS",
    "budget",
    "procurement",
]

HOTLINE_TOPICS = [
    "城市供热",
    "拖欠工资",
    "道路维修",
    "下岗再就业",
    "低保申请",
    "土地征用补偿",
    "房屋拆迁",
    "环境污染",
    "物价投诉",
    "农民负担",
    "医疗收费",
    "子女入学",
    "户口办理",
    "交通秩序",
    "自来水供应",
    "非典防治",
]
CALL_OUTCOMES = [
    "已转交有关部门办理并答复来电人",
    "已现场解决",
    "已解释说明政策规定",
    "已责成所在县政府限期解决",
    "问题正在协调处理中",
    "不属于受理范围，已告知办理途径",
]

APPROVAL_THINGS: list[tuple[str, str, str]] = [
    ("approval", "建设用地审批", "construction land approval"),
    ("license", "采矿许可证核发", "mining licence"),
    ("license", "企业营业执照登记", "business licence registration"),
    ("license", "药品经营许可证核发", "drug trading licence"),
    ("approval", "建设项目环境影响评价审批", "environmental impact assessment approval"),
    ("license", "建设工程规划许可证核发", "construction planning permit"),
    ("license", "食品卫生许可证核发", "food hygiene licence"),
    ("approval", "税务登记", "tax registration"),
    ("approval", "户口迁移审批", "household registration transfer"),
    ("license", "出租汽车经营许可", "taxi operating permit"),
    ("approval", "民办学校设立审批", "approval of private schools"),
    ("license", "医疗机构执业登记", "medical institution registration"),
    ("enforcement", "消防安全检查", "fire safety inspection"),
    ("license", "道路运输经营许可", "road transport permit"),
    ("approval", "固定资产投资项目核准", "fixed-asset investment project approval"),
    ("fee", "城市基础设施配套费征收", "urban infrastructure fee"),
    ("fee", "排污费征收", "pollutant discharge fee"),
    ("fee", "不动产登记费", "property registration fee"),
    ("enforcement", "价格违法行为处罚", "penalties for price violations"),
    ("enforcement", "产品质量监督抽查", "product quality spot checks"),
    ("approval", "社会团体成立登记", "registration of social organisations"),
    ("license", "广告经营许可证核发", "advertising licence"),
]

MATERIALS = [
    "申请书",
    "营业执照副本复印件",
    "法定代表人身份证明",
    "土地使用证明",
    "项目可行性研究报告",
    "环境影响报告书",
    "资质证书",
    "场地平面图",
    "验资报告",
    "相关部门审查意见",
]
CONDITIONS = [
    "申请人具有独立法人资格",
    "符合国家产业政策",
    "具备相应的场所和设施",
    "有符合规定的专业技术人员",
    "近三年内无重大违法记录",
    "符合土地利用总体规划",
]
LAWS = [
    ("中华人民共和国土地管理法", "第四十四条"),
    ("中华人民共和国药品管理法", "第十四条"),
    ("中华人民共和国矿产资源法", "第三条"),
    ("吉林省行政审批管理办法", "第九条"),
    ("中华人民共和国环境影响评价法", "第二十二条"),
    ("中华人民共和国食品卫生法", "第二十七条"),
    ("中华人民共和国城市规划法", "第三十二条"),
    ("中华人民共和国税收征收管理法", "第十五条"),
]

DISCLOSURE_CATEGORIES = [  # (category, weight)
    ("policy", 10),
    ("decision", 6),
    ("regulation", 5),
    ("announcement", 14),
    ("gazette", 4),
    ("plan", 5),
    ("economy", 4),
    ("major_project", 4),
    ("emergency", 2),
    ("statistics", 5),
    ("budget", 4),
    ("finance", 4),
    ("personnel", 6),
    ("procurement", 6),
    ("convenience", 9),
    ("service", 9),
    ("other", 3),
]

CHANNELS_IN = ["phone", "letter", "email", "box", "window", "online"]

# (slug, zh, en, sector, key)
PROVINCE_DEPTS: list[tuple[str, str, str, str, bool]] = [
    ("fgw", "发展计划委员会", "Development Planning Commission", "government", True),
    ("jmw", "经济贸易委员会", "Economic and Trade Commission", "government", True),
    ("jyt", "教育厅", "Department of Education", "school", True),
    ("kjt", "科学技术厅", "Department of Science and Technology", "government", False),
    ("gat", "公安厅", "Department of Public Security", "police", True),
    ("mzt", "民政厅", "Department of Civil Affairs", "government", True),
    ("sft", "司法厅", "Department of Justice", "government", False),
    ("czt", "财政厅", "Department of Finance", "government", True),
    ("rst", "人事厅", "Department of Personnel", "government", False),
    ("ldt", "劳动和社会保障厅", "Department of Labour and Social Security", "government", True),
    ("gtt", "国土资源厅", "Department of Land and Resources", "government", True),
    ("jst", "建设厅", "Department of Construction", "government", True),
    ("jtt", "交通厅", "Department of Transport", "government", True),
    ("slt", "水利厅", "Department of Water Resources", "government", False),
    ("nyt", "农业厅", "Department of Agriculture", "government", False),
    ("lyt", "林业厅", "Department of Forestry", "government", False),
    ("wht", "文化厅", "Department of Culture", "government", False),
    ("wst", "卫生厅", "Department of Health", "medical", True),
    ("hbj", "环境保护局", "Environmental Protection Bureau", "government", True),
    ("gsj", "工商行政管理局", "Administration for Industry and Commerce", "government", True),
    ("dsj", "地方税务局", "Local Taxation Bureau", "tax", True),
    ("zjj", "质量技术监督局", "Quality and Technical Supervision Bureau", "government", True),
    ("wjj", "物价局", "Price Bureau", "government", True),
    ("ypj", "药品监督管理局", "Drug Administration", "government", True),
    ("sjt", "审计厅", "Audit Office", "government", False),
    ("jct", "监察厅", "Department of Supervision", "government", False),
    ("tjj", "统计局", "Statistics Bureau", "government", False),
    ("bgt", "人民政府办公厅", "General Office of the People's Government", "government", False),
    (
        "gkb",
        "政务公开领导小组办公室",
        "Office of the Leading Group for Government Affairs Disclosure",
        "government",
        False,
    ),
    ("xwb", "人民政府新闻办公室", "Information Office", "government", False),
    ("xfj", "信访局", "Letters and Calls Bureau", "government", False),
    ("lvj", "旅游局", "Tourism Bureau", "government", False),
    ("tyj", "体育局", "Sports Bureau", "government", False),
]

# (slug, zh, en, area code, counties [(slug, zh, en, suffix)])
CITIES: list[tuple[str, str, str, str, list[tuple[str, str, str]]]] = [
    (
        "changchun",
        "长春市",
        "Changchun",
        "0431",
        [
            ("nongan", "农安县", "Nong'an County"),
            ("jiutai", "九台市", "Jiutai"),
            ("yushu", "榆树市", "Yushu"),
            ("dehui", "德惠市", "Dehui"),
            ("shuangyang", "双阳区", "Shuangyang District"),
            ("chaoyang", "朝阳区", "Chaoyang District"),
        ],
    ),
    (
        "jilin-city",
        "吉林市",
        "Jilin City",
        "0432",
        [
            ("yongji", "永吉县", "Yongji County"),
            ("jiaohe", "蛟河市", "Jiaohe"),
            ("huadian", "桦甸市", "Huadian"),
            ("shulan", "舒兰市", "Shulan"),
            ("panshi", "磐石市", "Panshi"),
            ("chuanying", "船营区", "Chuanying District"),
        ],
    ),
    (
        "siping",
        "四平市",
        "Siping",
        "0434",
        [
            ("lishu", "梨树县", "Lishu County"),
            ("yitong", "伊通满族自治县", "Yitong Manchu Autonomous County"),
            ("gongzhuling", "公主岭市", "Gongzhuling"),
            ("shuangliao", "双辽市", "Shuangliao"),
            ("tiexi", "铁西区", "Tiexi District"),
        ],
    ),
    (
        "liaoyuan",
        "辽源市",
        "Liaoyuan",
        "0437",
        [
            ("dongfeng", "东丰县", "Dongfeng County"),
            ("dongliao", "东辽县", "Dongliao County"),
            ("longshan", "龙山区", "Longshan District"),
            ("xian-qu", "西安区", "Xi'an District"),
        ],
    ),
    (
        "tonghua",
        "通化市",
        "Tonghua",
        "0435",
        [
            ("tonghua-xian", "通化县", "Tonghua County"),
            ("huinan", "辉南县", "Huinan County"),
            ("liuhe", "柳河县", "Liuhe County"),
            ("meihekou", "梅河口市", "Meihekou"),
            ("jian", "集安市", "Ji'an"),
        ],
    ),
    (
        "baishan",
        "白山市",
        "Baishan",
        "0439",
        [
            ("fusong", "抚松县", "Fusong County"),
            ("jingyu", "靖宇县", "Jingyu County"),
            ("changbai", "长白朝鲜族自治县", "Changbai Korean Autonomous County"),
            ("linjiang", "临江市", "Linjiang"),
            ("jiangyuan", "江源县", "Jiangyuan County"),
        ],
    ),
    (
        "songyuan",
        "松原市",
        "Songyuan",
        "0438",
        [
            ("qianguo", "前郭尔罗斯蒙古族自治县", "Qian Gorlos Mongol Autonomous County"),
            ("changling", "长岭县", "Changling County"),
            ("qianan", "乾安县", "Qian'an County"),
            ("fuyu", "扶余县", "Fuyu County"),
            ("ningjiang", "宁江区", "Ningjiang District"),
        ],
    ),
    (
        "baicheng",
        "白城市",
        "Baicheng",
        "0436",
        [
            ("zhenlai", "镇赉县", "Zhenlai County"),
            ("tongyu", "通榆县", "Tongyu County"),
            ("taonan", "洮南市", "Taonan"),
            ("daan", "大安市", "Da'an"),
            ("taobei", "洮北区", "Taobei District"),
        ],
    ),
    (
        "yanbian",
        "延边朝鲜族自治州",
        "Yanbian Korean Autonomous Prefecture",
        "0433",
        [
            ("yanji", "延吉市", "Yanji"),
            ("tumen", "图们市", "Tumen"),
            ("dunhua", "敦化市", "Dunhua"),
            ("hunchun", "珲春市", "Hunchun"),
            ("longjing", "龙井市", "Longjing"),
            ("helong", "和龙市", "Helong"),
            ("wangqing", "汪清县", "Wangqing County"),
            ("antu", "安图县", "Antu County"),
        ],
    ),
]

CITY_DEPTS: list[tuple[str, str, str, bool]] = [  # (slug, zh, en, key)
    ("gtj", "国土资源局", "Land and Resources Bureau", True),
    ("gsj", "工商行政管理局", "Administration for Industry and Commerce", False),
    ("dsj", "地方税务局", "Local Taxation Bureau", False),
    ("jsj", "建设局", "Construction Bureau", False),
    ("fwzx", "行政服务中心", "Administrative Service Centre", False),
]

TOWNSHIPS: list[tuple[str, str]] = [
    ("hongqi", "红旗"),
    ("yongan", "永安"),
    ("xinli", "新立"),
    ("taiping", "太平"),
    ("xinglong", "兴隆"),
    ("heping", "和平"),
    ("qianjin", "前进"),
    ("shengli", "胜利"),
    ("sihe", "四合"),
    ("shuanghe", "双河"),
    ("daling", "大岭"),
    ("heilin", "黑林"),
    ("changan", "长安"),
    ("fuxing", "复兴"),
    ("sanhe", "三合"),
]

# Working-day calendar of the State Council notices for 2002 and 2003 (the
# calendar packages do not reach back that far). 2003's May Day week was cut
# to the statutory days because of SARS.
HOLIDAYS_2002_2003 = [
    "2002-01-01",
    "2002-01-02",
    "2002-01-03",
    *(f"2002-02-{d:02d}" for d in range(12, 19)),
    *(f"2002-05-{d:02d}" for d in range(1, 8)),
    *(f"2002-10-{d:02d}" for d in range(1, 8)),
    "2003-01-01",
    *(f"2003-02-{d:02d}" for d in range(1, 8)),
    "2003-05-01",
    "2003-05-02",
    "2003-05-03",
    *(f"2003-10-{d:02d}" for d in range(1, 8)),
]
EXTRA_WORKDAYS_2002_2003 = [
    "2002-02-09",
    "2002-02-10",
    "2002-04-27",
    "2002-04-28",
    "2002-09-28",
    "2002-09-29",
    "2003-02-08",
    "2003-02-09",
    "2003-09-27",
    "2003-09-28",
]

START = _dt.datetime(2002, 1, 1)
END = _dt.datetime(2003, 12, 31, 23, 59)
DAYS = (END - START).days + 1  # 730

_HOLIDAY_SET = frozenset(HOLIDAYS_2002_2003)
_WORK_SET = frozenset(EXTRA_WORKDAYS_2002_2003)


def _is_workday(d: _dt.datetime) -> bool:
    iso = d.strftime("%Y-%m-%d")
    if iso in _WORK_SET:
        return True
    return d.weekday() < 5 and iso not in _HOLIDAY_SET


# --------------------------------------------------------------------------
# Serialisation
# --------------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    # JSON string escapes are a subset of TOML basic-string escapes.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_table(record: Record, skip: tuple[str, ...] = ()) -> str:
    return "".join(
        f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in record.items() if k not in skip
    )


class _Writer:
    """Writes the records of one type in files of at most MAX_PER_FILE."""

    def __init__(self, root: Path, rtype: str, fmt: str) -> None:
        self.dir = root / "records" / rtype
        self.dir.mkdir(parents=True, exist_ok=True)
        self.rtype = rtype
        self.fmt = fmt
        self.buf: list[Record] = []
        self.files = 0
        self.count = 0

    def add(self, record: Record) -> None:
        self.count += 1
        if self.fmt == "md":
            self._write_md(record)
            return
        self.buf.append(record)
        if len(self.buf) >= MAX_PER_FILE:
            self.flush()

    def extend(self, records: Iterable[Record]) -> None:
        for r in records:
            self.add(r)

    def flush(self) -> None:
        if not self.buf:
            return
        self.files += 1
        path = self.dir / f"{self.rtype}-{self.files:04d}.{self.fmt}"
        if self.fmt == "jsonl":
            text = "".join(
                json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in self.buf
            )
        elif self.fmt == "json":
            text = json.dumps(self.buf, ensure_ascii=False, indent=1) + "\n"
        else:  # toml
            head = f"[[{self.rtype}]]\n"
            text = "\n".join(head + _toml_table(r, skip=("type",)) for r in self.buf)
        path.write_text(text, encoding="utf-8")
        self.buf = []

    def _write_md(self, record: Record) -> None:
        # One file per record; at most MAX_PER_FILE files per folder.
        sub = self.dir / f"{(self.count - 1) // MAX_PER_FILE + 1:04d}"
        if (self.count - 1) % MAX_PER_FILE == 0:
            sub.mkdir(exist_ok=True)
        body = record.get("body")
        if isinstance(body, dict):
            body = body["zh-CN"]
        front = _toml_table(record, skip=("body",))
        text = f"+++\n{front}+++\n\n{body}\n" if body else f"+++\n{front}+++\n"
        (sub / f"{record['id']}.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------


def plan_counts(n: int, n_agencies: int = 200) -> dict[str, int]:
    """How many records of each type a corpus of ``n`` records holds."""
    if n < len(RECORD_TYPES):
        raise ValueError(f"need at least {len(RECORD_TYPES)} records (one per type), got {n}")
    counts = {t: max(1, round(w * n)) for t, w in WEIGHTS.items()}
    counts["work_plan"] = 1
    # One evaluation per agency and year at most; a hotline per agency at most.
    caps = {"evaluation": 2 * n_agencies, "hotline": n_agencies}
    for t, cap in caps.items():
        if counts[t] > cap:
            counts["disclosure"] += counts[t] - cap
            counts[t] = cap
    rest = n - sum(counts.values())
    # Absorb the rounding remainder in the biggest types, keeping one of each.
    for t in ("case", "hotline_call", "disclosure", "news_release", "complaint", "approval_item"):
        if rest >= 0:
            break
        take = min(-rest, counts[t] - 1)
        counts[t] -= take
        rest += take
    counts["case"] += max(rest, 0)
    if sum(counts.values()) != n:  # pragma: no cover - a bug in the arithmetic above
        raise RuntimeError(f"counts {counts} do not add up to {n}")
    return counts


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)
        self.agencies: list[Record] = []
        self.by_id: dict[str, Record] = {}
        self.area: dict[str, str] = {}  # agency id -> phone area code

    # -- small helpers --------------------------------------------------

    def person(self) -> str:
        r = self.rng
        given = r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
        return r.choice(SURNAMES) + given

    def phone(self, agency: str) -> str:
        return f"{self.area.get(agency, '0431')}-{self.rng.randint(2000000, 8999999)}"

    def sha(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    def day(self, lo: int = 0, hi: int = DAYS - 1) -> _dt.datetime:
        d = START + _dt.timedelta(days=self.rng.randint(lo, hi))
        if not _is_workday(d) and self.rng.random() < 0.9:
            for _ in range(5):
                d += _dt.timedelta(days=1)
                if _is_workday(d):
                    break
        return min(d, END.replace(hour=0, minute=0))

    def moment(self, lo: int = 0, hi: int = DAYS - 1) -> _dt.datetime:
        d = self.day(lo, hi)
        return d.replace(hour=self.rng.randint(8, 17), minute=self.rng.randrange(0, 60, 5))

    @staticmethod
    def ts(d: _dt.datetime, aware: bool = True) -> str:
        s = d.strftime("%Y-%m-%dT%H:%M:%S")
        return s + "+08:00" if aware else s

    @staticmethod
    def date(d: _dt.datetime) -> str:
        return d.strftime("%Y-%m-%d")

    def after(self, d: _dt.datetime, lo_days: int, hi_days: int) -> _dt.datetime | None:
        """A working-hours moment lo..hi days after d, or None past 2003."""
        e = d + _dt.timedelta(
            days=self.rng.randint(lo_days, hi_days), minutes=self.rng.randrange(0, 480, 5)
        )
        if e.hour >= 18:  # after hours: the next morning
            e = (e + _dt.timedelta(days=1)).replace(hour=self.rng.randint(8, 10))
        return e if e <= END else None

    def body(self, lo: int = 200, hi: int = 2000, en: bool = False) -> str:
        r = self.rng
        target = int(r.triangular(lo, hi, lo + (hi - lo) / 4))
        pool = EN_SENTENCES if en else ZH_SENTENCES
        parts: list[str] = []
        size = 0
        heading = 0
        while size < target:
            if (en is False) and heading < len(HEADINGS) and (not parts or r.random() < 0.15):
                block = f"## {HEADINGS[heading]}"
                heading += 1
            elif r.random() < 0.12:
                block = "\n".join(f"- {s}" for s in r.sample(pool, 3))
            else:
                block = ("" if en is False else " ").join(
                    r.choice(pool) for _ in range(r.randint(2, 4))
                )
            if size + len(block) + 2 > hi and size >= lo:
                break
            parts.append(block)
            size += len(block) + 2
        text = "\n\n".join(parts)
        return text[:hi]

    def title(
        self, agency: Record, year: int, subject: tuple[str, str] | None = None
    ) -> dict[str, str]:
        r = self.rng
        s, e = subject or r.choice(SUBJECTS)
        for _ in range(4):
            zh_p, en_p = r.choice(TITLE_PATTERNS)
            zh = zh_p.format(s=s, y=year, a=agency["short_name"])
            if 10 <= len(zh) <= 40:
                break
        else:
            zh_p, en_p = "{a}关于{s}的通知", "{ae}: notice on {e}"
            zh = _fit(
                zh_p.format(s=s, a=agency["short_name"]), agency["name"]["zh-CN"] + s + "通知"
            )
        en = en_p.format(e=e, y=year, ae=agency["name"]["en"])
        return {"zh-CN": zh, "en": en}

    def summary(self, agency: Record, subject: tuple[str, str]) -> dict[str, str]:
        s, e = subject
        i = self.rng.randrange(3)
        if i == 0:
            return {
                "zh-CN": f"{agency['short_name']}公布{s}有关情况，接受社会监督。",
                "en": f"{agency['name']['en']} publishes information on {e} for public scrutiny.",
            }
        if i == 1:
            return {
                "zh-CN": f"本文件对{s}的范围、程序和时限作出规定，自发布之日起施行。",
                "en": f"Sets out the scope, procedure and time limits of {e}; in force on publication.",
            }
        return {
            "zh-CN": f"就{s}征求社会各界意见，并公开办理结果。",
            "en": f"Public comment is invited on {e}; the results will be published.",
        }

    def attachment(self, rid: str, i: int) -> Record:
        return {
            "title": {"zh-CN": f"附件{i + 1}", "en": f"Annex {i + 1}"},
            "url": f"https://gk.example.gov.cn/files/{rid}/annex-{i + 1}.pdf",
            "media_type": "application/pdf",
            "sha256": self.sha(),
            "bytes": self.rng.randint(20_000, 3_000_000),
        }

    def flags(self, rec: Record, issued: _dt.datetime, *, internal_ok: bool = True) -> None:
        """Audience, classification, status, embargo and changes, at a few %.

        Types whose own ``status`` field has a type-specific enum (allocation,
        suggestion, complaint, ...) get no draft/withdrawn status: MODEL.md
        gives them one ``status`` name for both meanings.
        """
        r = self.rng
        own_status = rec["type"] in OWN_STATUS
        x = r.random()
        if internal_ok and x < 0.04:
            rec["audience"] = "internal"
        x = r.random()
        if x < 0.01:
            rec["classification"] = "secret"
        elif x < 0.02:
            rec["classification"] = "restricted"
        x = r.random()
        if own_status:
            pass
        elif x < 0.02:
            rec["status"] = "draft"
        elif x < 0.035:
            on = self.after(issued, 5, 200) or END
            rec["status"] = "withdrawn"
            rec["withdrawn"] = {
                "on": self.date(on),
                "reason": r.choice(
                    ["内容有误，已重新发布", "政策已废止", "信息已过时效", "依申请人异议撤回"]
                ),
            }
        x = r.random()
        if x < 0.03:
            emb = self.after(issued, 1, 60)
            if emb is not None:
                rec["publish_at"] = self.ts(emb)
        if r.random() < 0.05:
            at = self.after(issued, 1, 90)
            if at is not None:
                changes = [{"at": self.ts(at), "note": "更正文字错误", "major": False}]
                at2 = self.after(at, 1, 60)
                if at2 is not None and r.random() < 0.5:
                    changes.append({"at": self.ts(at2), "note": "补充办理结果", "major": True})
                    at = at2
                rec["changes"] = changes
                rec["updated_at"] = self.ts(at)

    # -- agencies -------------------------------------------------------

    def make_agencies(self) -> None:
        r = self.rng

        def add(
            aid: str,
            zh: str,
            en: str,
            short: str,
            level: str,
            parent: str | None,
            kind: str,
            key: bool,
            sector: str,
            area: str,
            head_title: str,
        ) -> None:
            self.area[aid] = area
            a: Record = {
                "id": aid,
                "name": {"zh-CN": zh, "en": en},
                "short_name": short,
                "level": level,
            }
            if parent:
                a["parent"] = parent
            a["kind"] = kind
            a["key_department"] = key
            a["sector"] = sector
            a["address"] = f"{zh[:3]}人民大街{r.randint(1, 9999)}号"
            a["website"] = f"https://{aid}.example.gov.cn/"
            a["contact"] = {
                "unit": zh,
                "phone": self.phone(aid),
                "email": f"gk@{aid}.example.gov.cn",
                "hours": "周一至周五 8:30-11:30, 13:00-17:00",
            }
            a["head"] = {"name": self.person(), "title": head_title}
            a["deputy_in_charge"] = {"name": self.person(), "title": "副" + head_title}
            self.agencies.append(a)
            self.by_id[aid] = a

        add(
            "jl",
            "吉林省人民政府",
            "People's Government of Jilin Province",
            "省政府",
            "province",
            None,
            "government",
            False,
            "government",
            "0431",
            "省长",
        )
        for slug, zh, en, sector, key in PROVINCE_DEPTS:
            head = (
                "主任"
                if zh.endswith(("委员会", "办公室"))
                else ("局长" if zh.endswith("局") else "厅长")
            )
            add(
                f"jl-{slug}",
                f"吉林省{zh}",
                f"Jilin {en}",
                f"省{zh}",
                "province",
                "jl",
                "department",
                key,
                sector,
                "0431",
                head,
            )
        counties: list[tuple[str, str, str]] = []
        for slug, zh, en, area, cs in CITIES:
            add(
                slug,
                f"{zh}人民政府",
                f"People's Government of {en}",
                zh,
                "city",
                "jl",
                "government",
                False,
                "government",
                area,
                "州长" if zh.endswith("州") else "市长",
            )
            for dslug, dzh, den, city_key in CITY_DEPTS:
                key = city_key and slug in ("changchun", "jilin-city", "siping", "yanbian")
                kind = "window_unit" if dslug == "fwzx" else "department"
                add(
                    f"{slug}-{dslug}",
                    f"{zh}{dzh}",
                    f"{en} {den}",
                    f"{zh}{dzh}",
                    "city",
                    slug,
                    kind,
                    key,
                    "tax" if dslug == "dsj" else "government",
                    area,
                    "主任" if dslug == "fwzx" else "局长",
                )
            for cslug, czh, cen in cs:
                counties.append((cslug, czh, area))
                head = "县长" if czh.endswith("县") else ("区长" if czh.endswith("区") else "市长")
                add(
                    cslug,
                    f"{czh}人民政府",
                    f"People's Government of {cen}",
                    czh,
                    "county",
                    slug,
                    "government",
                    False,
                    "government",
                    area,
                    head,
                )
        need = 200 - len(self.agencies)
        for i in range(need):
            cslug, czh, area = counties[i % len(counties)]
            tslug, tzh = TOWNSHIPS[(i // len(counties)) % len(TOWNSHIPS) + (i % 3)]
            suffix = r.choice(["镇", "乡"])
            add(
                f"{cslug}-{tslug}",
                f"{czh}{tzh}{suffix}人民政府",
                f"People's Government of {tslug.capitalize()} {'Town' if suffix == '镇' else 'Township'}, {czh}",
                f"{tzh}{suffix}",
                "township",
                cslug,
                "government",
                False,
                "government",
                area,
                suffix + "长",
            )
        if not len(self.by_id) == len(self.agencies) == 200:  # pragma: no cover - table typo
            raise RuntimeError("agency ids are not unique")

        self.governments = [a["id"] for a in self.agencies if a["kind"] == "government"]
        self.departments = [
            a["id"] for a in self.agencies if a["kind"] in ("department", "window_unit")
        ]
        self.keys = [a["id"] for a in self.agencies if a["key_department"]]
        self.publishers = [a["id"] for a in self.agencies]
        # Disclosing agencies, weighted: departments and big governments publish more.
        weights = []
        for a in self.agencies:
            w = {"province": 8, "city": 4, "county": 2, "township": 1}[a["level"]]
            weights.append(w * (2 if a["key_department"] else 1))
        self._cum = _cumulative(weights)

    def any_agency(self) -> Record:
        return self.agencies[_pick(self.rng, self._cum)]

    # -- approval items, halls, windows ----------------------------------

    def make_items(self, n: int) -> list[Record]:
        r = self.rng
        owners = self.keys + [a for a in self.departments if a not in self.keys]
        items = []
        for i in range(n):
            agency = owners[i % len(owners)] if r.random() < 0.8 else r.choice(self.departments)
            kind, zh, en = APPROVAL_THINGS[(i * 7 + r.randrange(3)) % len(APPROVAL_THINGS)]
            a = self.by_id[agency]
            issued = self.moment(0, 400)
            statutory = r.choice([5, 10, 15, 20, 20, 30, 60])
            promised = max(1, statutory - r.choice([0, 0, 2, 5, statutory // 2]))
            steps = ["受理", "审查", "现场核查", "决定", "送达"][: r.randint(3, 5)]
            rid = f"item-{i + 1:05d}"
            rec: Record = {
                "type": "approval_item",
                "id": rid,
                "agency": agency,
                "kind": kind,
                "title": {
                    "zh-CN": _fit(f"{a['short_name']}{zh}", a["name"]["zh-CN"] + zh),
                    "en": f"{a['name']['en']}: {en}",
                },
                "summary": {
                    "zh-CN": f"{zh}的依据、条件、程序、时限和收费标准。",
                    "en": f"Basis, conditions, procedure, time limit and fees of {en}.",
                },
                "issued_at": self.ts(issued),
                "handling_unit": a["name"]["zh-CN"]
                + r.choice(["行政审批办公室", "审批科", "政务大厅窗口"]),
                "legal_basis": [
                    {"title": t, "article": art, "url": f"https://law.example.gov.cn/{k}"}
                    for k, (t, art) in enumerate(r.sample(LAWS, r.randint(1, 3)))
                ],
                "conditions": r.sample(CONDITIONS, r.randint(2, 4)),
                "materials": r.sample(MATERIALS, r.randint(3, 6)),
                "procedure": [
                    {
                        "title": s,
                        "detail": f"{s}环节由{a['short_name']}承办。",
                        "days": max(1, promised // len(steps)),
                    }
                    for s in steps
                ],
                "time_limit": {
                    "statutory": statutory,
                    "promised": promised,
                    "unit": "working_days" if r.random() < 0.9 else "calendar_days",
                },
                "results": {
                    "channel": "政务公开栏和政府网站",
                    "url": f"https://gk.example.gov.cn/results/{rid}",
                    "note": "办理结果自决定之日起5个工作日内公布",
                },
                "discipline": "严禁吃拿卡要，严禁乱收费，严格执行首问负责制和限时办结制。",
                "accountability": "对违反规定的工作人员，依照《吉林省政务公开责任追究办法》严肃处理。",
                "complaint": [{"unit": f"{a['name']['zh-CN']}监察室", "phone": self.phone(agency)}],
            }
            if kind == "fee" or r.random() < 0.3:
                rec["fees"] = [
                    {
                        "name": f"{zh}费" if kind == "fee" else "工本费",
                        "amount": {
                            "amount": f"{r.randint(5, 5000)}.{r.choice(['00', '50'])}",
                            "currency": "CNY",
                        },
                        "basis": "吉价费字〔2001〕" + str(r.randint(10, 99)) + "号",
                    }
                ]
            else:
                rec["fees"] = []
            if r.random() < 0.93:
                rec["catalogue"] = {
                    "document": f"吉政发〔2002〕{r.randint(1, 40)}号",
                    "approved_on": self.date(self.day(0, 120)),
                }
            if a["key_department"] and r.random() < 0.9:
                rec["review"] = {
                    "by": "吉林省政务公开领导小组办公室",
                    "on": self.date(self.day(60, 200)),
                    "ref": f"吉政公开审〔2002〕{r.randint(1, 99)}号",
                }
            if r.random() < 0.3:
                rec["online_url"] = f"https://wsbs.example.gov.cn/items/{rid}"
            # A few items lack facets, as real catalogues do (the audit finds them).
            x = r.random()
            if x < 0.03:
                del rec["discipline"]
            elif x < 0.05:
                del rec["complaint"]
            self.flags(rec, issued, internal_ok=False)
            items.append(rec)
        return items

    def make_halls(self, n: int) -> list[Record]:
        r = self.rng
        halls = []
        hosts = [
            a for a in self.governments if self.by_id[a]["level"] in ("province", "city", "county")
        ]
        for i in range(n):
            agency = hosts[i % len(hosts)]
            a = self.by_id[agency]
            kind = (
                "government_affairs"
                if i == 0
                else r.choice(
                    ["government_affairs", "comprehensive", "department", "certificate", "online"]
                )
            )
            if n == 1:
                kind = "government_affairs"
            rec: Record = {
                "type": "service_hall",
                "id": f"hall-{i + 1:04d}",
                "agency": agency,
                "name": {
                    "zh-CN": f"{a['short_name']}政务大厅"
                    if kind != "online"
                    else f"{a['short_name']}网上审批大厅",
                    "en": f"{a['name']['en']}: {'online' if kind == 'online' else 'government affairs'} hall",
                },
                "address": a["address"],
                "kind": kind,
                "hours": "周一至周五 8:30-17:00，周六 9:00-12:00",
            }
            if kind == "online" or r.random() < 0.3:
                rec["online_url"] = f"https://wsbs.example.gov.cn/{rec['id']}/"
            halls.append(rec)
        return halls

    def make_windows(self, n: int, halls: list[Record], items: list[Record]) -> list[Record]:
        r = self.rng
        physical = [h for h in halls if h["kind"] != "online"] or halls
        by_agency: dict[str, list[Record]] = {}
        for it in items:
            by_agency.setdefault(it["agency"], []).append(it)
        owners = list(by_agency)
        windows = []
        for i in range(n):
            hall = physical[i % len(physical)]
            agency = owners[i % len(owners)]
            pool = by_agency[agency]
            services = r.sample(pool, min(len(pool), r.randint(1, 4)))
            a = self.by_id[agency]
            wid = f"win-{i + 1:05d}"
            num = f"{chr(65 + (i // 50) % 6)}{i % 50 + 1:02d}"
            guide = [f"# {a['short_name']}办事指南"]
            for it in services:
                guide.append(
                    f"## {it['title']['zh-CN']}\n\n- 办理条件：{'；'.join(it['conditions'])}\n"
                    f"- 所需材料：{'、'.join(it['materials'])}\n"
                    f"- 承诺时限：{it['time_limit']['promised']}个工作日"
                )
            staff = [
                {"name": self.person(), "badge": f"JL{r.randint(10000, 99999)}", "role": role}
                for role in ["窗口负责人", "受理员", "受理员"][: r.randint(1, 3)]
            ]
            rec: Record = {
                "type": "service_window",
                "id": wid,
                "agency": agency,
                "hall": hall["id"],
                "number": num,
                "name": {"zh-CN": f"{a['short_name']}窗口", "en": f"{a['name']['en']} window"},
                "services": [it["id"] for it in services],
                "hours": hall["hours"],
                "guide": "\n\n".join(guide),
                "commitments": [
                    {
                        "text": f"{it['title']['zh-CN']}{it['time_limit']['promised']}个工作日内办结",
                        "target_days": it["time_limit"]["promised"],
                        "item": it["id"],
                    }
                    for it in services
                ],
                "staff": staff,
                "first_inquiry_officer": staff[0]["name"],
                "nameplates": r.random() < 0.95,
            }
            if r.random() < 0.04:  # incomplete windows exist
                del rec["commitments"]
            windows.append(rec)
            for it in services:
                it.setdefault("windows", []).append(wid)
        # The guide map: windows placed on the floors of their hall.
        per_hall: dict[str, list[Record]] = {}
        for w in windows:
            per_hall.setdefault(w["hall"], []).append(w)
        for h in halls:
            ws = per_hall.get(h["id"], [])
            if not ws:
                continue
            floors = []
            for f in range(0, len(ws), 24):
                chunk = ws[f : f + 24]
                floors.append(
                    {
                        "label": f"{f // 24 + 1}F",
                        "windows": [
                            {"window": w["id"], "x": 40 + (k % 8) * 110, "y": 60 + (k // 8) * 140}
                            for k, w in enumerate(chunk)
                        ],
                    }
                )
            h["floors"] = floors
        return windows

    # -- hotlines and calls --------------------------------------------

    def make_hotlines(self, n: int) -> list[Record]:
        r = self.rng
        order = self.governments + self.keys + self.departments
        seen: dict[str, None] = {}
        for a in order:
            seen.setdefault(a, None)
        owners = list(seen)[:n]
        lines = []
        for agency in owners:
            a = self.by_id[agency]
            opened = self.day(0, 500)
            status = "open"
            if a["level"] == "township" and r.random() < 0.2:
                status = "planned"
            elif r.random() < 0.02:
                status = "closed"
            rec: Record = {
                "type": "hotline",
                "id": f"hotline-{agency}",
                "agency": agency,
                "title": {
                    "zh-CN": f"{a['short_name']}行政首长公开电话",
                    "en": f"{a['name']['en']}: head-of-government hotline",
                },
                "number": self.phone(agency),
                "level": a["level"],
                "owner": dict(a["head"]),
                "hours": "工作日 8:00-17:00",
                "opened_on": self.date(opened),
                "status": status,
                "due_days": r.choice([5, 7, 10, 15]),
            }
            lines.append(rec)
        return lines

    def calls(self, n: int, hotlines: list[Record]) -> Iterable[Record]:
        r = self.rng
        open_lines = [h for h in hotlines if h["status"] != "planned"] or hotlines
        for i in range(n):
            h = open_lines[i % len(open_lines)] if r.random() < 0.5 else r.choice(open_lines)
            got = self.moment()
            accepted = r.random() < 0.9
            rec: Record = {
                "type": "hotline_call",
                "id": f"call-{got.year}-{i + 1:07d}",
                "agency": h["agency"],
                "hotline": h["id"],
                "received_at": self.ts(got, aware=False),
                "topic": r.choice(HOTLINE_TOPICS),
                "accepted": accepted,
            }
            if accepted:
                handled = self.after(got, 0, h["due_days"] + 8)
                if handled is not None:
                    rec["handled_at"] = self.ts(handled, aware=False)
                    closed = self.after(handled, 0, 5)
                    if closed is not None:
                        rec["closed_at"] = self.ts(closed, aware=False)
                        rec["outcome"] = r.choice(CALL_OUTCOMES)
                        if r.random() < 0.8:
                            rec["satisfied"] = r.random() < 0.85
            else:
                rec["outcome"] = CALL_OUTCOMES[-1]
            yield rec

    # -- cases ------------------------------------------------------------

    def cases(self, n: int, items: list[Record]) -> Iterable[Record]:
        r = self.rng
        cum = _cumulative([3 if self.by_id[it["agency"]]["key_department"] else 1 for it in items])
        orgs = [
            "有限责任公司",
            "股份有限公司",
            "建筑工程公司",
            "商贸公司",
            "农业合作社",
            "医院",
            "学校",
        ]
        for i in range(n):
            it = items[_pick(r, cum)]
            got = self.moment()
            limit = it["time_limit"]["promised"]
            x = r.random()
            outcome = (
                "approved"
                if x < 0.76
                else "rejected"
                if x < 0.84
                else "pending"
                if x < 0.91
                else "withdrawn"
                if x < 0.95
                else "transferred"
            )
            org = r.random() < 0.45
            rec: Record = {
                "type": "case",
                "id": f"case-{got.year}-{i + 1:07d}",
                "agency": it["agency"],
                "item": it["id"],
                "received_at": self.ts(got, aware=False),
            }
            if outcome != "pending":
                late = r.random() < 0.06
                days = int(limit * 1.4) + r.randint(1, 15) if late else r.randint(0, max(1, limit))
                decided = self.after(got, days, days + 2 * (days // 5))
                if decided is None:
                    outcome = "pending"
                else:
                    rec["decided_at"] = self.ts(decided, aware=False)
            rec["outcome"] = outcome
            if r.random() < 0.05:
                rec["suspended_days"] = r.randint(1, 20)
            rec["applicant_kind"] = "organisation" if org else "person"
            if org:
                city = self.by_id[it["agency"]]["short_name"][:2]
                rec["applicant_name"] = (
                    f"{city}{r.choice(SURNAMES)}{r.choice(GIVEN)}{r.choice(orgs)}"
                )
            if outcome in ("approved", "rejected"):
                rec["decision_ref"] = f"{it['id']}-{got.year}-{i + 1:07d}"
                rec["result_summary"] = (
                    "准予许可" if outcome == "approved" else "不予许可：申请材料不符合法定条件"
                )
            yield rec

    # -- disclosures -------------------------------------------------------

    def disclosures(self, n: int, items: list[Record], sink: list[str]) -> Iterable[Record]:
        r = self.rng
        cats = [c for c, _ in DISCLOSURE_CATEGORIES]
        cum = _cumulative([w for _, w in DISCLOSURE_CATEGORIES])
        by_agency: dict[str, list[str]] = {}
        superseded: set[str] = set()
        for i in range(n):
            a = self.any_agency()
            cat = cats[_pick(r, cum)]
            issued = self.moment()
            subject = r.choice(SUBJECTS)
            rid = f"gk-{issued.year}-{i + 1:06d}"
            rec: Record = {
                "type": "disclosure",
                "id": rid,
                "agency": a["id"],
                "category": cat,
                "title": self.title(a, issued.year, subject),
                "summary": self.summary(a, subject),
            }
            zh = self.body()
            rec["body"] = (
                {"zh-CN": zh, "en": self.body(200, 800, en=True)} if r.random() < 0.1 else zh
            )
            rec["issued_at"] = self.ts(issued)
            if cat in ("announcement", "procurement", "personnel") and r.random() < 0.5:
                exp = self.after(issued, 30, 180)
                if exp is not None:
                    rec["expires_at"] = self.ts(exp)
            if a["level"] == "township" and r.random() < 0.3:
                rec["sector"] = "village"
            elif a["sector"] != "government":
                rec["sector"] = a["sector"]
            rec["tags"] = r.sample(TAGS, r.randint(1, 3))
            mine = by_agency.setdefault(a["id"], [])
            if mine and r.random() < 0.1:
                rec["related"] = [f"disclosure:{r.choice(mine)}"]
                if r.random() < 0.3:
                    rec["related"].append(f"approval_item:{r.choice(items)['id']}")
            if mine and r.random() < 0.01:
                old = r.choice(mine)
                if old not in superseded:
                    superseded.add(old)
                    rec["supersedes"] = old
            if r.random() < 0.15:
                rec["attachments"] = [self.attachment(rid, k) for k in range(r.randint(1, 3))]
            if r.random() < 0.02:
                rec["channels"] = r.sample(["site", "feeds", "kiosk"], 2)
            self.flags(rec, issued)
            if cat in ("personnel", "finance") and r.random() < 0.3:
                rec["audience"] = "internal"
            mine.append(rid)
            sink.append(rid)
            yield rec

    # -- press ------------------------------------------------------------

    def press(self, n_conf: int, n_news: int) -> tuple[list[Record], list[Record]]:
        r = self.rng
        hosts = ["jl-xwb", *self.governments[:10], *self.keys]
        confs = []
        for i in range(n_conf):
            agency = hosts[i % len(hosts)]
            a = self.by_id[agency]
            when = self.moment(10, DAYS - 1).replace(hour=r.choice([9, 10, 14, 15]), minute=0)
            subject = r.choice(SUBJECTS)
            status = "held" if when < _dt.datetime(2003, 12, 1) else "scheduled"
            if r.random() < 0.03:
                status = "cancelled"
            spk = [
                {"name": self.person(), "title": t, "agency": ag}
                for t, ag in [("新闻发言人", agency), (a["head"]["title"], agency)][
                    : r.randint(1, 2)
                ]
            ]
            rec: Record = {
                "type": "press_conference",
                "id": f"conf-{when.year}-{i + 1:04d}",
                "agency": agency,
                "title": {
                    "zh-CN": _fit(
                        f"{subject[0]}新闻发布会", f"{a['short_name']}{subject[0]}新闻发布会"
                    ),
                    "en": f"Press conference: {subject[1]}",
                },
                "summary": self.summary(a, subject),
                "issued_at": self.ts(when - _dt.timedelta(days=3)),
                "scheduled_at": self.ts(when),
                "venue": "吉林省人民政府新闻发布厅",
                "status": status,
                "speakers": spk,
                "agenda": [
                    {
                        "at": self.ts(when + _dt.timedelta(minutes=15 * k)),
                        "item": item,
                        "speaker": spk[min(k, len(spk) - 1)]["name"],
                    }
                    for k, item in enumerate(["主持人介绍", "发布新闻", "答记者问"])
                ],
                "releases": [],
            }
            if status == "held":
                rec["qa"] = [
                    {
                        "question": f"请介绍{subject[0]}的进展情况。",
                        "answer": r.choice(ZH_SENTENCES),
                        "outlet": r.choice(
                            ["吉林日报", "新华社吉林分社", "吉林电视台", "长春晚报"]
                        ),
                    }
                    for _ in range(r.randint(1, 4))
                ]
            confs.append(rec)
        news = []
        for i in range(n_news):
            conf = confs[i % len(confs)] if r.random() < 0.4 else None
            a = self.by_id[conf["agency"]] if conf else self.any_agency()
            issued = (
                _dt.datetime.fromisoformat(conf["scheduled_at"][:19]) if conf else self.moment()
            )
            subject = r.choice(SUBJECTS)
            rid = f"news-{issued.year}-{i + 1:05d}"
            rec = {
                "type": "news_release",
                "id": rid,
                "agency": a["id"],
                "headline": self.title(a, issued.year, subject),
                "subheadline": {
                    "zh-CN": f"{a['short_name']}通报{subject[0]}最新进展",
                    "en": f"{a['name']['en']} reports on {subject[1]}",
                },
                "summary": self.summary(a, subject),
                "dateline_place": "长春" if a["level"] == "province" else a["short_name"][:2],
                "body": self.body(300, 1800),
                "contacts": [
                    {
                        "name": self.person(),
                        "unit": a["name"]["zh-CN"],
                        "phone": self.phone(a["id"]),
                        "email": f"news@{a['id']}.example.gov.cn",
                    }
                ],
                "boilerplate": "吉林省人民政府新闻办公室负责全省政府新闻发布工作。",
                "topic": r.choice(
                    ["policy", "decision", "economy", "major_project", "emergency", "other"]
                ),
                "issued_at": self.ts(issued),
            }
            if conf:
                rec["conference"] = conf["id"]
                conf["releases"].append(rid)
            self.flags(rec, issued, internal_ok=False)
            if "publish_at" not in rec and r.random() < 0.1:
                rec["publish_at"] = self.ts(issued + _dt.timedelta(hours=r.randint(1, 24)))
            news.append(rec)
        return confs, news

    # -- allocations ---------------------------------------------------------

    def allocations(self, n: int) -> list[Record]:
        r = self.rng
        out = []
        for i in range(n):
            a = self.any_agency()
            kind = r.choice(
                [
                    "land",
                    "land",
                    "mineral",
                    "procurement",
                    "procurement",
                    "project",
                    "fund",
                    "subsidy",
                    "concession",
                    "other",
                ]
            )
            start = self.moment(0, DAYS - 120)
            subject = r.choice(SUBJECTS)
            rid = f"alloc-{start.year}-{i + 1:05d}"
            x = r.random()
            status = (
                "closed"
                if x < 0.6
                else "open"
                if x < 0.85
                else "planned"
                if x < 0.95
                else "cancelled"
            )
            rec: Record = {
                "type": "allocation",
                "id": rid,
                "agency": a["id"],
                "kind": kind,
                "title": self.title(a, start.year, subject),
                "summary": self.summary(a, subject),
                "issued_at": self.ts(start),
                "status": status,
            }
            closes = self.after(start, 20, 60) or END
            if status in ("open", "closed"):
                rec["closes_at"] = self.ts(closes)
            rec["before"] = {"published_at": self.ts(start), "body": self.body(200, 900)}
            if status in ("open", "closed", "cancelled") and r.random() < 0.97:
                during = self.after(start, 1, 15) or start
                rec["during"] = {"published_at": self.ts(during), "body": self.body(200, 900)}
                if r.random() < 0.3:
                    rec["during"]["attachments"] = [self.attachment(rid, 0)]
            if status == "closed" and r.random() < 0.95:
                decided = self.after(closes, 1, 20) or END
                rec["after"] = {
                    "published_at": self.ts(decided),
                    "body": self.body(200, 600),
                    "awardee": f"{r.choice(SURNAMES)}{r.choice(GIVEN)}{r.choice(['房地产开发有限公司', '建设集团', '矿业有限公司', '科技股份有限公司'])}",
                    "amount": {"amount": f"{r.randint(10, 90000)}000.00", "currency": "CNY"},
                    "decided_on": self.date(decided),
                }
            self.flags(rec, start)
            out.append(rec)
        return out

    # -- engagement -----------------------------------------------------------

    def consultations(self, n: int, disclosure_ids: list[str]) -> list[Record]:
        r = self.rng
        out = []
        for i in range(n):
            a = self.any_agency()
            kind = r.choice(["hearing", "appraisal", "consultation", "consultation"])
            opens = self.moment(0, DAYS - 60)
            closes = self.after(opens, 10, 30) or END
            subject = r.choice(SUBJECTS)
            zh_kind = {"hearing": "听证会", "appraisal": "民主评议", "consultation": "征求意见"}[
                kind
            ]
            rec: Record = {
                "type": "consultation",
                "id": f"cons-{opens.year}-{i + 1:05d}",
                "agency": a["id"],
                "kind": kind,
                "title": {
                    "zh-CN": _fit(
                        f"{subject[0]}{zh_kind}", f"{a['short_name']}{subject[0]}{zh_kind}"
                    ),
                    "en": f"{kind.capitalize()}: {subject[1]}",
                },
                "summary": self.summary(a, subject),
                "body": self.body(200, 1200),
                "issued_at": self.ts(opens),
                "opens_at": self.ts(opens),
                "closes_at": self.ts(closes),
            }
            if kind == "hearing":
                rec["scheduled_at"] = self.ts(closes.replace(hour=9, minute=0))
                rec["venue"] = f"{a['name']['zh-CN']}会议室"
            rec["how_to_take_part"] = {
                "zh-CN": "可通过信函、电子邮件或政府网站提交意见，听证参加人按报名顺序确定。",
                "en": "Send comments by letter, e-mail or on the website; hearing participants are chosen in order of registration.",
            }
            done = self.after(closes, 5, 40)
            if done is not None and r.random() < 0.8:
                rec["outcome"] = r.choice(
                    [
                        "共收到意见建议126条，采纳38条。",
                        "听证代表多数同意调整方案。",
                        "评议结果为满意，已反馈被评议单位。",
                    ]
                )
                rec["outcome_published_at"] = self.ts(done)
                if disclosure_ids and r.random() < 0.4:
                    rec["decision"] = f"disclosure:{r.choice(disclosure_ids)}"
            self.flags(rec, opens)
            out.append(rec)
        return out

    def suggestions(self, n: int, disclosure_ids: list[str]) -> list[Record]:
        r = self.rng
        out = []
        for i in range(n):
            a = self.any_agency()
            got = self.moment()
            subject = r.choice(SUBJECTS)
            x = r.random()
            status = (
                "adopted"
                if x < 0.2
                else "not_adopted"
                if x < 0.45
                else "under_review"
                if x < 0.7
                else "received"
            )
            rec: Record = {
                "type": "suggestion",
                "id": f"sug-{got.year}-{i + 1:05d}",
                "agency": a["id"],
                "title": {
                    "zh-CN": f"关于改进{subject[0]}的建议",
                    "en": f"Suggestion on improving {subject[1]}",
                },
                "received_at": self.ts(got),
                "channel": r.choice(["letter", "email", "online", "box", "phone"]),
                "topic": subject[0],
                "summary": {
                    "zh-CN": f"建议进一步完善{subject[0]}，简化办事程序。",
                    "en": f"Suggests improving {subject[1]} and simplifying procedures.",
                },
                "status": status,
            }
            if status in ("adopted", "not_adopted"):
                resp = self.after(got, 3, 60)
                if resp is not None:
                    rec["response"] = (
                        "感谢您的建议，已被采纳并纳入相关工作方案。"
                        if status == "adopted"
                        else "经研究，该建议暂不具备实施条件。"
                    )
                    rec["responded_at"] = self.ts(resp)
            if status == "adopted":
                if disclosure_ids and r.random() < 0.5:
                    rec["adopted_into"] = f"disclosure:{r.choice(disclosure_ids)}"
                if r.random() < 0.6:
                    rec["benefit"] = f"预计每年节约财政资金{r.randint(5, 500)}万元"
                    aw = self.after(got, 30, 120)
                    if aw is not None and r.random() < 0.8:
                        rec["reward"] = {
                            "kind": r.choice(["表彰", "奖金", "荣誉证书"]),
                            "description": "对提出合理化建议者给予表彰奖励",
                            "awarded_on": self.date(aw),
                        }
                if r.random() < 0.5:
                    rec["credit_public"] = True
                    rec["credit_name"] = self.person()
            out.append(rec)
        return out

    def complaints(self, n: int) -> list[Record]:
        r = self.rng
        receivers = ["jl-xfj", "jl-jct", "jl-gkb", *self.governments[:10]]
        out = []
        for i in range(n):
            agency = receivers[i % len(receivers)] if r.random() < 0.6 else self.any_agency()["id"]
            about = self.any_agency()["id"]
            got = self.moment()
            x = r.random()
            status = (
                "resolved"
                if x < 0.6
                else "investigating"
                if x < 0.8
                else "rejected"
                if x < 0.9
                else "received"
            )
            topic = r.choice(
                [
                    "乱收费",
                    "办事拖拉",
                    "公开内容不实",
                    "窗口人员态度生硬",
                    "暗箱操作",
                    "未按承诺时限办结",
                ]
            )
            rec: Record = {
                "type": "complaint",
                "id": f"cmp-{got.year}-{i + 1:05d}",
                "agency": agency,
                "title": {
                    "zh-CN": f"关于{self.by_id[about]['short_name']}{topic}的投诉"[:40],
                    "en": f"Complaint about {self.by_id[about]['name']['en']}",
                },
                "received_at": self.ts(got),
                "channel": r.choice(CHANNELS_IN),
                "about": about,
                "topic": topic,
                "summary": {
                    "zh-CN": f"群众反映{self.by_id[about]['short_name']}存在{topic}问题。",
                    "en": "A member of the public reports a problem with the unit's service.",
                },
                "status": status,
            }
            if status in ("resolved", "rejected"):
                done = self.after(got, 2, 45)
                if done is None:
                    rec["status"] = "investigating"
                else:
                    rec["resolution"] = (
                        "经调查情况属实，已责令整改并退还多收费用。"
                        if status == "resolved"
                        else "经调查反映情况不实。"
                    )
                    rec["resolved_at"] = self.ts(done)
            self.flags(rec, got, internal_ok=True)
            out.append(rec)
        return out

    # -- oversight ------------------------------------------------------------

    def evaluations(self, n: int) -> list[Record]:
        r = self.rng
        order = self.keys + [a["id"] for a in self.agencies if not a["key_department"]]
        pairs = [(a, y) for y in (2002, 2003) for a in order][:n]
        out = []
        for agency, year in pairs:
            a = self.by_id[agency]
            comp = {
                "content": r.randint(20, 40),
                "form": r.randint(10, 20),
                "rules": r.randint(10, 20),
                "supervision": r.randint(5, 20),
            }
            score = sum(comp.values())
            pub = (
                _dt.datetime(year, 12, r.randint(20, 30), 10, 0)
                if year == 2003
                else _dt.datetime(2003, 1, r.randint(10, 30))
            )
            rec: Record = {
                "type": "evaluation",
                "id": f"eval-{year}-{agency}",
                "agency": agency,
                "title": {
                    "zh-CN": f"{year}年度{a['short_name']}政务公开考核结果"[:40],
                    "en": f"{year} disclosure evaluation: {a['name']['en']}",
                },
                "year": year,
                "evaluator": "吉林省政务公开领导小组办公室",
                "score": score,
                "components": comp,
                "model_unit": score >= 90,
                "remarks": "公开内容全面，形式规范。"
                if score >= 80
                else "公开内容不够全面，需进一步整改。",
                "published_on": self.date(pub),
            }
            out.append(rec)
        for year in (2002, 2003):
            ranked = sorted(
                (e for e in out if e["year"] == year), key=lambda e: (-e["score"], e["id"])
            )
            for pos, e in enumerate(ranked, 1):
                e["rank"] = pos
        # keep key order stable: rank after score
        return [_reorder(e, "rank", after="components") for e in out]

    def accountability(
        self, n: int, complaints: list[Record], evaluations: list[Record]
    ) -> list[Record]:
        r = self.rng
        out = []
        free = [c for c in complaints if c["status"] in ("resolved", "investigating")]
        r.shuffle(free)
        for i in range(n):
            x = r.random()
            source: str
            if free and x < 0.6:
                c = free.pop()
                source = f"complaint:{c['id']}"
                subject = c["about"]
                base = _dt.datetime.fromisoformat(c["received_at"][:19])
            elif evaluations and x < 0.8:
                e = r.choice(evaluations)
                source = f"evaluation:{e['id']}"
                subject = e["agency"]
                base = _dt.datetime.fromisoformat(e["published_on"])
                c = None
            else:
                subject = self.any_agency()["id"]
                source = f"finding:{r.choice(['case.overdue', 'ten.missing', 'commitment.broken'])}:{subject}"
                base = self.moment()
                c = None
            rid = f"acc-{base.year}-{i + 1:05d}"
            viol = r.choice(
                [
                    "not_implemented",
                    "black_box",
                    "fake_disclosure",
                    "minor_only",
                    "promise_not_kept",
                    "overdue",
                    "other",
                ]
            )
            rec: Record = {
                "type": "accountability_record",
                "id": rid,
                "agency": "jl-jct",
                "title": {
                    "zh-CN": f"{self.by_id[subject]['short_name']}政务公开责任追究"[:40],
                    "en": f"Accountability: {self.by_id[subject]['name']['en']}",
                },
                "subject_unit": subject,
                "subject_role": r.choice(["窗口工作人员", "科长", "分管副局长", "办公室主任"]),
            }
            if r.random() < 0.5:
                rec["subject_name"] = self.person()
                rec["name_public"] = r.random() < 0.2
            else:
                rec["name_public"] = False
            rec["violation"] = viol
            rec["facts"] = self.body(200, 600)
            rec["source"] = source
            decided = self.after(base, 10, 90)
            status = (
                "open"
                if decided is None or r.random() < 0.2
                else r.choice(["decided", "decided", "closed", "appealed"])
            )
            if status != "open":
                rec["decided_on"] = self.date(decided)  # type: ignore[arg-type]
                rec["decision"] = r.choice(
                    ["通报批评", "诫勉谈话", "行政警告处分", "调离工作岗位", "责令书面检查"]
                )
            rec["status"] = status
            rec["issued_at"] = self.ts(base)
            self.flags(rec, base)
            if c is not None:
                c["accountability"] = rid
            out.append(rec)
        return out

    def work_plan(self) -> Record:
        r = self.rng
        tasks = []
        texts = [
            "全面开通各级行政首长公开电话",
            "编制并公布行政审批事项目录",
            "推行十公开",
            "建立政府新闻发布会制度",
            "开展人民群众建议征集活动",
            "规范政务大厅服务窗口",
            "推进公共资源配置公开",
            "建立责任追究制度",
            "开展年度监督检查和考核评议",
            "推进网上审批",
            "完善公开栏和电子触摸屏",
            "推行内务公开",
        ]
        owners = ["jl-gkb", "jl-bgt", "jl-xwb", "jl-jct", "jl-fgw", "jl-czt", "jl-gtt", "jl-xfj"]
        for k, text in enumerate(texts):
            due = _dt.datetime(2002, r.choice([6, 9, 12]), r.choice([15, 30]))
            t: Record = {
                "id": f"t{k + 1:02d}",
                "text": text,
                "owner": owners[k % len(owners)],
                "due": self.date(due),
            }
            if r.random() < 0.75:
                t["done_on"] = self.date(due - _dt.timedelta(days=r.randint(-20, 60)))
            tasks.append(t)
        issued = _dt.datetime(2002, 3, 12, 9, 0)
        return {
            "type": "work_plan",
            "id": "plan-2002",
            "agency": "jl",
            "title": {
                "zh-CN": "吉林省人民政府关于2002年全省政务公开工作安排意见",
                "en": "Jilin Provincial Government: arrangements for government affairs disclosure in 2002",
            },
            "summary": {
                "zh-CN": "2002年全省政务公开工作的指导思想、主要任务和工作要求。",
                "en": "Guiding ideas, main tasks and requirements of disclosure work in 2002.",
            },
            "body": self.body(1200, 2000),
            "issued_at": self.ts(issued),
            "year": 2002,
            "tasks": tasks,
        }


def _fit(text: str, longer: str) -> str:
    """``text`` if it is 10-40 characters long, else ``longer`` cut to fit."""
    if 10 <= len(text) <= 40:
        return text
    longer = longer[:40]
    return longer if len(longer) >= 10 else (longer + "事项公开公示")[: max(10, len(longer))]


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: Random, cum: list[float]) -> int:
    import bisect

    return min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1)


def _reorder(rec: Record, key: str, after: str) -> Record:
    out: Record = {}
    value = rec.pop(key)
    for k, v in rec.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


def _catalog_toml() -> str:
    meta = {
        "name": {
            "zh-CN": "吉林省政务公开（基准语料）",
            "en": "Jilin government affairs disclosure (benchmark corpus)",
        },
        "jurisdiction": "CN-JL",
        "base_url": "https://gk.example.gov.cn/",
        "default_language": "zh-CN",
        "languages": ["zh-CN", "en"],
        "timezone": "Asia/Shanghai",
        "calendar": "CN",
        "holidays": HOLIDAYS_2002_2003,
        "extra_workdays": EXTRA_WORKDAYS_2002_2003,
        "profile": "cn-jilin-2002",
        "publisher": {"name": "吉林省人民政府办公厅", "email": "gk@example.gov.cn"},
    }
    return (
        "# Generated by bench/corpus.py: synthetic data, not real records.\n[catalog]\n"
        + _toml_table(meta)
    )


def generate(n: int, out: str | Path, seed: int = 0, fmt: str = "jsonl") -> Path:
    """Write a synthetic catalogue of ``n`` records to ``out``.

    Args:
        n: number of records (agencies not counted), at least one per type.
        out: the catalogue folder; its ``records/``, ``catalog.toml`` and
            ``agencies.toml`` are replaced.
        seed: seed of the random generator; same arguments, same bytes.
        fmt: ``jsonl``, ``json``, ``toml`` or ``md`` for the record files.

    Returns:
        The catalogue folder.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    counts = plan_counts(n)
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    if (root / "records").exists():
        shutil.rmtree(root / "records")
    g = _Gen(seed)
    g.make_agencies()
    (root / "catalog.toml").write_text(_catalog_toml(), encoding="utf-8")
    (root / "agencies.toml").write_text(
        "# Generated by bench/corpus.py: synthetic data.\n"
        + "\n".join("[[agency]]\n" + _toml_table(a) for a in g.agencies),
        encoding="utf-8",
    )

    writers: dict[str, _Writer] = {}

    def w(rtype: str) -> _Writer:
        if rtype not in writers:
            writers[rtype] = _Writer(root, rtype, fmt)
        return writers[rtype]

    items = g.make_items(counts["approval_item"])
    halls = g.make_halls(counts["service_hall"])
    windows = g.make_windows(counts["service_window"], halls, items)
    w("approval_item").extend(items)
    w("service_hall").extend(halls)
    w("service_window").extend(windows)
    hotlines = g.make_hotlines(counts["hotline"])
    w("hotline").extend(hotlines)
    w("case").extend(g.cases(counts["case"], items))
    w("hotline_call").extend(g.calls(counts["hotline_call"], hotlines))
    disclosure_ids: list[str] = []
    w("disclosure").extend(g.disclosures(counts["disclosure"], items, disclosure_ids))
    confs, news = g.press(counts["press_conference"], counts["news_release"])
    w("press_conference").extend(confs)
    w("news_release").extend(news)
    w("allocation").extend(g.allocations(counts["allocation"]))
    w("consultation").extend(g.consultations(counts["consultation"], disclosure_ids))
    w("suggestion").extend(g.suggestions(counts["suggestion"], disclosure_ids))
    complaints = g.complaints(counts["complaint"])
    evaluations = g.evaluations(counts["evaluation"])
    acc = g.accountability(counts["accountability_record"], complaints, evaluations)
    w("complaint").extend(complaints)
    w("evaluation").extend(evaluations)
    w("accountability_record").extend(acc)
    w("work_plan").add(g.work_plan())
    for wr in writers.values():
        wr.flush()
    written = {t: wr.count for t, wr in writers.items()}
    if written != counts:  # pragma: no cover - a generator that lost records
        raise RuntimeError(f"wrote {written}, planned {counts}")
    return root


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Generate a synthetic govdisclosure catalogue.")
    p.add_argument(
        "--records", "-n", type=int, required=True, help="number of records (agencies excluded)"
    )
    p.add_argument("--out", "-o", required=True, help="catalogue folder to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", dest="fmt", choices=FORMATS, default="jsonl")
    p.add_argument("--quiet", "-q", action="store_true")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    try:
        root = generate(args.records, args.out, seed=args.seed, fmt=args.fmt)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        counts = plan_counts(args.records)
        print(
            f"wrote {args.records} records ({args.fmt}) to {root} in {time.perf_counter() - t0:.2f} s"
        )
        for t, c in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"  {t:<22} {c:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
