"""Reads for diagnosis and feedback: who may answer what, when, and what is pending.

Timing rules (also on the pages):
- The diagnosis can be answered and changed until the cohort's first group session
  starts (without sessions: until 00:00 on its start date, in the cohort's zone);
  after that it is read-only.
- A session's survey opens when the session starts (coaches often ask for it in the
  last minutes) and stays open; it is for the cohort's active trainees (a 1:1 only
  for its trainee).
- The course evaluation opens when the last group session has ended; a cohort with
  no group sessions opens it at 00:00 on its end date.
Coaches of the cohort and staff read answers and results; everyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Max, Min, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from cohorts.feedback.models import (
    CourseEvaluation,
    DiagnosisAnswer,
    DiagnosisQuestion,
    DiagnosisQuestionnaire,
    DiagnosisResponse,
    PrefillKey,
    SessionFeedback,
)
from cohorts.models import Cohort, EnrolmentStatus, Session
from cohorts.selectors import CohortAccess, cohort_access, cohort_for_user_or_404

if TYPE_CHECKING:
    from accounts.models import User

HOME_SURVEY_DAYS = 7  # a session's survey stays on the home panel this long
HOME_EVALUATION_DAYS = 30


# Timing ----------------------------------------------------------------------


def _local_midnight(cohort: Cohort, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=cohort.zone)


def group_sessions(queryset=None):  # type: ignore[no-untyped-def]
    return (queryset or Session.objects).filter(trainee__isnull=True)


def diagnosis_deadline(cohort: Cohort, first_start: dt.datetime | None) -> dt.datetime:
    """When the diagnosis becomes read-only: the first group session's start."""
    return first_start or _local_midnight(cohort, cohort.starts_on)


def evaluation_opens_at(
    cohort: Cohort, last_end: dt.datetime | None
) -> dt.datetime | None:
    if last_end is not None:
        return last_end
    if cohort.ends_on is not None:
        return _local_midnight(cohort, cohort.ends_on)
    return None


def session_bounds(cohort: Cohort) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(first group session's start, last group session's end) in one query."""
    bounds = (
        group_sessions()
        .filter(cohort=cohort)
        .aggregate(first=Min("starts_at"), last=Max("ends_at"))
    )
    return bounds["first"], bounds["last"]


def survey_is_open(session: Session, now: dt.datetime | None = None) -> bool:
    return session.starts_at <= (now or timezone.now())


def may_answer_session(session: Session, access: CohortAccess, user: User) -> bool:
    if not access.is_active_trainee:
        return False
    return session.trainee_id is None or session.trainee_id == user.pk


# Questionnaire -----------------------------------------------------------------


def questionnaire_for_cohort(
    cohort: Cohort, *, with_questions: bool = True
) -> DiagnosisQuestionnaire | None:
    """The course's questionnaire, whichever language's page it was attached to."""
    queryset = DiagnosisQuestionnaire.objects.filter(
        course__translation_key=cohort.course.translation_key
    )
    if with_questions:
        queryset = queryset.prefetch_related(
            Prefetch(
                "questions",
                queryset=DiagnosisQuestion.objects.order_by("sort_order", "pk"),
            )
        )
    return queryset.first()


@dataclass(slots=True)
class DiagnosisPage:
    """What the trainee's diagnosis page needs."""

    cohort: Cohort
    access: CohortAccess
    questionnaire: DiagnosisQuestionnaire
    questions: list[DiagnosisQuestion]
    response: DiagnosisResponse | None
    answers: dict[int, object]  # question id → stored value
    deadline: dt.datetime

    @property
    def is_locked(self) -> bool:
        return timezone.now() >= self.deadline


def diagnosis_for_trainee_or_404(
    *, user: User, cohort: Cohort, access: CohortAccess
) -> DiagnosisPage:
    """The trainee's own diagnosis; 404 for anyone without an active seat."""
    if not access.is_active_trainee:
        raise Http404
    questionnaire = questionnaire_for_cohort(cohort)
    if questionnaire is None:
        raise Http404
    first, _last = session_bounds(cohort)
    response = (
        DiagnosisResponse.objects.filter(cohort=cohort, user=user)
        .prefetch_related("answers")
        .first()
    )
    answers = (
        {a.question_id: a.value for a in response.answers.all()} if response else {}
    )
    return DiagnosisPage(
        cohort=cohort,
        access=access,
        questionnaire=questionnaire,
        questions=list(questionnaire.questions.all()),
        response=response,
        answers=answers,
        deadline=diagnosis_deadline(cohort, first),
    )


def cohort_for_teacher_or_404(*, user: User, slug: str) -> tuple[Cohort, CohortAccess]:
    """Coaches of the cohort and staff; anyone else (org admin, trainee) gets 404."""
    cohort = cohort_for_user_or_404(user=user, slug=slug)
    access = cohort_access(cohort=cohort, user=user)
    if not access.can_teach:
        raise Http404
    return cohort, access


def session_for_trainee_or_404(
    *, user: User, slug: str, session_id: int
) -> tuple[Session, CohortAccess, SessionFeedback | None]:
    cohort = cohort_for_user_or_404(user=user, slug=slug)
    session = Session.objects.filter(cohort=cohort, pk=session_id).first()
    if session is None:
        raise Http404
    session.cohort = cohort
    access = cohort_access(cohort=cohort, user=user)
    if not may_answer_session(session, access, user):
        raise Http404
    mine = SessionFeedback.objects.filter(session=session, user=user).first()
    return session, access, mine


def session_for_teacher_or_404(
    *, user: User, slug: str, session_id: int
) -> tuple[Session, CohortAccess]:
    cohort, access = cohort_for_teacher_or_404(user=user, slug=slug)
    session = Session.objects.filter(cohort=cohort, pk=session_id).first()
    if session is None:
        raise Http404
    session.cohort = cohort
    return session, access


@dataclass(slots=True)
class EvaluationPage:
    cohort: Cohort
    access: CohortAccess
    opens_at: dt.datetime | None
    mine: CourseEvaluation | None

    @property
    def is_open(self) -> bool:
        return self.opens_at is not None and self.opens_at <= timezone.now()


def evaluation_for_trainee_or_404(
    *, user: User, cohort: Cohort, access: CohortAccess
) -> EvaluationPage:
    if not access.is_active_trainee:
        raise Http404
    _first, last = session_bounds(cohort)
    return EvaluationPage(
        cohort=cohort,
        access=access,
        opens_at=evaluation_opens_at(cohort, last),
        mine=CourseEvaluation.objects.filter(cohort=cohort, user=user).first(),
    )


# Cohort tabs and the session page ------------------------------------------------


@dataclass(frozen=True, slots=True)
class CohortLinks:
    has_questionnaire: bool
    evaluation_open: bool


def cohort_links(cohort: Cohort) -> CohortLinks:
    """Two small queries for the cohort's tab bar."""
    has_questionnaire = DiagnosisQuestionnaire.objects.filter(
        course__translation_key=cohort.course.translation_key
    ).exists()
    _first, last = session_bounds(cohort)
    opens = evaluation_opens_at(cohort, last)
    return CohortLinks(
        has_questionnaire=has_questionnaire,
        evaluation_open=opens is not None and opens <= timezone.now(),
    )


# The home panel ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingDiagnosis:
    cohort: Cohort
    deadline: dt.datetime
    answered: bool


@dataclass(slots=True)
class PendingFeedback:
    diagnoses: list[PendingDiagnosis] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    evaluations: list[Cohort] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.diagnoses or self.sessions or self.evaluations)


def pending_for(*, user: User, now: dt.datetime | None = None) -> PendingFeedback:
    """What a trainee still has to fill in, in a fixed number of queries (≤ 7)."""
    now = now or timezone.now()
    cohorts = list(
        Cohort.objects.filter(
            enrolments__user=user, enrolments__status=EnrolmentStatus.ACTIVE
        ).select_related("course")
    )
    pending = PendingFeedback()
    if not cohorts:
        return pending
    ids = [c.pk for c in cohorts]
    bounds = {
        row["cohort_id"]: (row["first"], row["last"])
        for row in group_sessions()
        .filter(cohort_id__in=ids)
        .values("cohort_id")
        .annotate(first=Min("starts_at"), last=Max("ends_at"))
    }
    keys = set(
        DiagnosisQuestionnaire.objects.filter(
            course__translation_key__in={c.course.translation_key for c in cohorts}
        ).values_list("course__translation_key", flat=True)
    )
    answered = set(
        DiagnosisResponse.objects.filter(user=user, cohort_id__in=ids).values_list(
            "cohort_id", flat=True
        )
    )
    evaluated = set(
        CourseEvaluation.objects.filter(user=user, cohort_id__in=ids).values_list(
            "cohort_id", flat=True
        )
    )
    for cohort in cohorts:
        first, last = bounds.get(cohort.pk, (None, None))
        deadline = diagnosis_deadline(cohort, first)
        if cohort.course.translation_key in keys and now < deadline:
            pending.diagnoses.append(
                PendingDiagnosis(cohort, deadline, cohort.pk in answered)
            )
        opens = evaluation_opens_at(cohort, last)
        if (
            opens is not None
            and opens <= now < opens + dt.timedelta(days=HOME_EVALUATION_DAYS)
            and cohort.pk not in evaluated
        ):
            pending.evaluations.append(cohort)
    pending.diagnoses.sort(key=lambda p: (p.answered, p.deadline))
    pending.sessions = list(
        Session.objects.filter(
            cohort_id__in=ids,
            starts_at__lte=now,
            ends_at__gte=now - dt.timedelta(days=HOME_SURVEY_DAYS),
        )
        .filter(Q(trainee__isnull=True) | Q(trainee=user))
        .exclude(feedback__user=user)
        .select_related("cohort")
        .order_by("-ends_at")
    )
    return pending


# Prefill for the workbook ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiagnosisPrefill:
    """What a trainee's diagnosis says about the workbook they are about to create."""

    cohort_id: int
    platforms: list[str]  # choice keys, lower case: amazon, shopify, tiktok_shop …
    platform_labels: list[str]  # the same in the reader's language
    currency: str | None  # ISO code, upper case
    team_roles: list[str]  # labels or typed names


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        parts = [
            p.strip()
            for p in value.replace("、", ",")
            .replace("，", ",")
            .replace("\n", ",")
            .split(",")
        ]
        return [p for p in parts if p]
    return []


def prefill_for(user: User) -> DiagnosisPrefill | None:
    """The latest diagnosis answers tagged for prefill (two queries), or None."""
    response = (
        DiagnosisResponse.objects.filter(
            user=user,
            cohort__enrolments__user=user,
            cohort__enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .order_by("-updated_at")
        .first()
    )
    if response is None:
        return None
    answers = (
        DiagnosisAnswer.objects.filter(response=response)
        .exclude(question__prefill="")
        .select_related("question")
    )
    platforms: list[str] = []
    platform_labels: list[str] = []
    currency: str | None = None
    roles: list[str] = []
    for answer in answers:
        question = answer.question
        labels = {c.key: c.label for c in question.choices}
        if question.prefill == PrefillKey.PLATFORMS:
            picked = _as_list(answer.value)
            platforms = [v.lower() for v in picked]
            platform_labels = [labels.get(v, v) for v in picked]
        elif question.prefill == PrefillKey.CURRENCY:
            picked = _as_list(answer.value)
            currency = picked[0].upper() if picked else None
        elif question.prefill == PrefillKey.TEAM_ROLES:
            roles = [labels.get(v, v) for v in _as_list(answer.value)]
    if not (platforms or currency or roles):
        return None
    return DiagnosisPrefill(
        cohort_id=response.cohort_id,
        platforms=platforms,
        platform_labels=platform_labels,
        currency=currency,
        team_roles=roles,
    )
