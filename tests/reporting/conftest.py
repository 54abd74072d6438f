"""A constructed organisation whose report figures are known exactly.

Acme (slug `acme`) has an in-house cohort A (course of 4 lessons, 3 sessions held and
one to come, 2 required assignments and 1 optional) and its member 李雷 also joined a
public cohort B (course of 2 lessons, 1 session held). An outsider from another
organisation sits in cohort B too and must never show on Acme's reports.

| person | team      | cohort | attendance        | lessons | required approved |
| 王芳   | Amazon US | A      | 3 of 3 → 100.0 %  | 4/4     | 2 of 2 (90, 80)   |
| 李雷   | Amazon US | A      | 2 of 3 → 66.7 %   | 1/4     | 0 (one waiting)   |
| Kevin  | TikTok    | A      | 1 of 2 → 50.0 %   | 0/4     | 0                 |
|        |           |        | (excused once)    |         |                   |
| 李雷   | Amazon US | B      | 1 of 1 → 100.0 %  | 1/2     | —                 |

王芳 holds a valid certificate for A; 李雷's certificate for B was revoked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Membership, MembershipRole, Organization, User
from cohorts.certificates.models import Certificate, CertificateStatus
from cohorts.coaching.models import SubmissionStatus
from cohorts.models import AttendanceStatus, Cohort, CohortFormat
from courses.models import LessonProgress
from tests.factories.accounts import MembershipFactory, OrganizationFactory, UserFactory
from tests.factories.coaching import (
    AssignmentFactory,
    CohortChampionFactory,
    RetrainingSessionFactory,
    SubmissionFactory,
)
from tests.factories.cohorts import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)
from tests.factories.courses import CoursePageFactory, LessonPageFactory


@dataclass
class Acme:
    organization: Organization
    admin: User
    wang: User
    li: User
    kevin: User
    outsider: User
    cohort_a: Cohort
    cohort_b: Cohort


def held(days_ago: int) -> dict[str, dt.datetime]:
    start = timezone.now() - dt.timedelta(days=days_ago)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}


def member(org: Organization, name: str, email: str, team: str, **kw: object) -> User:
    user = UserFactory(display_name=name, email=email)
    MembershipFactory(user=user, organization=org, team=team, **kw)
    return user


def complete_lessons(user: User, lessons: list, count: int) -> None:
    for lesson in lessons[:count]:
        LessonProgress.objects.create(
            user=user,
            course_key=lesson.get_parent().translation_key,
            lesson_key=lesson.translation_key,
            completed_at=timezone.now(),
        )


def build_acme() -> Acme:
    org = OrganizationFactory(name="Acme 海岸家居", slug="acme")
    admin = member(org, "人事 林", "hr@acme.test", "", role=MembershipRole.ADMIN)
    wang = member(org, "王芳", "wang@acme.test", "Amazon US", title="运营经理")
    li = member(org, "李雷", "li@acme.test", "Amazon US")
    kevin = member(org, "Kevin Zhang", "kevin@acme.test", "TikTok")
    outsider = MembershipFactory(user__display_name="外人").user

    course_a = CoursePageFactory(title="KPI 内训课程")
    lessons_a = [LessonPageFactory(parent=course_a) for _ in range(4)]
    course_b = CoursePageFactory(title="公开课课程")
    lessons_b = [LessonPageFactory(parent=course_b) for _ in range(2)]

    cohort_a = CohortFactory(
        course=course_a,
        name="Acme 内训 A",
        slug="acme-a",
        format=CohortFormat.IN_HOUSE,
        organization=org,
    )
    cohort_b = CohortFactory(course=course_b, name="公开课 B", slug="public-b")
    for person in (wang, li, kevin):
        EnrolmentFactory(cohort=cohort_a, user=person)
    EnrolmentFactory(cohort=cohort_b, user=li)
    EnrolmentFactory(cohort=cohort_b, user=outsider)

    s1, s2, s3 = (SessionFactory(cohort=cohort_a, **held(d)) for d in (21, 14, 7))
    SessionFactory(cohort=cohort_a)  # still to come
    b1 = SessionFactory(cohort=cohort_b, **held(3))
    marks = {
        wang: ["present", "present", "present"],
        li: ["present", "late", "absent"],
        kevin: ["present", "excused", "absent"],
    }
    for person, statuses in marks.items():
        for session, status in zip((s1, s2, s3), statuses, strict=True):
            AttendanceFactory(session=session, user=person, status=status)
    AttendanceFactory(session=b1, user=li, status=AttendanceStatus.PRESENT)
    AttendanceFactory(session=b1, user=outsider, status=AttendanceStatus.ABSENT)

    complete_lessons(wang, lessons_a, 4)
    complete_lessons(li, lessons_a, 1)
    complete_lessons(li, lessons_b, 1)

    first = AssignmentFactory(cohort=cohort_a, is_required=True)
    second = AssignmentFactory(cohort=cohort_a, is_required=True)
    AssignmentFactory(cohort=cohort_a, is_required=False)
    for assignment, score in ((first, "90"), (second, "80")):
        SubmissionFactory(
            assignment=assignment,
            trainee=wang,
            status=SubmissionStatus.APPROVED,
            score_percent=Decimal(score),
        )
    SubmissionFactory(assignment=first, trainee=li, status=SubmissionStatus.SUBMITTED)

    today = timezone.localdate()
    kevin.action_items.create(
        description="补交广告报表", due_date=today - dt.timedelta(days=3)
    )
    kevin.action_items.create(
        description="复盘 TACoS", due_date=today + dt.timedelta(days=3)
    )

    CohortChampionFactory(cohort=cohort_a, organization=org, user=wang)
    for _ in range(2):
        RetrainingSessionFactory(
            organization=org, champion=wang, cohort=cohort_a, held_on=today
        )
    RetrainingSessionFactory(
        organization=org,
        champion=wang,
        cohort=None,
        held_on=today - dt.timedelta(days=150),
    )
    Certificate.objects.create(
        user=wang, cohort=cohort_a, code="ACME-WANG-0001", issued_at=timezone.now()
    )
    Certificate.objects.create(
        user=li,
        cohort=cohort_b,
        code="ACME-LI-REVOKED",
        status=CertificateStatus.REVOKED,
        revoked_reason="issued by mistake",
    )
    return Acme(org, admin, wang, li, kevin, outsider, cohort_a, cohort_b)


@pytest.fixture
def acme(db: None) -> Acme:
    return build_acme()


@pytest.fixture
def other_admin(db: None) -> User:
    return MembershipFactory(role=MembershipRole.ADMIN).user


@pytest.fixture
def plain_member(acme: Acme) -> User:
    return Membership.objects.get(user=acme.li, organization=acme.organization).user
