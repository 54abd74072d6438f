"""Background jobs (django-q2): the emails cohorts send."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from cohorts.models import Answer, Cohort, Enrolment


def _site_url() -> str:
    return getattr(settings, "SITE_URL", "") or getattr(
        settings, "WAGTAILADMIN_BASE_URL", ""
    )


def _send(user: User, template: str, context: dict[str, object]) -> None:
    with translation.override(user.preferred_language):
        subject = render_to_string(f"cohorts/email/{template}_subject.txt", context)
        body = render_to_string(f"cohorts/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def send_answer_notifications(answer_id: int) -> int:
    """Tell the asker and earlier answerers about a new answer, not its author."""
    answer = (
        Answer.objects.select_related("question__author", "question__cohort", "author")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        return 0
    question = answer.question
    people = {question.author_id: question.author}
    for earlier in question.answers.select_related("author").exclude(pk=answer.pk):
        people.setdefault(earlier.author_id, earlier.author)
    people.pop(answer.author_id, None)
    url = _site_url() + reverse(
        "cohorts:question", args=[question.cohort.slug, question.pk]
    )
    for person in people.values():
        _send(
            person,
            "answer",
            {"answer": answer, "question": question, "url": url, "user": person},
        )
    return len(people)


def send_promotion_email(enrolment_id: int) -> None:
    enrolment = (
        Enrolment.objects.select_related("user", "cohort")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return
    url = _site_url() + reverse("cohorts:detail", args=[enrolment.cohort.slug])
    _send(
        enrolment.user,
        "promoted",
        {"cohort": enrolment.cohort, "url": url, "user": enrolment.user},
    )


def send_invitation_email(user_id: int, cohort_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if user is None or cohort is None:
        return
    url = _site_url() + reverse(
        "accounts:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    _send(user, "invitation", {"cohort": cohort, "url": url, "user": user})
