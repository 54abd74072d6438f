"""Demo diagnosis and feedback for `seed_demo` (runs after cohorts and workbook).

- The demo course gets a nine-question diagnosis (every question type, three tagged
  for workbook prefill); 陈思远, 李娜 and Kevin answered it for Seabright's in-house
  cohort, 李娜 also for the public class.
- The past sessions of both demo cohorts have survey answers.
- A finished public class (“第 11 期”, alumni without passwords) has its session
  surveys and course evaluations, so the results page shows an NPS.
Idempotent: rows are found by natural keys and refreshed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cohorts.feedback.models import (
    CourseEvaluation,
    DiagnosisAnswer,
    DiagnosisQuestion,
    DiagnosisQuestionnaire,
    DiagnosisResponse,
    FollowUpInterest,
    PrefillKey,
    QuestionKind,
    SessionFeedback,
)
from cohorts.models import (
    Cohort,
    CohortFormat,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Session,
    SessionKind,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "platforms",
        "kind": QuestionKind.MULTIPLE,
        "text_zh": "你们在哪些平台销售？",
        "text_en": "Which platforms do you sell on?",
        "help_zh": "可多选",
        "help_en": "Tick all that apply",
        "choices_text": "amazon | 亚马逊 | Amazon\nshopify | Shopify 独立站 | Shopify store\n"
        "tiktok_shop | TikTok Shop | TikTok Shop\nshopee | Shopee 虾皮 | Shopee\n"
        "temu | Temu | Temu\nother | 其他 | Other",
        "prefill": PrefillKey.PLATFORMS,
    },
    {
        "key": "currency",
        "kind": QuestionKind.SINGLE,
        "text_zh": "公司的经营报表用哪种货币？",
        "text_en": "Which currency does your management report use?",
        "choices_text": "CNY | 人民币 | Chinese yuan\nUSD | 美元 | US dollar\n"
        "EUR | 欧元 | Euro\nGBP | 英镑 | Pound sterling",
        "prefill": PrefillKey.CURRENCY,
    },
    {
        "key": "roles",
        "kind": QuestionKind.MULTIPLE,
        "text_zh": "团队里有哪些岗位？",
        "text_en": "Which roles does your team have?",
        "choices_text": "operations | 店铺运营 | Store operations\n"
        "advertising | 广告投放 | Advertising\nsupply_chain | 供应链 | Supply chain\n"
        "customer_service | 客服 | Customer service\nfinance | 财务 | Finance\n"
        "content | 美工/内容 | Design and content",
        "prefill": PrefillKey.TEAM_ROLES,
    },
    {
        "key": "team_size",
        "kind": QuestionKind.NUMBER,
        "text_zh": "电商团队有多少人？",
        "text_en": "How many people work in your e-commerce team?",
        "min_value": 1,
        "max_value": 5000,
    },
    {
        "key": "maturity",
        "kind": QuestionKind.SCALE_5,
        "text_zh": "目前 KPI 管理做到什么程度？",
        "text_en": "How mature is your KPI practice today?",
        "help_zh": "1 = 没有 KPI，5 = 每周按指标复盘",
        "help_en": "1 = no KPIs, 5 = a weekly review by the numbers",
    },
    {
        "key": "data_source",
        "kind": QuestionKind.SINGLE,
        "text_zh": "经营数据主要从哪里来？",
        "text_en": "Where does your performance data come from?",
        "choices_text": "excel | 手工整理 Excel | Spreadsheets by hand\n"
        "erp | ERP 导出 | ERP exports\nbi | BI 看板 | A BI dashboard\n"
        "none | 没有固定来源 | No fixed source",
    },
    {
        "key": "data_trust",
        "kind": QuestionKind.SCALE_10,
        "text_zh": "你对现在数据准确性的信心有多大？",
        "text_en": "How much do you trust your numbers today?",
        "help_zh": "0 = 完全不信，10 = 完全相信",
        "help_en": "0 = not at all, 10 = completely",
        "required": False,
    },
    {
        "key": "pains",
        "kind": QuestionKind.LONG_TEXT,
        "text_zh": "你们最大的管理痛点是什么？",
        "text_en": "What is your biggest management pain?",
    },
    {
        "key": "goal",
        "kind": QuestionKind.SHORT_TEXT,
        "text_zh": "培训结束时，你希望能做到什么？",
        "text_en": "What do you want to be able to do after the training?",
        "required": False,
    },
]

ANSWERS: dict[str, dict[str, Any]] = {
    "chen.siyuan@seabright.demo": {
        "platforms": ["amazon", "shopify", "tiktok_shop", "shopee"],
        "currency": "CNY",
        "roles": ["operations", "advertising", "supply_chain", "finance"],
        "team_size": 38,
        "maturity": 3,
        "data_source": "erp",
        "data_trust": 6,
        "pains": "各平台口径不一样，月底对账要三天；目标拍脑袋定，季度中途才发现跑偏。",
        "goal": "每周一上午半小时内看完全公司的指标树。",
    },
    "li.na@seabright.demo": {
        "platforms": ["amazon"],
        "currency": "USD",
        "roles": ["operations", "advertising"],
        "team_size": 6,
        "maturity": 2,
        "data_source": "excel",
        "data_trust": 4,
        "pains": "广告花费涨了但不知道是哪个词拖累了利润，ACoS 和 TACoS 经常混着用。",
        "goal": "能讲清楚利润差距来自哪个驱动因素。",
    },
    "kevin.zhang@seabright.demo": {
        "platforms": ["tiktok_shop", "shopee"],
        "currency": "CNY",
        "roles": ["operations", "content", "customer_service"],
        "team_size": 12,
        "maturity": 2,
        "data_source": "none",
        "pains": "达人佣金、退货都没算进 KPI，老板只看 GMV。",
    },
}

SURVEYS = [  # (cohort slug, session title, email, rating, useful, unclear)
    (
        "seabright-in-house",
        "启动会：海明家居的指标树",
        "chen.siyuan@seabright.demo",
        5,
        "把 GMV 拆成平台和站点，终于看清楚谁负责哪一块。",
        "",
    ),
    (
        "seabright-in-house",
        "启动会：海明家居的指标树",
        "li.na@seabright.demo",
        4,
        "指标树的加法和乘法拆解。",
        "利润指标里平台费用放在哪一层还不太清楚。",
    ),
    (
        "seabright-in-house",
        "启动会：海明家居的指标树",
        "kevin.zhang@seabright.demo",
        3,
        "",
        "TikTok Shop 的达人佣金怎么归类？",
    ),
    (
        "seabright-in-house",
        "第 2 讲：广告 ACoS 与利润",
        "chen.siyuan@seabright.demo",
        5,
        "ACoS 与 TACoS 的区别和各自的用途。",
        "",
    ),
    (
        "kpi-public-class",
        "第 1 讲：从 GMV 到指标树",
        "li.na@seabright.demo",
        4,
        "案例很贴近亚马逊卖家。",
        "季节性分解讲得有点快。",
    ),
]

ALUMNI = [  # (email, name, survey ratings per session, rating, recommend, follow-up, helped, improve)
    (
        "zhou.min@alumni.demo",
        "周敏",
        (5, 5, 4),
        5,
        10,
        FollowUpInterest.YES,
        "周复盘模板直接用在了团队例会上。",
        "",
    ),
    (
        "wang.lei@alumni.demo",
        "王磊",
        (4, 5, 5),
        5,
        9,
        FollowUpInterest.MAYBE,
        "目标分解和季节性拆分。",
        "希望多一些 Shopee 的案例。",
    ),
    (
        "liu.yang@alumni.demo",
        "刘洋",
        (4, 4, 3),
        4,
        8,
        FollowUpInterest.MAYBE,
        "指标树的画法。",
        "线下工作坊时间太紧。",
    ),
    (
        "sun.qian@alumni.demo",
        "孙倩",
        (3, 4, 4),
        4,
        7,
        FollowUpInterest.NO,
        "",
        "作业反馈可以更快一点。",
    ),
    (
        "he.jun@alumni.demo",
        "何军",
        (3, 3, 2),
        3,
        5,
        FollowUpInterest.NO,
        "",
        "数据导入那一讲对我们 ERP 不适用。",
    ),
    (
        "ma.li@alumni.demo",
        "马丽",
        (5, 4, 5),
        5,
        9,
        FollowUpInterest.YES,
        "教练对我们广告结构的点评。",
        "",
    ),
]
ALUMNI_SESSIONS = [
    ("第 1 讲：从 GMV 到指标树", -60),
    ("第 2 讲：目标分解与季节性", -53),
    ("第 3 讲：周复盘与行动项", -46),
]


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate(timezone=SHANGHAI) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _answered(session: Session) -> dt.datetime:
    """Demo answers arrive shortly after the session, not when the demo is seeded."""
    return session.ends_at + dt.timedelta(minutes=25)


def _backdate(row: SessionFeedback | CourseEvaluation, when: dt.datetime) -> None:
    """`created_at` is auto_now_add, so the demo's dates are set by an update."""
    type(row).objects.filter(pk=row.pk).update(created_at=when)


def _questionnaire(course: Any) -> dict[str, DiagnosisQuestion]:
    existing = DiagnosisQuestionnaire.objects.filter(
        course__translation_key=course.translation_key
    ).first()
    questionnaire = existing or DiagnosisQuestionnaire(course=course)
    questionnaire.title_zh = "训前需求诊断"
    questionnaire.title_en = "Pre-training diagnosis"
    questionnaire.intro_zh = "约 3 分钟。教练会在第一次课前阅读，按你们的情况准备案例。"
    questionnaire.intro_en = (
        "About 3 minutes. Your coach reads it before the first session and prepares "
        "examples for your situation."
    )
    questionnaire.save()
    by_key: dict[str, DiagnosisQuestion] = {}
    existing_questions = {q.text_zh: q for q in questionnaire.questions.all()}
    for order, spec in enumerate(QUESTIONS):
        fields = {k: v for k, v in spec.items() if k != "key"}
        question = existing_questions.get(spec["text_zh"]) or DiagnosisQuestion(
            questionnaire=questionnaire
        )
        for name, value in {"required": True, **fields}.items():
            setattr(question, name, value)
        question.sort_order = order
        question.save()
        by_key[spec["key"]] = question
    return by_key


def _diagnosis(
    cohort: Cohort, questions: dict[str, DiagnosisQuestion], people: dict[str, User]
) -> None:
    first = (
        Session.objects.filter(cohort=cohort, trainee__isnull=True)
        .order_by("starts_at")
        .first()
    )
    answered_at = (first.starts_at if first else timezone.now()) - dt.timedelta(days=2)
    for email, values in ANSWERS.items():
        user = people.get(email)
        if (
            user is None
            or not Enrolment.objects.filter(cohort=cohort, user=user).exists()
        ):
            continue
        response, _ = DiagnosisResponse.objects.update_or_create(
            cohort=cohort,
            user=user,
            defaults={
                "questionnaire": questions["platforms"].questionnaire,
                "submitted_at": answered_at,
                "updated_at": answered_at,
            },
        )
        for key, value in values.items():
            DiagnosisAnswer.objects.update_or_create(
                response=response, question=questions[key], defaults={"value": value}
            )


def _alumni_cohort(course: Any, coach: User) -> Cohort:
    today = timezone.localdate(timezone=SHANGHAI)
    cohort, _ = Cohort.objects.update_or_create(
        slug="kpi-public-class-11",
        defaults={
            "course": course,
            "name": "KPI 管理公开课 · 第 11 期",
            "format": CohortFormat.PUBLIC,
            "description": "已结课的上一期公开课。",
            "starts_on": today - dt.timedelta(days=62),
            "ends_on": today - dt.timedelta(days=45),
            "time_zone": "Asia/Shanghai",
            "capacity": 40,
            "join_code": "KPI11DONE",
            "join_code_expires_on": today - dt.timedelta(days=45),
        },
    )
    cohort.coaches.set([coach])
    cohort.save()
    return cohort


def _alumni(cohort: Cohort) -> None:
    sessions = []
    for title, days in ALUMNI_SESSIONS:
        session, _ = Session.objects.update_or_create(
            cohort=cohort,
            title=title,
            defaults={
                "kind": SessionKind.ONLINE,
                "starts_at": _at(days, 20),
                "ends_at": _at(days, 21, 30),
            },
        )
        sessions.append(session)
    for email, name, ratings, rating, recommend, follow_up, helped, improve in ALUMNI:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, display_name=name
            )
        Enrolment.objects.update_or_create(
            cohort=cohort,
            user=user,
            defaults={
                "status": EnrolmentStatus.ACTIVE,
                "source": EnrolmentSource.JOIN_CODE,
            },
        )
        for session, score in zip(sessions, ratings, strict=True):
            answer, _ = SessionFeedback.objects.update_or_create(
                session=session, user=user, defaults={"rating": score}
            )
            _backdate(answer, _answered(session))
        evaluation, _ = CourseEvaluation.objects.update_or_create(
            cohort=cohort,
            user=user,
            defaults={
                "rating": rating,
                "recommend": recommend,
                "follow_up": follow_up,
                "helped_most": helped,
                "to_improve": improve,
            },
        )
        _backdate(evaluation, _answered(sessions[-1]) + dt.timedelta(days=1))


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    people = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    in_house = (
        Cohort.objects.select_related("course")
        .filter(slug="seabright-in-house")
        .first()
    )
    if in_house is None:
        return
    questions = _questionnaire(in_house.course)
    for cohort in Cohort.objects.filter(
        slug__in=["seabright-in-house", "kpi-public-class"]
    ):
        _diagnosis(cohort, questions, people)
    for slug, title, email, rating, useful, unclear in SURVEYS:
        session = Session.objects.filter(cohort__slug=slug, title=title).first()
        user = people.get(email)
        if session is None or user is None:
            continue
        answer, _ = SessionFeedback.objects.update_or_create(
            session=session,
            user=user,
            defaults={"rating": rating, "most_useful": useful, "unclear": unclear},
        )
        _backdate(answer, _answered(session))
    alumni = _alumni_cohort(in_house.course, people["coach@lodestar.demo"])
    _alumni(alumni)
    if stdout is not None:
        stdout.write(
            f"Feedback: diagnosis with {len(questions)} questions, "
            f"{DiagnosisResponse.objects.count()} answers; past class {alumni.name}"
        )
