from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from cohorts import services, tasks
from cohorts.models import Answer, Question
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import (
    AnswerFactory,
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort_people():
    coach = CoachFactory()
    cohort = CohortFactory(coaches=[coach])
    asker = EnrolmentFactory(cohort=cohort).user
    helper = EnrolmentFactory(cohort=cohort).user
    return cohort, coach, asker, helper


def test_ask_answer_accept_through_the_views(client, cohort_people):
    cohort, coach, asker, helper = cohort_people
    client.force_login(asker)
    response = client.post(
        reverse("cohorts:questions", args=[cohort.slug]),
        {"title": "ACoS or TACoS?", "body": "Which one for the weekly review?"},
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert question.author == asker

    client.force_login(helper)
    client.post(
        reverse("cohorts:question", args=[cohort.slug, question.pk]),
        {"body": "TACoS, it includes organic sales."},
    )
    answer = Answer.objects.get()

    accept = reverse(
        "cohorts:answer_accept", args=[cohort.slug, question.pk, answer.pk]
    )
    assert client.post(accept).status_code == 404  # trainees cannot accept
    client.force_login(coach)
    response = client.post(accept, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    question.refresh_from_db()
    assert question.accepted_answer == answer

    page = client.get(reverse("cohorts:question", args=[cohort.slug, question.pk]))
    assert page.templates[0].name == "cohorts/question.html"
    assert "is-accepted" in page.content.decode()


def test_answer_notifies_the_asker_and_earlier_answerers_not_the_author(
    cohort_people,
):
    cohort, coach, asker, helper = cohort_people
    question = QuestionFactory(cohort=cohort, author=asker)
    AnswerFactory(question=question, author=helper)
    answer = services.answer_post(question=question, user=coach, body="Use TACoS.")
    sent = tasks.send_answer_notifications(answer.pk)
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([asker.email, helper.email])
    assert f"/cohorts/{cohort.slug}/questions/{question.pk}/" in mail.outbox[0].body


def test_answer_queues_a_notification_on_commit(
    cohort_people, django_capture_on_commit_callbacks, monkeypatch
):
    cohort, _coach, asker, helper = cohort_people
    queued = []
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda *args, **kwargs: queued.append(args)
    )
    question = QuestionFactory(cohort=cohort, author=asker)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_post(question=question, user=helper, body="x")
    assert queued == [("cohorts.tasks.send_answer_notifications", answer.pk)]


def test_outsiders_cannot_post(cohort_people):
    cohort, *_ = cohort_people
    with pytest.raises(services.CohortError):
        services.question_ask(cohort=cohort, user=UserFactory(), title="t", body="b")
    assert not Question.objects.exists()


def test_board_is_visible_to_the_cohort_only(client, other_organization_user):
    cohort = InHouseCohortFactory()
    question = QuestionFactory(cohort=cohort)
    public = CohortFactory()
    not_enrolled = UserFactory()
    urls = [
        reverse("cohorts:questions", args=[cohort.slug]),
        reverse("cohorts:question", args=[cohort.slug, question.pk]),
    ]
    for outsider in (other_organization_user, not_enrolled):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404
    # a public cohort's board is still for its trainees only
    client.force_login(not_enrolled)
    assert (
        client.get(reverse("cohorts:questions", args=[public.slug])).status_code == 404
    )


def test_home_lists_new_answers_to_my_questions(client, cohort_people):
    cohort, coach, asker, _helper = cohort_people
    question = QuestionFactory(cohort=cohort, author=asker, title="GMV by site?")
    answer = AnswerFactory(question=question, author=coach)
    AnswerFactory(question=question, author=asker, body="Thanks")
    client.force_login(asker)
    response = client.get("/")
    html = response.content.decode()
    assert f"#answer-{answer.pk}" in html
    assert html.count("#answer-") == 1
