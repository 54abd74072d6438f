"""What coaches read: a cohort's diagnosis summary and its feedback results.

Each function loads everything in a fixed number of queries (the questionnaire and
its questions, the active trainees, every answer) and computes in Python on plain
values with `cohorts.feedback.stats`, so a cohort of 5 or 50 costs the same.

Response rates are over the cohort's *active* trainees now (a withdrawn trainee's
answers still count in the numbers but not in the rate's denominator); a 1:1
session's survey is due from its one trainee.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cohorts.feedback import charts, stats
from cohorts.feedback.models import (
    CHOICE_KINDS,
    SCALE_RANGES,
    TEXT_KINDS,
    CourseEvaluation,
    DiagnosisAnswer,
    DiagnosisQuestion,
    DiagnosisQuestionnaire,
    DiagnosisResponse,
    FollowUpInterest,
    QuestionKind,
    SessionFeedback,
)
from cohorts.feedback.selectors import questionnaire_for_cohort
from cohorts.models import Cohort, Enrolment, EnrolmentStatus, Session

if TYPE_CHECKING:
    from accounts.models import User


def _active_trainees(cohort: Cohort) -> list[User]:
    return [
        e.user
        for e in Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    ]


# Diagnosis ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextAnswer:
    user: User
    text: str


@dataclass(slots=True)
class QuestionSummary:
    question: DiagnosisQuestion
    respondents: int
    bars: list[stats.Bar] = field(default_factory=list)
    numbers: stats.NumberSummary | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    chart: SafeString | None = None

    @property
    def mean(self) -> str:
        return stats.format_number(self.numbers.mean if self.numbers else None)

    @property
    def median(self) -> str:
        return stats.format_number(self.numbers.median if self.numbers else None)


@dataclass(slots=True)
class DiagnosisSummary:
    cohort: Cohort
    questionnaire: DiagnosisQuestionnaire | None
    trainees: list[User]
    responses: dict[int, DiagnosisResponse]  # user id → response
    questions: list[QuestionSummary]

    @property
    def answered(self) -> int:
        return sum(1 for t in self.trainees if t.pk in self.responses)

    @property
    def response_rate(self) -> float | None:
        return stats.rate(self.answered, len(self.trainees))

    @property
    def missing(self) -> list[User]:
        return [t for t in self.trainees if t.pk not in self.responses]


def _numeric(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def summarise_question(
    question: DiagnosisQuestion, values: list[tuple[User, object]]
) -> QuestionSummary:
    """Distribution, numbers or texts for one question (pure: no queries)."""
    summary = QuestionSummary(question=question, respondents=0)
    if question.kind in CHOICE_KINDS:
        keys = [(c.key, c.label) for c in question.choices]
        summary.bars, summary.respondents = stats.choice_counts(
            [v for _u, v in values if isinstance(v, str | list)], keys
        )
        if summary.respondents:
            summary.chart = charts.bar_chart(summary.bars, title=question.text)
    elif question.kind in SCALE_RANGES or question.kind == QuestionKind.NUMBER:
        numbers = [n for _u, v in values if (n := _numeric(v)) is not None]
        summary.respondents = len(numbers)
        summary.numbers = stats.number_summary(numbers)
        if question.kind in SCALE_RANGES:
            low, high = SCALE_RANGES[question.kind]  # type: ignore[index]
            summary.bars = stats.scale_histogram([int(n) for n in numbers], low, high)
        else:
            summary.bars = stats.number_histogram(numbers)
        if numbers:
            summary.chart = charts.bar_chart(summary.bars, title=question.text)
    elif question.kind in TEXT_KINDS:
        summary.texts = [
            TextAnswer(user, str(v).strip())
            for user, v in values
            if isinstance(v, str) and v.strip()
        ]
        summary.respondents = len(summary.texts)
    return summary


def diagnosis_summary(*, cohort: Cohort) -> DiagnosisSummary:
    """Per question distributions and texts, and who has not answered: 5 queries."""
    questionnaire = questionnaire_for_cohort(cohort)
    trainees = _active_trainees(cohort)
    if questionnaire is None:
        return DiagnosisSummary(cohort, None, trainees, {}, [])
    responses = {
        r.user_id: r
        for r in DiagnosisResponse.objects.filter(cohort=cohort).select_related("user")
    }
    by_pk = {r.pk: r for r in responses.values()}
    by_question: dict[int, list[tuple[User, object]]] = defaultdict(list)
    for answer in DiagnosisAnswer.objects.filter(response__cohort=cohort).order_by(
        "response__user__display_name", "pk"
    ):
        response = by_pk[answer.response_id]
        by_question[answer.question_id].append((response.user, answer.value))
    return DiagnosisSummary(
        cohort=cohort,
        questionnaire=questionnaire,
        trainees=trainees,
        responses=responses,
        questions=[
            summarise_question(q, by_question.get(q.pk, []))
            for q in questionnaire.questions.all()
        ],
    )


@dataclass(frozen=True, slots=True)
class AnswerRow:
    question: DiagnosisQuestion
    display: str
    is_empty: bool


def display_value(question: DiagnosisQuestion, value: object) -> str:
    if value in (None, "", []):
        return ""
    if question.kind in CHOICE_KINDS:
        labels = {c.key: c.label for c in question.choices}
        picked = value if isinstance(value, list) else [value]
        return "、".join(labels.get(str(v), str(v)) for v in picked)
    if question.kind in SCALE_RANGES:
        _low, high = SCALE_RANGES[question.kind]  # type: ignore[index]
        return f"{value} / {high}"
    if question.kind == QuestionKind.NUMBER:
        number = _numeric(value)
        return stats.format_number(number) if number is not None else str(value)
    return str(value)


@dataclass(slots=True)
class TraineeAnswers:
    cohort: Cohort
    trainee: User
    response: DiagnosisResponse
    rows: list[AnswerRow]


def trainee_answers_or_404(*, cohort: Cohort, user_id: int) -> TraineeAnswers:
    """One trainee's answers; 404 unless they answered for this very cohort."""
    response = (
        DiagnosisResponse.objects.filter(cohort=cohort, user_id=user_id)
        .select_related("user")
        .prefetch_related("answers")
        .first()
    )
    questionnaire = questionnaire_for_cohort(cohort)
    if response is None or questionnaire is None:
        raise Http404
    values = {a.question_id: a.value for a in response.answers.all()}
    rows = []
    for question in questionnaire.questions.all():
        shown = display_value(question, values.get(question.pk))
        rows.append(AnswerRow(question, shown, not shown))
    return TraineeAnswers(cohort, response.user, response, rows)


# Session and course feedback ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    rating: int
    when: object  # datetime


@dataclass(slots=True)
class SessionResult:
    session: Session
    due: int
    answers: list[SessionFeedback]

    @property
    def responses(self) -> int:
        return len(self.answers)

    @property
    def response_rate(self) -> float | None:
        return stats.rate(self.responses, self.due)

    @property
    def average(self) -> str:
        return stats.format_number(_round(stats.mean([a.rating for a in self.answers])))

    @property
    def bars(self) -> list[stats.Bar]:
        return stats.scale_histogram([a.rating for a in self.answers], 1, 5)

    @property
    def chart(self) -> SafeString:
        return charts.bar_chart(self.bars, title=_("Session rating (1–5)"))

    @property
    def useful(self) -> list[Comment]:
        return [
            Comment(a.most_useful, a.rating, a.created_at)
            for a in self.answers
            if a.most_useful.strip()
        ]

    @property
    def unclear(self) -> list[Comment]:
        return [
            Comment(a.unclear, a.rating, a.created_at)
            for a in self.answers
            if a.unclear.strip()
        ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass(slots=True)
class EvaluationResult:
    due: int
    answers: list[CourseEvaluation]

    @property
    def responses(self) -> int:
        return len(self.answers)

    @property
    def response_rate(self) -> float | None:
        return stats.rate(self.responses, self.due)

    @property
    def average(self) -> str:
        return stats.format_number(_round(stats.mean([a.rating for a in self.answers])))

    @property
    def nps(self) -> stats.NetPromoter:
        return stats.net_promoter(a.recommend for a in self.answers)

    @property
    def rating_chart(self) -> SafeString:
        bars = stats.scale_histogram([a.rating for a in self.answers], 1, 5)
        return charts.bar_chart(bars, title=_("Overall rating (1–5)"))

    @property
    def nps_chart(self) -> SafeString:
        bars = stats.scale_histogram([a.recommend for a in self.answers], 0, 10)
        return charts.bar_chart(
            bars,
            title=_("Likelihood to recommend (0–10)"),
            colours=charts.nps_colours(bars),
        )

    @property
    def follow_up(self) -> list[stats.Bar]:
        keys = [(str(v), str(label)) for v, label in FollowUpInterest.choices]
        bars, _n = stats.choice_counts([a.follow_up for a in self.answers], keys)
        return bars

    @property
    def follow_up_chart(self) -> SafeString:
        return charts.bar_chart(self.follow_up, title=_("Follow-up coaching"))

    @property
    def helped(self) -> list[Comment]:
        return [
            Comment(a.helped_most, a.rating, a.created_at)
            for a in self.answers
            if a.helped_most.strip()
        ]

    @property
    def improve(self) -> list[Comment]:
        return [
            Comment(a.to_improve, a.rating, a.created_at)
            for a in self.answers
            if a.to_improve.strip()
        ]


@dataclass(slots=True)
class CohortResults:
    cohort: Cohort
    sessions: list[SessionResult]
    evaluation: EvaluationResult
    trainees: int

    @property
    def all_ratings(self) -> list[int]:
        return [a.rating for s in self.sessions for a in s.answers]

    @property
    def average(self) -> str:
        return stats.format_number(_round(stats.mean(self.all_ratings)))

    @property
    def responses(self) -> int:
        return len(self.all_ratings)

    @property
    def due(self) -> int:
        return sum(s.due for s in self.sessions)

    @property
    def response_rate(self) -> float | None:
        return stats.rate(self.responses, self.due)

    @property
    def chart(self) -> SafeString:
        bars = stats.scale_histogram(self.all_ratings, 1, 5)
        return charts.bar_chart(bars, title=_("All session ratings (1–5)"))


def _due(session: Session, trainee_ids: set[int]) -> int:
    if session.trainee_id is not None:
        return 1 if session.trainee_id in trainee_ids else 0
    return len(trainee_ids)


def cohort_results(*, cohort: Cohort, now: object = None) -> CohortResults:
    """Every started session's survey and the course evaluation: 4 queries."""
    from django.utils import timezone

    now = now or timezone.now()
    trainee_ids = set(
        Enrolment.objects.filter(
            cohort=cohort, status=EnrolmentStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    sessions = list(
        Session.objects.filter(cohort=cohort, starts_at__lte=now).order_by("starts_at")
    )
    answers: dict[int, list[SessionFeedback]] = defaultdict(list)
    for answer in SessionFeedback.objects.filter(session__cohort=cohort).order_by(
        "-created_at"
    ):
        answers[answer.session_id].append(answer)
    evaluations = list(
        CourseEvaluation.objects.filter(cohort=cohort).order_by("-created_at")
    )
    return CohortResults(
        cohort=cohort,
        sessions=[
            SessionResult(s, _due(s, trainee_ids), answers.get(s.pk, []))
            for s in sessions
        ],
        evaluation=EvaluationResult(len(trainee_ids), evaluations),
        trainees=len(trainee_ids),
    )


def session_result(*, session: Session) -> SessionResult:
    trainee_ids = set(
        Enrolment.objects.filter(
            cohort_id=session.cohort_id, status=EnrolmentStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    answers = list(
        SessionFeedback.objects.filter(session=session).order_by("-created_at")
    )
    return SessionResult(session, _due(session, trainee_ids), answers)
