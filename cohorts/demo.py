"""Demo cohorts for `seed_demo`: a public class and Seabright Home's in-house training.

Idempotent: cohorts, sessions, enrolments, attendance and the Q&A thread are looked
up by natural keys and refreshed; session times move with today so the demo always
has past and upcoming sessions.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from accounts.models import Organization, User
from cohorts.models import (
    Answer,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Cohort,
    CohortFormat,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Question,
    Session,
    SessionKind,
)
from courses.models import CourseIndexPage, CoursePage

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _site_root() -> Page:
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_page
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root")
    )
    home = root.get_first_child()
    if home is None:
        home = root.add_child(instance=Page(title="Lodestar", slug="home"))
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    return home


def _course() -> CoursePage:
    course = CoursePage.objects.live().order_by("path").first()
    if course:
        return course
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="课程 Courses", slug="courses")
        _site_root().add_child(instance=index)
    course = CoursePage.objects.filter(slug="kpi-management").first()
    if course is None:
        course = CoursePage(
            title="跨境电商 KPI 管理 KPI Management",
            slug="kpi-management",
            summary="Build a metric tree, set targets and review every week.",
        )
        index.add_child(instance=course)
    return course


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate(timezone=SHANGHAI) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _session(cohort: Cohort, title: str, **fields: Any) -> Session:
    session, _created = Session.objects.update_or_create(
        cohort=cohort, title=title, defaults=fields
    )
    return session


def _enrol(cohort: Cohort, user: User, source: str) -> None:
    Enrolment.objects.update_or_create(
        cohort=cohort,
        user=user,
        defaults={"status": EnrolmentStatus.ACTIVE, "source": source},
    )


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    people = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    coach = people["coach@lodestar.demo"]
    chen = people["chen.siyuan@seabright.demo"]
    li = people["li.na@seabright.demo"]
    kevin = people["kevin.zhang@seabright.demo"]
    seabright = Organization.objects.get(slug="seabright")
    course = _course()
    today = timezone.localdate(timezone=SHANGHAI)

    public, _ = Cohort.objects.update_or_create(
        slug="kpi-public-class",
        defaults={
            "course": course,
            "name": "KPI 管理公开课 · 第 12 期",
            "format": CohortFormat.PUBLIC,
            "description": "四周线上直播 + 一次深圳线下工作坊。",
            "starts_on": today - dt.timedelta(days=14),
            "ends_on": today + dt.timedelta(days=28),
            "time_zone": "Asia/Shanghai",
            "capacity": 40,
            "join_code": "KPI12OPEN",
        },
    )
    public.coaches.set([coach])
    public.save()
    in_house, _ = Cohort.objects.update_or_create(
        slug="seabright-in-house",
        defaults={
            "course": course,
            "name": "海明家居 KPI 内训",
            "format": CohortFormat.IN_HOUSE,
            "organization": seabright,
            "description": "为海明家居运营团队定制：指标树、目标分解与每周复盘。",
            "starts_on": today - dt.timedelta(days=21),
            "ends_on": today + dt.timedelta(days=35),
            "time_zone": "Asia/Shanghai",
            "capacity": 12,
            "join_code": "SEABRIGHT",
        },
    )
    in_house.coaches.set([coach])
    in_house.save()

    meet = "https://meeting.tencent.com/dm/lodestar-kpi"
    p1 = _session(
        public,
        "第 1 讲：从 GMV 到指标树",
        kind=SessionKind.ONLINE,
        starts_at=_at(-7, 20),
        ends_at=_at(-7, 21, 30),
        meeting_url=meet,
        replay_url="https://lodestar.example.com/replays/kpi-12-1",
        materials_url="https://lodestar.example.com/files/kpi-tree-template.xlsx",
    )
    _session(
        public,
        "第 2 讲：目标分解与季节性",
        kind=SessionKind.ONLINE,
        starts_at=_at(3, 20),
        ends_at=_at(3, 21, 30),
        meeting_url=meet,
    )
    _session(
        public,
        "深圳线下工作坊：广告指标实战",
        kind=SessionKind.WORKSHOP,
        starts_at=_at(10, 9, 30),
        ends_at=_at(10, 17),
        address="深圳市南山区科苑南路 2666 号 中国华润大厦 18 层",
        map_url="https://uri.amap.com/search?keyword=华润大厦",
    )
    s1 = _session(
        in_house,
        "启动会：海明家居的指标树",
        kind=SessionKind.WORKSHOP,
        starts_at=_at(-14, 14),
        ends_at=_at(-14, 17),
        address="杭州市滨江区江南大道 3588 号 海明家居 5 楼培训室",
        replay_url="https://lodestar.example.com/replays/seabright-kickoff",
    )
    s2 = _session(
        in_house,
        "第 2 讲：广告 ACoS 与利润",
        kind=SessionKind.ONLINE,
        starts_at=_at(-7, 19),
        ends_at=_at(-7, 20, 30),
        meeting_url=meet,
    )
    _session(
        in_house,
        "现场工作坊：周复盘演练",
        kind=SessionKind.WORKSHOP,
        starts_at=_at(0, 14),
        ends_at=_at(0, 17),
        address="杭州市滨江区江南大道 3588 号 海明家居 5 楼培训室",
    )
    _session(
        in_house,
        "第 4 讲：库存周转与备货",
        kind=SessionKind.ONLINE,
        starts_at=_at(7, 19),
        ends_at=_at(7, 20, 30),
        meeting_url=meet,
    )
    _session(
        in_house,
        "1:1 陪跑：陈思远",
        kind=SessionKind.ONE_TO_ONE,
        starts_at=_at(2, 10),
        ends_at=_at(2, 11),
        meeting_url=meet,
        trainee=chen,
    )

    for user in (chen, li, kevin):
        _enrol(in_house, user, EnrolmentSource.BULK)
    _enrol(public, li, EnrolmentSource.JOIN_CODE)

    marks = [
        (s1, chen, AttendanceStatus.PRESENT, AttendanceMethod.QR),
        (s1, li, AttendanceStatus.PRESENT, AttendanceMethod.QR),
        (s1, kevin, AttendanceStatus.LATE, AttendanceMethod.COACH),
        (s2, chen, AttendanceStatus.PRESENT, AttendanceMethod.COACH),
        (s2, li, AttendanceStatus.EXCUSED, AttendanceMethod.COACH),
        (p1, li, AttendanceStatus.PRESENT, AttendanceMethod.COACH),
    ]
    for session, user, status, method in marks:
        Attendance.objects.update_or_create(
            session=session,
            user=user,
            defaults={
                "status": status,
                "method": method,
                "recorded_by": coach if method == AttendanceMethod.COACH else user,
                "recorded_at": session.starts_at + dt.timedelta(minutes=5),
            },
        )

    question, _ = Question.objects.update_or_create(
        cohort=in_house,
        title="TikTok Shop 的达人佣金算进广告费还是销售成本？",
        defaults={
            "author": li,
            "body": "我们算 TACoS 时，达人佣金要不要计入广告花费？不同平台口径不一样。",
            "created_at": timezone.now() - dt.timedelta(days=5),
        },
    )
    Answer.objects.update_or_create(
        question=question,
        author=kevin,
        defaults={
            "body": "我们之前放在销售成本里，这样 ACoS 会偏低。",
            "created_at": timezone.now() - dt.timedelta(days=4, hours=20),
        },
    )
    accepted, _ = Answer.objects.update_or_create(
        question=question,
        author=coach,
        defaults={
            "body": (
                "Put affiliate commission in marketing spend for TACoS so platforms "
                "compare like for like; keep it out of ACoS (ads only). 在指标定义里写清楚口径。"
            ),
            "created_at": timezone.now() - dt.timedelta(days=4),
        },
    )
    question.accepted_answer = accepted
    question.save(update_fields=["accepted_answer"])

    if stdout is not None:
        stdout.write(
            f"Cohorts: {public.name} (code {public.join_code}), "
            f"{in_house.name} (code {in_house.join_code})"
        )
