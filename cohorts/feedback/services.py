"""Writes: saving a diagnosis, answering a session survey, evaluating a course.

Every function checks the trainee on the object and the timing rule (see
`selectors`), and raises `FeedbackError` with a message for the user when it
refuses; nothing is written then. Answers are final once sent for the session
survey and the course evaluation (a second answer is refused with a message, also
when two requests race: the unique constraint decides); the diagnosis can be
changed until the first session starts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cohorts.feedback import selectors
from cohorts.feedback.models import (
    CourseEvaluation,
    DiagnosisAnswer,
    DiagnosisQuestionnaire,
    DiagnosisResponse,
    SessionFeedback,
)
from cohorts.models import Cohort, Session
from cohorts.selectors import cohort_access

if TYPE_CHECKING:
    from accounts.models import User


class FeedbackError(Exception):
    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


@transaction.atomic
def diagnosis_save(
    *,
    cohort: Cohort,
    user: User,
    questionnaire: DiagnosisQuestionnaire,
    answers: dict[int, object],
    now: dt.datetime | None = None,
) -> DiagnosisResponse:
    """Create or replace the trainee's answers, all or nothing.

    `answers` maps question id → value already checked by `DiagnosisForm`; None
    removes an optional answer. Questions of another questionnaire are refused.
    """
    now = now or timezone.now()
    if not cohort_access(cohort=cohort, user=user).is_active_trainee:
        raise FeedbackError(_("Only trainees enrolled in this cohort can answer."))
    first, _last = selectors.session_bounds(cohort)
    deadline = selectors.diagnosis_deadline(cohort, first)
    if now >= deadline:
        raise FeedbackError(
            _(
                "The diagnosis closed when the first session started (%(when)s); "
                "your answers can no longer be changed."
            )
            % {"when": _when(deadline)}
        )
    known = {q.pk: q for q in questionnaire.questions.all()}
    if set(answers) - set(known):
        raise FeedbackError(_("The questionnaire changed; reload the page."))
    missing = [q for q in known.values() if q.required and answers.get(q.pk) is None]
    if missing:
        raise FeedbackError(_("Please answer every required question."))
    response = (
        DiagnosisResponse.objects.select_for_update()
        .filter(cohort=cohort, user=user)
        .first()
    )
    if response is None:
        response = DiagnosisResponse.objects.create(
            questionnaire=questionnaire,
            cohort=cohort,
            user=user,
            submitted_at=now,
            updated_at=now,
        )
    else:
        response.questionnaire = questionnaire
        response.updated_at = now
        response.save(update_fields=["questionnaire", "updated_at"])
    response.answers.all().delete()
    DiagnosisAnswer.objects.bulk_create(
        DiagnosisAnswer(response=response, question_id=pk, value=value)
        for pk, value in answers.items()
        if value is not None
    )
    return response


def _already(moment: dt.datetime) -> Promise:
    return _("You already answered this survey on %(when)s. Thank you!") % {
        "when": _when(moment)
    }


def session_feedback_submit(
    *,
    session: Session,
    user: User,
    rating: int,
    most_useful: str = "",
    unclear: str = "",
    now: dt.datetime | None = None,
) -> SessionFeedback:
    now = now or timezone.now()
    access = cohort_access(cohort=session.cohort, user=user)
    if not selectors.may_answer_session(session, access, user):
        raise FeedbackError(_("Only trainees of this session can answer its survey."))
    if not selectors.survey_is_open(session, now):
        raise FeedbackError(_("The survey opens when the session starts."))
    if not 1 <= rating <= 5:
        raise FeedbackError(_("Please choose a rating from 1 to 5."))
    existing = SessionFeedback.objects.filter(session=session, user=user).first()
    if existing is not None:
        raise FeedbackError(_already(existing.created_at))
    try:
        with transaction.atomic():
            return SessionFeedback.objects.create(
                session=session,
                user=user,
                rating=rating,
                most_useful=most_useful.strip(),
                unclear=unclear.strip(),
            )
    except IntegrityError as exc:  # a second tab or a double tap won the race
        raise FeedbackError(_already(now)) from exc


def course_evaluation_submit(
    *,
    cohort: Cohort,
    user: User,
    rating: int,
    recommend: int,
    follow_up: str,
    helped_most: str = "",
    to_improve: str = "",
    now: dt.datetime | None = None,
) -> CourseEvaluation:
    now = now or timezone.now()
    if not cohort_access(cohort=cohort, user=user).is_active_trainee:
        raise FeedbackError(_("Only trainees enrolled in this cohort can answer."))
    _first, last = selectors.session_bounds(cohort)
    opens = selectors.evaluation_opens_at(cohort, last)
    if opens is None or now < opens:
        raise FeedbackError(_("The course evaluation opens after the last session."))
    if not (1 <= rating <= 5 and 0 <= recommend <= 10):
        raise FeedbackError(_("Please choose a rating from 1 to 5."))
    existing = CourseEvaluation.objects.filter(cohort=cohort, user=user).first()
    if existing is not None:
        raise FeedbackError(_already(existing.created_at))
    try:
        with transaction.atomic():
            return CourseEvaluation.objects.create(
                cohort=cohort,
                user=user,
                rating=rating,
                recommend=recommend,
                follow_up=follow_up,
                helped_most=helped_most.strip(),
                to_improve=to_improve.strip(),
            )
    except IntegrityError as exc:
        raise FeedbackError(_already(now)) from exc
