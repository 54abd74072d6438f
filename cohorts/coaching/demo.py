"""Demo coaching data for `seed_demo` (runs after cohorts, before workbook).

Each part seeds in its own function so the helpers who own them do not collide:
homework (assignments, submissions in every state, reviews) here; follow-ups and
champions in `_seed_follow_ups_and_champions`. Idempotent: assignments are found by
cohort and title, and a trainee's submission is only created when it is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cohorts.coaching.homework import services
from cohorts.coaching.models import (
    Assignment,
    AssignmentKind,
    RubricCriterion,
    Submission,
)
from cohorts.models import Cohort

LEVELS_4 = [
    {"points": 0, "label": "缺失", "description": "没有做或完全偏题"},
    {"points": 2, "label": "部分", "description": "方向对，但有遗漏或口径不清"},
    {"points": 3, "label": "良好", "description": "完整，个别细节可改进"},
    {"points": 4, "label": "优秀", "description": "完整、准确，可直接用于团队"},
]

ASSIGNMENTS: list[dict[str, Any]] = [
    {
        "title": "作业 1：拆解年度 GMV 目标",
        "kind": AssignmentKind.TEXT,
        "due_days": -7,
        "instructions": (
            "<p>把你店铺明年的 GMV 目标拆到<strong>季度和月度</strong>，写清楚：</p>"
            "<ul><li>拆分依据（去年季节性、大促节点）</li>"
            "<li>流量 × 转化率 × 客单价 三个驱动的假设</li></ul>"
        ),
        "criteria": [
            ("拆解逻辑", "季度、月度拆分是否有依据，是否覆盖大促", 2, 4),
            ("驱动假设", "流量、转化率、客单价的假设是否可检验", 1, 4),
        ],
    },
    {
        "title": "作业 2：广告 ACoS 诊断报告",
        "kind": AssignmentKind.FILE,
        "due_days": 3,
        "instructions": (
            "<p>导出最近 4 周的 Amazon 广告报表，找出 ACoS 最高的 3 个广告活动，"
            "写一页诊断（PDF、Word 或 Excel 均可）。</p>"
        ),
        "criteria": [
            ("问题定位", "是否找准了拉高 ACoS 的活动与关键词", 2, 4),
            ("改进动作", "动作是否具体、有负责人和时间", 2, 4),
            ("表达清晰", "一页内讲清楚，图表易读", 1, 4),
        ],
    },
    {
        "title": "作业 3：提交你的指标树快照",
        "kind": AssignmentKind.WORKBOOK,
        "due_days": 10,
        "instructions": (
            "<p>在工作簿里搭好你店铺的指标树并设定本季度目标，然后把工作簿"
            "<strong>冻结为快照</strong>提交。教练会逐个指标点评。</p>"
        ),
        "criteria": [
            ("指标树结构", "从 GMV 到可执行的叶子指标，层级清楚", 2, 4),
            ("目标合理性", "目标与历史实际、季节性相符", 1, 4),
        ],
    },
]


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    _seed_homework(stdout=stdout)
    _seed_follow_ups_and_champions(stdout=stdout)


# --- Homework ------------------------------------------------------------------------


def _assignments(
    cohort: Cohort, coach: User, now: dt.datetime, *, shift_days: int = 0
) -> list[Assignment]:
    found = []
    for position, spec in enumerate(ASSIGNMENTS):
        due = (now + dt.timedelta(days=spec["due_days"] + shift_days)).replace(
            hour=12, minute=0, second=0, microsecond=0
        )
        assignment, _ = Assignment.objects.update_or_create(
            cohort=cohort,
            title=spec["title"],
            defaults={
                "kind": spec["kind"],
                "instructions": spec["instructions"],
                "due_at": due,
                "position": position,
                "created_by": coach,
            },
        )
        if not assignment.criteria.exists():
            for order, (title, description, weight, max_points) in enumerate(
                spec["criteria"]
            ):
                RubricCriterion.objects.create(
                    assignment=assignment,
                    title=title,
                    description=description,
                    weight=weight,
                    max_points=max_points,
                    levels=LEVELS_4,
                    position=order,
                )
        found.append(assignment)
    return found


def _hand_in(
    assignment: Assignment, trainee: User, at: dt.datetime, text: str = ""
) -> Submission:
    upload = None
    if assignment.kind == AssignmentKind.FILE:
        upload = ContentFile(text.encode(), name="acos-diagnosis.md")
    return services.submission_add_version(
        assignment=assignment,
        trainee=trainee,
        text=text,
        upload=upload,
        now=at,
    ).submission


def _review(
    submission: Submission,
    coach: User,
    at: dt.datetime,
    *,
    points: list[int],
    approve: bool,
    comment: str,
    action: str = "",
) -> None:
    criteria = list(submission.assignment.criteria.all())
    services.submission_review(
        submission=submission,
        coach=coach,
        decision="approve" if approve else "return",
        scores={
            c.pk: services.ScoreInput(points=p, comment="")
            for c, p in zip(criteria, points, strict=False)
        },
        comment=comment,
        action_items=[
            services.ActionItemInput(action, timezone.localdate() + dt.timedelta(4))
        ]
        if action
        else [],
        now=at,
    )


def _missing(assignment: Assignment, trainee: User) -> bool:
    return not Submission.objects.filter(
        assignment=assignment, trainee=trainee
    ).exists()


def _seed_homework(*, stdout: Any = None) -> None:
    people = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    coach = people["coach@lodestar.demo"]
    chen = people["chen.siyuan@seabright.demo"]
    li = people["li.na@seabright.demo"]
    kevin = people["kevin.zhang@seabright.demo"]
    now = timezone.now()
    ago = lambda days, hours=0: now - dt.timedelta(days=days, hours=hours)  # noqa: E731

    in_house = Cohort.objects.get(slug="seabright-in-house")
    gmv, acos, _tree = _assignments(in_house, coach, now)
    if _missing(gmv, chen):  # returned, resubmitted, approved
        sub = _hand_in(
            gmv, chen, ago(12), "Q1 20%、Q2 25%、Q3 20%、Q4 35%。\n按去年比例拆分。"
        )
        _review(
            sub, coach, ago(11), points=[2, 1], approve=False,
            comment="拆分只有比例，没有说明 Prime Day 和黑五的影响；驱动假设缺失。",
            action="补充 Prime Day、黑五两个大促的单独目标",
        )  # fmt: skip
        _hand_in(
            gmv, chen, ago(9),
            "Q1 20%、Q2 25%（含 Prime Day 单独 8%）、Q3 18%、Q4 37%（黑五网一 15%）。\n"
            "驱动：流量 +12%，转化率 12.5% → 13%，客单价持平 $38。",
        )  # fmt: skip
        _review(
            Submission.objects.get(assignment=gmv, trainee=chen), coach, ago(8),
            points=[4, 3], approve=True, comment="大促拆得清楚，假设可以每周检验。",
        )  # fmt: skip
    if _missing(gmv, li):  # approved first time
        sub = _hand_in(gmv, li, ago(10), "按月拆分，11 月占全年 16%。")
        _review(sub, coach, ago(9), points=[3, 3], approve=True, comment="很好。")
    if _missing(gmv, kevin):  # late, waiting
        _hand_in(gmv, kevin, ago(2), "年度目标 900 万，平均每月 75 万。")
    if _missing(acos, chen):  # in review, claimed by the coach
        sub = _hand_in(acos, chen, ago(1), "# ACoS 诊断\n\n1. SP-自动-卧室灯 ACoS 62%")
        services.submission_claim(submission=sub, coach=coach)
    if _missing(acos, li):  # returned with an action item
        sub = _hand_in(acos, li, ago(3), "# ACoS 诊断\n\n只列了活动，没有关键词。")
        _review(
            sub, coach, ago(2), points=[2, 1, 3], approve=False,
            comment="请下钻到关键词层级，再给出否词和调价动作。",
            action="下钻 3 个活动到关键词，列出否定词清单",
        )  # fmt: skip

    public = Cohort.objects.get(slug="kpi-public-class")
    public_gmv, _acos, _tree = _assignments(public, coach, now, shift_days=10)
    if _missing(public_gmv, li):  # waiting
        _hand_in(
            public_gmv, li, ago(0, 20), "Shopify 独立站：年度 GMV 300 万，Q4 占 40%。"
        )
    if stdout is not None:
        stdout.write("Coaching: homework assignments and submissions ready.\n")


# --- Follow-ups and champions (filled in by their part) -----------------------------


def _seed_follow_ups_and_champions(*, stdout: Any = None) -> None:
    """Follow-ups with action items and a champion with a re-training session."""
    from cohorts.coaching import demo_followups

    demo_followups.seed(stdout=stdout)
