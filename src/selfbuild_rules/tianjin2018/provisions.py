"""The Tianjin 2018 regulation: the law text beside its encoding.

Each provision quotes the exact Chinese it encodes, so the quotations and the rule
ids live together and :func:`build_regulation` can check every quotation against
the shipped text.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

from selfbuild_rules.facts.labels import VALUE_LABELS
from selfbuild_rules.law.text import (
    Provision,
    ProvisionKind,
    Regulation,
    SubjectKind,
    build_regulation,
)

__all__ = ["PROVISIONS", "TIANJIN_2018", "load_text"]

_TEXT_FILE = "tianjin-2018-selfbuild.zh.txt"
#: How the preamble begins: the paragraph before the numbered principles.
_PREAMBLE = "天津市人民政府新一届领导班子"


@cache
def load_text() -> str:
    """The regulation's Chinese text exactly as shipped with the package."""
    return (resources.files(__package__) / _TEXT_FILE).read_text("utf-8")


_Kind = tuple[ProvisionKind, SubjectKind]
_Text = str | tuple[str, ...]
# Kind and subject at a glance: E/J = evaluable/judgment, M/T = each member/the team.
_EM: _Kind = (ProvisionKind.EVALUABLE, SubjectKind.MEMBER)
_ET: _Kind = (ProvisionKind.EVALUABLE, SubjectKind.TEAM)
_JM: _Kind = (ProvisionKind.JUDGMENT, SubjectKind.MEMBER)
_JT: _Kind = (ProvisionKind.JUDGMENT, SubjectKind.TEAM)
_NUMERALS = dict(zip("123456", "一二三四五六", strict=True))


def _p(
    id: str,
    how: _Kind,
    title: str,
    chinese_title: str,
    text: _Text,
    english: str,
    notes: _Text = (),
) -> Provision:
    """A provision of the principle its id's leading digit names (``3.x`` → 三), with its
    short English and Chinese titles."""
    texts = (text,) if isinstance(text, str) else text
    notes = (notes,) if isinstance(notes, str) else notes
    return Provision(id, _NUMERALS[id[0]], *how, title, texts, english, notes, chinese_title)


PROVISIONS: tuple[Provision, ...] = (
    # 一、坚持维护核心，忠诚为政
    _p(
        "1.loyalty",
        _JM,
        "Loyalty to the core",
        "维护核心、对党忠诚",
        "坚定不移高举习近平新时代中国特色社会主义思想伟大旗帜，坚决贯彻党的基本理论、基本路线、"
        "基本方略，牢固树立“四个意识”，坚定“四个自信”，坚决、坚定、带头维护习近平总书记在党中央和"
        "全党的核心地位，维护党中央权威和集中统一领导，坚决在政治立场、政治方向、政治原则、"
        "政治道路上同以习近平同志为核心的党中央保持高度一致",
        "Unwaveringly hold high the great banner of Xi Jinping Thought on Socialism with Chinese "
        "Characteristics for a New Era; resolutely carry out the Party's basic theory, line and "
        "policy; firmly build the “four consciousnesses” and hold to the “four confidences”; "
        "resolutely, firmly and by example uphold General Secretary Xi Jinping's core position in "
        "the Party Central Committee and the whole Party, and the authority and centralised, "
        "unified leadership of the Party Central Committee; and resolutely stay fully aligned "
        "with the Party Central Committee with Comrade Xi Jinping at its core in political "
        "stance, direction, principles and path.",
    ),
    _p(
        "1.ideals",
        _JM,
        "Ideals and convictions",
        "理想信念",
        "不忘初心，牢记使命，坚定共产主义远大理想和中国特色社会主义共同理想",
        "Never forget the original aspiration and keep the mission in mind; hold firm to the "
        "lofty ideal of communism and the common ideal of socialism with Chinese characteristics.",
    ),
    _p(
        "1.political-discipline",
        _JM,
        "Political discipline and rules",
        "政治纪律和政治规矩",
        "旗帜鲜明讲政治，把加强政治建设放在首位，严守政治纪律和政治规矩，党中央提倡的坚决响应、"
        "党中央决定的坚决执行、党中央禁止的坚决不做，做维护核心、对党忠诚的表率",
        "Put politics first with a clear stand and give first place to political building; "
        "strictly observe political discipline and rules; resolutely respond to what the Party "
        "Central Committee advocates, carry out what it decides and refrain from what it forbids; "
        "and be an example in upholding the core and in loyalty to the Party.",
    ),
    # 二、坚持知行合一，以学促政
    _p(
        "2.guiding-thought",
        _JT,
        "Guided by the Thought",
        "以新思想指导工作",
        "深学笃用习近平新时代中国特色社会主义思想，想问题、办事情、做决策都要从中找方法、找指引、找遵循",
        "Study Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era deeply "
        "and apply it faithfully; in thinking through problems, handling matters and making "
        "decisions, look to it for methods, guidance and principles.",
    ),
    _p(
        "2.relay-directives",
        _ET,
        "Prompt relay of central directives",
        "第一时间传达学习重要指示",
        "习近平总书记发表的每一次重要讲话、作出的每一项重要指示批示，必须第一时间组织传达学习，"
        "深刻领会精神实质",
        "Every important speech General Secretary Xi Jinping gives and every important "
        "instruction or comment he issues must be relayed and studied at the first opportunity, "
        "with a deep grasp of its essential spirit.",
        "“第一时间” is read as within 7 days of issue (parameter relay.deadline_days).",
    ),
    _p(
        "2.congress-report-study",
        _JM,
        "Study of the 19th Congress report and the Party Constitution",
        "学习十九大报告和党章",
        "原原本本、原汁原味学习好党的十九大报告和党章，领会思想精髓、把握核心要义，在学懂、弄通、"
        "做实上下功夫",
        "Study the report of the Party's 19th National Congress and the Party Constitution in "
        "full and in their original form, grasp their essential ideas and core points, and work "
        "hard to truly understand, master and apply them.",
    ),
    _p(
        "2.central-group-study",
        _ET,
        "Regular central-group study",
        "中心组定期学习",
        "坚持中心组学习制度，定期组织集体学习研讨",
        "Keep to the central-group study system and hold regular collective study and discussion.",
        "“定期” is read as at least one central-group session per calendar quarter "
        "(parameter central_group.sessions_per_quarter).",
    ),
    _p(
        "2.capabilities",
        _JM,
        "Leadership capabilities",
        "领导本领",
        "全面增强学习本领、政治领导本领、改革创新本领、科学发展本领、依法执政本领、群众工作本领、"
        "狠抓落实本领、驾驭风险本领，提高领导能力专业化水平",
        "Strengthen across the board the abilities to learn, to lead politically, to reform and "
        "innovate, to pursue sound development, to govern by law, to work with the public, to see "
        "tasks through and to manage risk, and raise the professional level of leadership.",
    ),
    _p(
        "2.apply-learning",
        _JT,
        "Turning learning into results",
        "学以致用",
        "大力弘扬马克思主义学风，坚持知行合一、学以致用，切实把学习成果转化为改革创新的务实举措和"
        "推动发展的实际成效，落实在经济社会发展的方方面面，贯穿于政府工作的全过程",
        "Vigorously promote the Marxist style of study; unite knowing and doing and put learning "
        "to use; truly turn what is learned into practical measures for reform and innovation and "
        "real results for development, applied in every area of economic and social development "
        "and throughout the whole of the government's work.",
    ),
    # 三、坚持唯实求真，实干勤政
    _p(
        "3.development-philosophy",
        _JT,
        "New development philosophy in Tianjin",
        "贯彻新发展理念",
        "贯彻落实新发展理念，以习近平总书记对天津工作提出的“三个着力”重要要求为元为纲，扎实推进"
        "“五位一体”总体布局、“四个全面”战略布局在天津的实施，加快建设“五个现代化天津”，"
        "奋力推进习近平新时代中国特色社会主义思想在津沽大地扎实实践",
        "Apply the new development philosophy; take General Secretary Xi Jinping's important "
        "“three focuses” requirement for Tianjin's work as the guiding principle; steadily carry "
        "out in Tianjin the “five-sphere integrated plan” and the “four-pronged comprehensive "
        "strategy”; speed up building the “five modern Tianjins”; and strive to put Xi Jinping "
        "Thought on Socialism with Chinese Characteristics for a New Era into practice in Tianjin.",
    ),
    _p(
        "3.implementation",
        _JT,
        "Hands-on implementation",
        "真抓实干、狠抓落实",
        "坚持解放思想、实事求是、与时俱进、求真务实，自觉念好市场、开放、绿色、创新、人民"
        "“五所大学”，推动高质量发展，以项目化、责任化、具体化全力推进质量变革、效率变革、动力变革，"
        "树立艰苦奋斗、真抓实干的理念，亲力亲为，担当担责，切实把中央决策部署落实到基层、"
        "落实到一线、落实到现场，促进经济社会持续健康发展",
        "Keep to freeing the mind, seeking truth from facts, keeping pace with the times and "
        "being practical; study well the “five universities” of the market, opening up, green "
        "development, innovation and the people; promote high-quality development; push hard for "
        "change in quality, efficiency and drivers by turning work into projects with clear "
        "responsibility and concrete tasks; hold to hard work and real action; act in person and "
        "take responsibility; carry central decisions through to the grassroots, the front line "
        "and the site; and foster sustained, sound economic and social development.",
    ),
    _p(
        "3.research-culture",
        _JM,
        "Culture of investigation and research",
        "大兴调查研究之风",
        "大力弘扬唯实求真精神，大兴调查研究之风，把调查研究作为开展工作、作出决策、"
        "推动落实的前提和基础，坚持问题导向，以直奔现场、直接解决问题方式深入基层一线调查研究，"
        "力戒形式主义、官僚主义",
        "Vigorously promote the spirit of seeking truth from reality and make investigation and "
        "research common practice; treat it as the precondition and basis for doing work, making "
        "decisions and driving implementation; stay problem-oriented; investigate at the "
        "grassroots front line by going straight to the site and solving problems directly; and "
        "guard against formalism and bureaucratism.",
    ),
    _p(
        "3.research-days",
        _EM,
        "Annual grassroots research time",
        "年度基层调研时间",
        "领导班子成员每年深入基层调研时间不少于2个月",
        "Each team member spends at least two months a year on research at the grassroots.",
        "“2个月” is read as 60 days by default (parameter research.month_mode), "
        "pro-rated by applicable days and rounded up.",
    ),
    _p(
        "3.research-topics",
        _EM,
        "Key research topics",
        "重点调研课题",
        "确定1至2个重点课题，开展专题调研",
        "Set one or two key topics and carry out dedicated research on them.",
        "Read as each member researching one or two registered key topics in each year.",
    ),
    _p(
        "3.research-reports",
        _EM,
        "Research reports with recommendations",
        "调研报告与对策建议",
        "撰写调研报告，提出对策建议",
        "Write research reports and put forward policy recommendations.",
        "Read as: every key topic of the year has a report dated in the year making at least "
        "one recommendation.",
    ),
    _p(
        "3.research-follow-through",
        _JM,
        "Research that guides work",
        "以调研推动指导工作",
        "推动指导工作",
        "Use the research to drive and guide the work.",
    ),
    # 四、坚持以人为本，为民兴政
    _p(
        "4.people-centred",
        _JT,
        "People-centred government",
        "以人民为中心",
        "坚持以人民为中心的发展思想，把党的群众路线贯彻到政府全部工作之中，"
        "把人民对美好生活的向往作为奋斗目标，对人民负责，为人民谋利益，接受人民监督，"
        "建设人民满意的服务型政府",
        "Keep to the people-centred philosophy of development; carry the Party's mass line into "
        "all of the government's work; take the people's wish for a better life as the goal to "
        "strive for; be accountable to the people, work for their benefit and accept their "
        "oversight; and build a service-oriented government the people are satisfied with.",
    ),
    _p(
        "4.grassroots-work",
        _JM,
        "Working at the grassroots",
        "深入基层解难题",
        "深入基层、深入实际，拜人民为师，向人民学习，把为人民群众解难事、办实事作为政治责任，"
        "放下架子、扑下身子，把脚步迈向困难多、问题多、矛盾多、工作难度大的基层，有点有面，"
        "步步为营，敢啃硬骨头，扎扎实实解决实际问题",
        "Go deep into the grassroots and into real conditions; take the people as teachers and "
        "learn from them; treat solving hard problems and doing practical things for the people "
        "as a political duty; drop airs and get down to work; go to the grassroots places with "
        "the most difficulties, problems and conflicts and the hardest work; cover both key "
        "points and the whole, advance step by step, take on the toughest problems, and solve "
        "real problems in earnest.",
    ),
    _p(
        "4.contact-point",
        _EM,
        "Designated contact point",
        "确定联系点",
        "领导班子成员每人确定1个村或社区、企事业单位、项目、学校作为联系点",
        "Each member of the leadership team designates one village or community, enterprise or "
        "public institution, project or school as a contact point.",
        "Read as: a contact point of these kinds designated in the year, and never two at the "
        "same time.",
    ),
    _p(
        "4.contact-point-visits",
        _EM,
        "Annual contact-point visit",
        "每年深入联系点",
        "每年至少1次深入联系点察民情、谋发展、解难题",
        "At least once a year, go to the contact point in person to learn how people are faring, "
        "plan for development and solve difficult problems.",
        "Read as at least one recorded visit to the member's own contact point per calendar year.",
    ),
    _p(
        "4.livelihood-projects",
        _ET,
        "Twenty livelihood projects",
        "20项民心工程",
        "精心组织实施20项民心工程",
        "Carefully organise the implementation of 20 projects for the people's wellbeing.",
        "Read as: at least 20 of the year's projects completed (livelihood.projects_min).",
    ),
    _p(
        "4.livelihood-progress",
        _JT,
        "Progress on people's livelihood",
        "保障和改善民生",
        (
            "着力保障和改善民生，既尽力而为，又量力而行",
            "在幼有所育、学有所教、劳有所得、病有所医、老有所养、住有所居、"
            "弱有所扶上不断取得新进展，让改革发展成果更多更公平惠及全体人民",
        ),
        "Work to secure and improve the people's livelihood, doing all we can while staying "
        "within our means; … keep making new progress so that children are cared for, students "
        "taught, workers paid, the sick treated, the elderly supported, people housed and the "
        "vulnerable helped, and the fruits of reform and development benefit all the people more "
        "and more fairly.",
    ),
    # 五、坚持科学决策，依法行政
    _p(
        "5.rule-of-law",
        _JT,
        "Acting under the Constitution and the law",
        "依宪依法履职",
        "大力弘扬社会主义法治精神，增强宪法观念，依照宪法法律行使职权、履行职责、开展工作，"
        "明晰权责清单，做到“法无授权不可为，法定职责必须为”",
        "Vigorously promote the socialist spirit of the rule of law and a stronger sense of the "
        "Constitution; exercise powers, perform duties and do the work under the Constitution and "
        "the law; set out clear lists of powers and responsibilities; and hold to “what the law "
        "does not authorise must not be done, and what the law requires must be done”.",
    ),
    _p(
        "5.accept-supervision",
        _JT,
        "Accepting oversight",
        "自觉接受监督",
        "自觉接受市人大及其常委会法律监督、工作监督和市政协民主监督，主动接受人大代表、政协委员、"
        "新闻媒体和社会各界监督",
        "Willingly accept the legal and work oversight of the Municipal People's Congress and its "
        "Standing Committee and the democratic oversight of the Municipal CPPCC, and actively "
        "accept oversight by people's congress deputies, CPPCC members, the news media and all "
        "sectors of society.",
    ),
    _p(
        "5.scientific-decision-making",
        _JT,
        "Sound, democratic and lawful decisions",
        "科学民主依法决策",
        "坚持科学民主依法决策，广泛协商，广集民智，增进共识，增强合力",
        "Make decisions on a sound, democratic and lawful basis; consult widely, draw on the "
        "public's wisdom, build consensus and strengthen joint effort.",
    ),
    _p(
        "5.transparency",
        _JT,
        "Transparency and public participation",
        "决策透明与公众参与",
        "加强政府协商，增强公共政策制定透明度和公众参与度",
        "Strengthen government consultation and make public policy-making more transparent and "
        "more open to public participation.",
    ),
    _p(
        "5.legal-review",
        _ET,
        "Legal review of major decisions",
        "重大决策法律审查",
        "推行政府法律顾问制度",
        "Apply the system of government legal advisers.",
        "Read as: every major decision had a legal review on or before the date it was taken.",
    ),
    _p(
        "5.expert-consultation",
        _JT,
        "Expert consultation",
        "专家咨询论证",
        "专家咨询论证制度，充分发挥法律顾问、专家学者在决策制定中的重要作用",
        "… the system of expert consultation and assessment, giving full play to the important "
        "role of legal advisers, experts and scholars in making decisions.",
    ),
    _p(
        "5.rules-of-procedure",
        _JT,
        "Rules of procedure",
        "议事规则和决策程序",
        "完善领导班子议事规则和决策程序，认真贯彻民主集中制原则",
        "Improve the leadership team's rules of procedure and decision-making process, and "
        "faithfully apply the principle of democratic centralism.",
    ),
    _p(
        "5.collective-decision",
        _ET,
        "Collective decision on major matters",
        "重大事项集体决定",
        "重大事项坚持集体研究决定",
        "Major matters are always discussed and decided collectively.",
        "Read as every major matter being decided at a collective team meeting, not by one member.",
    ),
    _p(
        "5.democratic-centralism",
        _JT,
        "Democracy and centralism",
        "民主集中制",
        "既要充分发扬民主，汇聚大家的智慧，又要坚持集中统一，对议定的事项坚决贯彻落实",
        "Give full play to democracy and pool everyone's wisdom, while keeping to centralised "
        "unity and resolutely carrying out what has been decided.",
    ),
    # 六、坚持改进作风，廉洁从政
    _p(
        "6.party-spirit",
        _JM,
        "Party spirit",
        "党性修养",
        "自觉遵守党章，践行“三严三实”要求，加强党性修养，强化党性观念，永葆革命精神",
        "Willingly abide by the Party Constitution; practise the “three stricts and three "
        "earnests”; cultivate and strengthen Party spirit; keep the revolutionary spirit alive.",
    ),
    _p(
        "6.conduct-rules",
        _JM,
        "Conduct rules and leading by example",
        "改进作风、以上率下",
        "认真学习贯彻习近平总书记关于进一步纠正“四风”、加强作风建设重要批示精神，"
        "进一步落实中央八项规定实施细则精神和我市实施办法有关要求，身体力行、以上率下，"
        "形成“头雁”效应",
        "Earnestly study and apply General Secretary Xi Jinping's important instructions on "
        "further correcting the “four undesirable styles” and improving conduct; further apply "
        "the central Eight-point Rules' implementing details and the related requirements of the "
        "city's implementing measures; practise them in person and lead from the top, so that "
        "leaders act as the “lead goose”.",
    ),
    _p(
        "6.personal-matters-report",
        _EM,
        "Personal matters report",
        "个人有关事项报告",
        "严格执行领导干部个人有关事项报告制度",
        "Strictly comply with the system under which leading cadres report their personal matters.",
        "The report for year Y−1 is due on 31 January of year Y (parameter "
        "personal_matters.due_month_day).",
    ),
    _p(
        "6.treatment-rules",
        _JM,
        "Entitlement rules",
        "工作和生活待遇规定",
        "严格执行住房、车辆配备等有关工作和生活待遇的规定",
        "Strictly comply with the rules on work and living entitlements such as housing and cars.",
    ),
    _p(
        "6.integrity",
        _EM,
        "No abuse of office or privilege",
        "不以权谋私、反对特权",
        (
            "依法依纪依规办事，不得利用职权和职务影响为本人或特定关系人谋取不正当利益，"
            "不得违反规定干预或插手市场经济活动、司法活动",
            "坚决反对特权思想和特权现象",
            "对打着领导旗号办事的人，各部门一律不准接待，不准提供帮助",
        ),
        "Act according to law, discipline and rules; do not use one's powers or official "
        "influence to obtain improper benefits for oneself or for anyone with a specific "
        "relationship to oneself; do not, against the rules, interfere or meddle in market "
        "economic activity or judicial activity; … firmly oppose privilege-seeking ideas and "
        "practices; … no department may receive or help anyone who acts in a leader's name.",
        "Any recorded violation dated in the window makes the member non-compliant; the violation "
        "kinds counted are parameter integrity.violation_kinds.",
    ),
    _p(
        "6.family-discipline",
        _JM,
        "Self-discipline, family and circles",
        "廉洁自律与家风",
        "严格廉洁自律，注重家庭、家教、家风，管好亲属子女和身边工作人员，"
        "自觉净化社交圈、生活圈、朋友圈",
        "Keep strictly clean and self-disciplined; pay attention to family, family upbringing and "
        "family ways; keep relatives, children and one's own staff in check; and keep one's "
        "social circle, daily life and circle of friends clean.",
    ),
    _p(
        "6.democratic-life-meeting",
        _ET,
        "Democratic life meeting",
        "民主生活会",
        "坚持民主生活会制度",
        "Keep to the system of democratic life meetings.",
        "Read as at least one democratic life meeting of the team in each calendar year.",
    ),
    _p(
        "6.criticism",
        _JT,
        "Criticism and self-criticism",
        "批评和自我批评",
        "认真开展批评和自我批评，增强党内政治生活的政治性、时代性、原则性、战斗性",
        "Earnestly carry out criticism and self-criticism, and make political life within the "
        "Party more political, more in step with the times, more principled and more combative.",
    ),
    _p(
        "6.party-governance",
        _JT,
        "Responsibility for Party governance",
        "管党治党主体责任",
        "切实履行管党治党主体责任和“一岗双责”，把握用好“四种形态”，真管真严、敢管敢严、长管长严，"
        "着力营造山清水秀、风清弊绝的政治生态",
        "Truly carry out the primary responsibility for managing and governing the Party and the "
        "“one post, two responsibilities” duty; make good use of the “four forms”; manage in "
        "earnest and strictly, boldly and strictly, and strictly for the long term; and work to "
        "build a clean and upright political environment.",
    ),
)

TIANJIN_2018: Regulation = build_regulation(
    load_text(),
    preamble_starts=_PREAMBLE,
    id="tianjin-2018",
    title="天津市人民政府领导班子关于加强自身建设的规定",
    english_title=(
        "Regulations of the Leadership Team of the Tianjin Municipal People's Government on "
        "Strengthening Its Own Construction"
    ),
    adopted=date(2018, 2, 1),
    adopted_by=(
        "天津市人民政府第1次常务会议 "
        "(1st executive meeting of the Tianjin Municipal People's Government)"
    ),
    issued=date(2018, 2, 2),
    publicly_released="此件主动公开" in load_text(),
    english_titles={
        "一": "Uphold the core; govern with loyalty",
        "二": "Unite knowing and doing; let learning advance governance",
        "三": "Seek truth from reality; govern through hard, practical work",
        "四": "Put people first; govern for the people",
        "五": "Decide soundly; administer according to law",
        "六": "Improve conduct; govern with integrity",
    },
    provisions=PROVISIONS,
    # Parameter values in Chinese; enumeration values are the facts format's own words.
    glossary={
        **VALUE_LABELS,
        "months_as_30_days": "每月按30天计",
        "twelfths_of_year": "每月按全年天数的十二分之一计",
        "applicable_days": "按适用天数折算",
        "none": "不折算",
    },
)
