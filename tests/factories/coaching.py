"""Factories for coaching (cohorts.coaching). Shared by several test packages: add,
don't rename."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from cohorts.coaching.models import (
    Assignment,
    AssignmentKind,
    CohortChampion,
    FollowUp,
    RetrainingSession,
    RubricCriterion,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from tests.factories.accounts import OrganizationFactory, UserFactory
from tests.factories.cohorts import CohortFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"作业 {n}: 拆解年度目标")
    instructions = "<p>把年度 GMV 目标拆到季度和月度。</p>"
    kind = AssignmentKind.TEXT
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    assignment = factory.SubFactory(AssignmentFactory)
    title = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    max_points = 4
    levels = factory.LazyFunction(
        lambda: [
            {"points": 0, "label": "缺失", "description": "Missing"},
            {"points": 2, "label": "部分", "description": "Partly there"},
            {"points": 4, "label": "完整", "description": "Complete and exact"},
        ]
    )


def assignment_with_rubric(**kwargs: Any) -> Assignment:
    """An assignment with two criteria: weights 2 and 1, four points each."""
    assignment = AssignmentFactory(**kwargs)
    RubricCriterionFactory(
        assignment=assignment, title="拆解逻辑", weight=2, position=0
    )
    RubricCriterionFactory(
        assignment=assignment, title="指标定义", weight=1, position=1
    )
    return assignment


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission with its first version (text)."""

    class Meta:
        model = Submission
        skip_postgeneration_save = True

    assignment = factory.SubFactory(AssignmentFactory)
    trainee = factory.SubFactory(UserFactory)
    status = SubmissionStatus.SUBMITTED
    version_count = 1

    @factory.post_generation
    def first_version(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            SubmissionVersion.objects.create(
                submission=self,
                number=1,
                text=kwargs.get("text", "年度目标 1200 万，按季度 2:3:2:3 拆分。"),
                created_at=self.waiting_since,
            )


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    cohort = factory.SubFactory(CohortFactory)
    coach = factory.SubFactory(UserFactory, is_coach=True)
    trainee = factory.SubFactory(UserFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    agenda = "复盘上周广告 ACOS"


class CohortChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortChampion

    cohort = factory.SubFactory(CohortFactory)
    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)


class RetrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetrainingSession

    organization = factory.SubFactory(OrganizationFactory)
    champion = factory.SubFactory(UserFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    topic = "KPI 拆解内部分享"
    attendee_count = 8


# --- Homework (reviews, queue) --------------------------------------------------------


def homework_cohort(**kwargs: Any) -> tuple[Any, Any, Any, Assignment]:
    """A cohort with a coach, an enrolled trainee and a two-criterion assignment:
    (cohort, coach, trainee, assignment)."""
    from tests.factories.cohorts import CoachFactory, EnrolmentFactory

    coach = CoachFactory()
    cohort = CohortFactory(coaches=[coach], **kwargs)
    trainee = UserFactory()
    EnrolmentFactory(cohort=cohort, user=trainee)
    assignment = assignment_with_rubric(cohort=cohort)
    return cohort, coach, trainee, assignment
