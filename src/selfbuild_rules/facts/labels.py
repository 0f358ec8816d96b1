"""The Chinese names of the facts format: its categories, fields and enumeration values.

A workbook shows these to the clerk who fills it in (sheet names, column headers,
drop-down entries); the English names stay beside them, since they are what the
format and every message use. A name missing here falls back to the English one, so a
field added to the records shows up in a workbook before it has a Chinese label.

>>> category_label("research_trips"), field_label("contact_point")
('调研', '联系点')
>>> value_label("village"), value_label("no-such-value")
('村', 'no-such-value')
"""

from __future__ import annotations

__all__ = [
    "CATEGORY_LABELS",
    "FIELD_LABELS",
    "VALUE_LABELS",
    "category_label",
    "field_label",
    "value_label",
]

#: The team (not a category: one record) and each record category. At most 31 characters
#: and none of ``[]:*?/\\`` since they name sheets; unique, since a sheet is read by them.
CATEGORY_LABELS = {
    "team": "班子",
    "members": "成员",
    "research_trips": "调研",
    "research_topics": "调研课题",
    "research_reports": "调研报告",
    "contact_points": "联系点",
    "contact_point_visits": "联系点走访",
    "livelihood_projects": "民心工程",
    "directives": "讲话批示",
    "study_sessions": "学习",
    "major_decisions": "重大决策",
    "personal_matters_reports": "个人有关事项报告",
    "democratic_life_meetings": "民主生活会",
    "violations": "违规",
    "assessments": "评定",
}

#: Fields by name, whatever record holds them (``tenure.start``: a field of a field).
FIELD_LABELS = {
    "id": "编号",
    "name": "名称",
    "member": "成员",
    "post": "职务",
    "tenure.start": "任职开始",
    "tenure.end": "任职结束",
    "start": "开始日期",
    "end": "结束日期",
    "place": "地点",
    "topic": "课题",
    "year": "年度",
    "title": "标题",
    "date": "日期",
    "recommendations": "建议数",
    "kind": "类型",
    "contact_point": "联系点",
    "area": "领域",
    "status": "进展",
    "completed": "完成日期",
    "designated": "确定日期",
    "issued": "发布日期",
    "directives": "传达的讲话批示",
    "decided_by": "决策主体",
    "legal_review": "合法性审查日期",
    "procedures": "决策程序",
    "filed": "报告日期",
    "summary": "摘要",
    "rule": "条款",
    "subject": "评定对象",
    "period": "期间",
    "result": "评定结论",
    "assessor": "评定人",
}

#: Enumeration values by value (the same word means the same in every enumeration).
VALUE_LABELS = {
    # Post
    "mayor": "市长",
    "executive_vice_mayor": "常务副市长",
    "vice_mayor": "副市长",
    "secretary_general": "秘书长",
    "other": "其他",
    # ContactPointKind
    "village": "村",
    "community": "社区",
    "enterprise": "企业",
    "institution": "事业单位",
    "project": "项目",
    "school": "学校",
    # LivelihoodArea: the regulation's 幼有所育、学有所教……
    "childcare": "幼有所育",
    "education": "学有所教",
    "employment": "劳有所得",
    "healthcare": "病有所医",
    "elderly_care": "老有所养",
    "housing": "住有所居",
    "social_assistance": "弱有所扶",
    # ProjectStatus
    "planned": "计划",
    "in_progress": "在建",
    "completed": "完成",
    # DirectiveKind
    "speech": "重要讲话",
    "instruction": "指示批示",
    # StudySessionKind
    "central_group": "中心组学习",
    "relay": "传达学习",
    # DecisionBody
    "executive_meeting": "常务会议",
    "plenary_meeting": "全体会议",
    "individual": "个人决定",
    # ProcedureKind
    "public_participation": "公众参与",
    "expert_argumentation": "专家论证",
    "risk_assessment": "风险评估",
    "legality_review": "合法性审查",
    # ViolationKind: after principle 六
    "improper_benefit": "谋取不正当利益",
    "market_interference": "干预市场经济活动",
    "judicial_interference": "干预司法活动",
    "privilege": "特权",
    "impostor_reception": "接待打着领导旗号办事的人",
    # AssessmentResult
    "compliant": "符合",
    "non_compliant": "不符合",
}


def category_label(category: str) -> str:
    """The Chinese name of a category (or ``team``), else the category itself."""
    return CATEGORY_LABELS.get(category, category)


def field_label(path: str) -> str:
    """The Chinese name of a field (``tenure.start`` for a field of a field)."""
    return FIELD_LABELS.get(path, path)


def value_label(value: str) -> str:
    """The Chinese name of an enumeration value, else the value itself."""
    return VALUE_LABELS.get(value, value)
