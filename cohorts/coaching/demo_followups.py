"""Demo follow-ups and champions for `seed_demo` (called from `coaching.demo`).

The Seabright in-house cohort: a held 1:1 between the coach and 李娜 with notes, her
reflection and three action items (one done, one open, one overdue), the next
follow-up booked from it; 陈思远 named Seabright's champion with one re-training
session logged. Idempotent: rows are found by natural keys and refreshed, dates move
with today.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organization, User
from cohorts.coaching.followups.services import next_follow_up_draft
from cohorts.coaching.models import (
    CohortChampion,
    FollowUp,
    FollowUpStatus,
    RetrainingSession,
)
from cohorts.models import Cohort

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MEET = "https://meeting.tencent.com/dm/lodestar-1on1"

ACTIONS = [
    # (description, due in days from today, status)
    ("关停 ACoS 高于 45% 的 3 个自动广告组，预算转到表现好的手动词", -4, "done"),
    ("每周一上午更新广告周报，标出 ACoS 和 TACoS 的变化原因", 5, "open"),
    ("把 5 月退货原因按 SKU 汇总，找出退货率最高的两个款", -1, "open"),
]

RETRAINING_NOTES = (
    "用我们自己的 5 月数据讲了 GMV → 流量 × 转化率 × 客单价 的拆解；"
    "大家最关心的是广告费口径（ACoS 与 TACoS 的区别）。"
    "下次请广告组分享否定词整理的做法。"
)
MATERIALS = (
    "# 海明家居 KPI 内部分享\n\n"
    "1. 指标树：GMV = 访客数 × 转化率 × 客单价\n"
    "2. 目标分解：年度 → 季度 → 月度\n"
    "3. 每周复盘：哪个驱动因素、什么原因、什么行动\n"
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SHANGHAI)


def seed(*, stdout: Any = None) -> None:
    people = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    coach = people["coach@lodestar.demo"]
    li = people["li.na@seabright.demo"]
    kevin = people["kevin.zhang@seabright.demo"]
    chen = people["chen.siyuan@seabright.demo"]
    hr = people["hr@seabright.demo"]
    seabright = Organization.objects.get(slug="seabright")
    cohort = Cohort.objects.get(slug="seabright-in-house")
    today = timezone.localdate(timezone=SHANGHAI)

    held = _held_follow_up(cohort, coach, li, today)
    _booked_next(held)
    champion, _ = CohortChampion.objects.get_or_create(
        cohort=cohort,
        organization=seabright,
        user=chen,
        defaults={"named_by": hr},
    )
    _retraining_session(champion, [li, kevin], today)
    if stdout is not None:
        stdout.write(
            "Coaching: a follow-up with 3 action items, the next one booked; "
            f"{chen.display_name} is Seabright's champion with a re-training session.\n"
        )


def _held_follow_up(
    cohort: Cohort, coach: User, trainee: User, today: dt.date
) -> FollowUp:
    held, _ = FollowUp.objects.update_or_create(
        cohort=cohort,
        coach=coach,
        trainee=trainee,
        previous=None,
        defaults={
            "scheduled_at": _at(today - dt.timedelta(days=6), 10),
            "duration_minutes": 45,
            "location": MEET,
            "status": FollowUpStatus.DONE,
            "agenda": "1. 上周广告数据：ACoS 为什么从 32% 升到 38%\n2. 退货率\n3. 下周行动",
            "notes": (
                "ACoS 上升主要来自 3 个自动广告组（花费占 40%，几乎没有转化）。"
                "退货集中在两款收纳盒，尺寸描述不清。"
                "约定：先关停低效广告组，周报里写清楚 ACoS 与 TACoS 变化的原因。"
            ),
            "reflection": (
                "以前只看 ACoS 总数，这次学会了按广告组拆开看。"
                "下周先把周报模板搭起来，请 Kevin 一起看否定词。"
            ),
        },
    )
    for description, due_days, status in ACTIONS:
        due = today + dt.timedelta(days=due_days)
        held.action_items.update_or_create(
            description=description,
            defaults={
                "owner": trainee,
                "created_by": coach,
                "due_date": due,
                "status": status,
                "source": "follow_up",
                "completed_at": _at(due, 18) if status == "done" else None,
            },
        )
    return held


def _booked_next(held: FollowUp) -> FollowUp:
    draft = next_follow_up_draft(follow_up=held)
    booked, _ = FollowUp.objects.update_or_create(
        previous=held,
        defaults={
            "cohort": held.cohort,
            "coach": held.coach,
            "trainee": held.trainee,
            "scheduled_at": draft.scheduled_at,
            "duration_minutes": draft.duration_minutes,
            "location": draft.location,
            "agenda": draft.agenda,
            "status": FollowUpStatus.SCHEDULED,
        },
    )
    return booked


def _retraining_session(
    champion: CohortChampion, attendees: list[User], today: dt.date
) -> RetrainingSession:
    session, _ = RetrainingSession.objects.update_or_create(
        organization=champion.organization,
        champion=champion.user,
        topic="内部分享：用指标树拆解店铺 GMV",
        defaults={
            "cohort": champion.cohort,
            "held_on": today - dt.timedelta(days=3),
            "attendee_count": 5,
            "attendee_names": "王芳, 刘洋, 赵敏, 孙浩, 周婷",
            "materials_url": "https://lodestar.example.com/files/kpi-tree-template.xlsx",
            "notes": RETRAINING_NOTES,
        },
    )
    session.attendees.set(attendees)
    if not session.materials:
        session.materials.save(
            "kpi-internal-share.md", ContentFile(MATERIALS.encode()), save=True
        )
    return session
