"""Factories for diagnosis questionnaires and feedback (cohorts.feedback)."""

from __future__ import annotations

from typing import Any

import factory

from cohorts.feedback.models import (
    CourseEvaluation,
    DiagnosisQuestion,
    DiagnosisQuestionnaire,
    FollowUpInterest,
    PrefillKey,
    QuestionKind,
    SessionFeedback,
)
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import SessionFactory, make_course


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosisQuestionnaire

    course = factory.LazyFunction(make_course)
    title_zh = "训前诊断"
    title_en = "Pre-training diagnosis"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiagnosisQuestion

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    kind = QuestionKind.SHORT_TEXT
    text_zh = factory.Sequence(lambda n: f"问题 {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")
    required = True
    sort_order = factory.Sequence(lambda n: n)


def make_questionnaire(course: Any) -> dict[str, DiagnosisQuestion]:
    """One question of each kind, keyed by a short name (platforms, currency …)."""
    questionnaire = QuestionnaireFactory(course=course)
    specs: list[tuple[str, dict[str, Any]]] = [
        (
            "platforms",
            {
                "kind": QuestionKind.MULTIPLE,
                "text_en": "Which platforms do you sell on?",
                "choices_text": "amazon | 亚马逊 | Amazon\nshopify | Shopify\n"
                "shopee | 虾皮 | Shopee",
                "prefill": PrefillKey.PLATFORMS,
            },
        ),
        (
            "currency",
            {
                "kind": QuestionKind.SINGLE,
                "text_en": "Reporting currency?",
                "choices_text": "CNY | 人民币 | Yuan\nUSD | 美元 | US dollar",
                "prefill": PrefillKey.CURRENCY,
            },
        ),
        (
            "roles",
            {
                "kind": QuestionKind.MULTIPLE,
                "text_en": "Team roles?",
                "choices_text": "ops | 运营 | Operations\nads | 广告 | Advertising",
                "prefill": PrefillKey.TEAM_ROLES,
                "required": False,
            },
        ),
        ("maturity", {"kind": QuestionKind.SCALE_5, "text_en": "KPI maturity?"}),
        (
            "trust",
            {
                "kind": QuestionKind.SCALE_10,
                "text_en": "Trust in data?",
                "required": False,
            },
        ),
        (
            "team_size",
            {
                "kind": QuestionKind.NUMBER,
                "text_en": "Team size?",
                "min_value": 1,
                "max_value": 1000,
            },
        ),
        ("pains", {"kind": QuestionKind.LONG_TEXT, "text_en": "Biggest pain?"}),
        (
            "goal",
            {"kind": QuestionKind.SHORT_TEXT, "text_en": "Goal?", "required": False},
        ),
    ]
    return {
        key: QuestionFactory(questionnaire=questionnaire, sort_order=i, **fields)
        for i, (key, fields) in enumerate(specs)
    }


class SessionFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionFeedback

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(UserFactory)
    rating = 4


class CourseEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseEvaluation

    user = factory.SubFactory(UserFactory)
    rating = 4
    recommend = 8
    follow_up = FollowUpInterest.MAYBE
