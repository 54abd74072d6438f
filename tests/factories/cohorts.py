from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from wagtail.models import Page, Site

from cohorts.models import (
    Answer,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Cohort,
    CohortFormat,
    Enrolment,
    EnrolmentStatus,
    Question,
    Session,
    SessionKind,
)
from courses.models import CourseIndexPage, CoursePage
from tests.factories.accounts import OrganizationFactory, UserFactory


def course_index() -> CourseIndexPage:
    existing = CourseIndexPage.objects.first()
    if existing:
        return existing
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_page if site else Page.get_first_root_node()
    index = CourseIndexPage(title="Courses", slug="courses")
    root.add_child(instance=index)
    return index


def make_course(**kwargs: Any) -> CoursePage:
    index = course_index()
    n = CoursePage.objects.count() + 1
    course = CoursePage(
        title=kwargs.get("title", f"KPI 管理 {n}"),
        slug=kwargs.get("slug", f"course-{n}"),
        summary="",
    )
    index.add_child(instance=course)
    return course


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    course = factory.LazyFunction(make_course)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    format = CohortFormat.PUBLIC
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    time_zone = "Asia/Shanghai"
    join_code = factory.Sequence(lambda n: f"JOIN{n:04d}")

    @factory.post_generation
    def coaches(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.coaches.set(extracted)
            self.save()


class InHouseCohortFactory(CohortFactory):
    format = CohortFormat.IN_HOUSE
    organization = factory.SubFactory(OrganizationFactory)


class CoachFactory(UserFactory):
    is_coach = True
    display_name = factory.Sequence(lambda n: f"Coach {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = SessionKind.ONLINE
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    meeting_url = "https://meet.example.com/kpi"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    status = EnrolmentStatus.ACTIVE


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    status = AttendanceStatus.PRESENT
    method = AttendanceMethod.COACH


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    cohort = factory.SubFactory(CohortFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Question {n}")
    body = "How do we split GMV by platform?"


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Sum each platform's sales."


def seed_demo_cohorts() -> None:
    """The demo people and cohorts only, for browser tests that need no courses."""
    from io import StringIO

    from accounts.demo import seed_people
    from cohorts import demo

    seed_people()
    demo.seed(stdout=StringIO())
