from __future__ import annotations

import io

import pytest

from accounts.demo import seed_people
from cohorts import demo
from cohorts.models import Answer, Attendance, Cohort, Enrolment, Question, Session

pytestmark = pytest.mark.django_db


def _counts() -> list[int]:
    return [
        m.objects.count()
        for m in (Cohort, Session, Enrolment, Attendance, Question, Answer)
    ]


def test_seed_is_idempotent_and_has_past_and_upcoming_sessions():
    seed_people()
    demo.seed(stdout=io.StringIO())
    first = _counts()
    demo.seed(stdout=io.StringIO())
    assert _counts() == first
    in_house = Cohort.objects.get(slug="seabright-in-house")
    assert in_house.organization.slug == "seabright"
    assert in_house.sessions.past().exists()
    assert in_house.sessions.upcoming().exists()
    assert Question.objects.get().accepted_answer is not None
    assert in_house.course.live
