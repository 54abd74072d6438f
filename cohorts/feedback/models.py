"""Pre-training diagnosis, session surveys and course evaluations.

A `DiagnosisQuestionnaire` belongs to a course: it is attached to one language's
`CoursePage` and found for a cohort through the course's `translation_key`, so the
Chinese and English copies of a course share one questionnaire (the question text
itself carries both languages). Answers are stored per cohort, because the same
person may take a course twice and the coach reads one cohort at a time.

Answer values are JSON shaped by the question's kind: a choice key (single), a list
of choice keys (multiple), an integer (scales), a number, or text. Keeping them in
one column lets a cohort's summary load every answer in one query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


def in_language(zh: str, en: str) -> str:
    """Pick the reader's language, falling back to the other one when it is empty."""
    chinese = (get_language() or "zh-hans").lower().startswith("zh")
    return (zh or en) if chinese else (en or zh)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE_5 = "scale_5", _("Scale 1–5")
    SCALE_10 = "scale_10", _("Scale 0–10")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
SCALE_RANGES = {QuestionKind.SCALE_5: (1, 5), QuestionKind.SCALE_10: (0, 10)}
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


class PrefillKey(models.TextChoices):
    """What a question's answer can fill in when the trainee creates a workbook."""

    NONE = "", _("Nothing")
    PLATFORMS = "platforms", _("Platforms (choice keys such as amazon, shopify)")
    CURRENCY = "currency", _("Reporting currency (choice keys such as CNY, USD)")
    TEAM_ROLES = "team_roles", _("Team roles")


@dataclass(frozen=True, slots=True)
class Choice:
    key: str
    label_zh: str
    label_en: str

    @property
    def label(self) -> str:
        return in_language(self.label_zh, self.label_en)


_KEY = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")


def parse_choices(text: str) -> list[Choice]:
    """Read the editor's lines ``key | 中文 | English``; raise ValidationError if bad.

    A line with one part uses it as key and both labels (``USD``); two parts are a
    key and one label for both languages.
    """
    choices: list[Choice] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        key = parts[0]
        if not _KEY.match(key) or len(parts) > 3 or not all(parts):
            raise ValidationError(
                _(
                    "Line %(line)s: write “key | 中文 | English”; the key is letters, "
                    "digits, _ or - (at most 40)."
                )
                % {"line": number}
            )
        if key in seen:
            raise ValidationError(
                _("Line %(line)s: the key “%(key)s” is used twice.")
                % {"line": number, "key": key}
            )
        seen.add(key)
        zh = parts[1] if len(parts) > 1 else key
        en = parts[2] if len(parts) > 2 else zh
        choices.append(Choice(key=key, label_zh=zh, label_en=en))
    return choices


class DiagnosisQuestionnaire(ClusterableModel):
    """The questions a course asks its trainees before the first session."""

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="diagnosis_questionnaires",
        verbose_name=_("course"),
        help_text=_(
            "Either language's copy of the course; both copies share the questionnaire."
        ),
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("diagnosis questionnaire")
        verbose_name_plural = _("diagnosis questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["course"], name="feedback_questionnaire_one_per_course"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def intro(self) -> str:
        return in_language(self.intro_zh, self.intro_en)

    def clean(self) -> None:
        super().clean()
        if not self.course_id:
            return
        key = self.course.translation_key
        clash = DiagnosisQuestionnaire.objects.filter(
            course__translation_key=key
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {
                    "course": _(
                        "This course (in one of its languages) already has a "
                        "diagnosis questionnaire."
                    )
                }
            )


class DiagnosisQuestion(Orderable):
    questionnaire = ParentalKey(
        DiagnosisQuestionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    kind = models.CharField(
        _("question type"), max_length=20, choices=QuestionKind.choices
    )
    text_zh = models.CharField(_("question (Chinese)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_zh = models.CharField(_("help text (Chinese)"), max_length=300, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=True)
    choices_text = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "Choice questions only: one per line as “key | 中文 | English”, "
            "e.g. “amazon | 亚马逊 | Amazon”. Keep keys stable once people answered."
        ),
    )
    min_value = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    prefill = models.CharField(
        _("prefills the workbook"),
        max_length=20,
        choices=PrefillKey.choices,
        blank=True,
        default="",
    )

    class Meta(Orderable.Meta):
        verbose_name = _("diagnosis question")
        verbose_name_plural = _("diagnosis questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)

    @property
    def help(self) -> str:
        return in_language(self.help_zh, self.help_en)

    @property
    def choices(self) -> list[Choice]:
        try:
            return parse_choices(self.choices_text)
        except ValidationError:
            return []

    @property
    def scale(self) -> tuple[int, int] | None:
        return SCALE_RANGES.get(self.kind)  # type: ignore[call-overload]

    def clean(self) -> None:
        super().clean()
        if self.kind in CHOICE_KINDS:
            choices = parse_choices(self.choices_text)  # raises with the bad line
            if len(choices) < 2:
                raise ValidationError(
                    {"choices_text": _("A choice question needs at least two choices.")}
                )
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            raise ValidationError(
                {"max_value": _("The largest number is smaller than the smallest.")}
            )


class DiagnosisResponse(models.Model):
    """One trainee's answers for one cohort; editable until the first session."""

    questionnaire = models.ForeignKey(
        DiagnosisQuestionnaire,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        related_name="diagnosis_responses",
        verbose_name=_("cohort"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="diagnosis_responses",
        verbose_name=_("trainee"),
    )
    submitted_at = models.DateTimeField(_("first submitted"))
    updated_at = models.DateTimeField(_("last changed"))

    class Meta:
        verbose_name = _("diagnosis response")
        verbose_name_plural = _("diagnosis responses")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="feedback_diagnosis_one_per_trainee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.cohort}"


class DiagnosisAnswer(models.Model):
    response = models.ForeignKey(
        DiagnosisResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("response"),
    )
    question = models.ForeignKey(
        DiagnosisQuestion,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("question"),
    )
    value = models.JSONField(_("answer"))

    class Meta:
        verbose_name = _("diagnosis answer")
        verbose_name_plural = _("diagnosis answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="feedback_answer_one_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"


class SessionFeedback(models.Model):
    """A trainee's short survey after one session (one per person and session)."""

    session = models.ForeignKey(
        "cohorts.Session",
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="session_feedback",
        verbose_name=_("trainee"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    most_useful = models.TextField(_("most useful"), blank=True)
    unclear = models.TextField(_("unclear"), blank=True)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session survey answer")
        verbose_name_plural = _("session survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="feedback_session_once_per_trainee"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="feedback_session_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}: {self.rating}"


class FollowUpInterest(models.TextChoices):
    YES = "yes", _("Yes, I'd like to continue")
    MAYBE = "maybe", _("Maybe, tell me more")
    NO = "no", _("No, not now")


class CourseEvaluation(models.Model):
    """A trainee's evaluation at the end of a cohort, with the 0–10 NPS question."""

    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("cohort"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_evaluations",
        verbose_name=_("trainee"),
    )
    rating = models.PositiveSmallIntegerField(
        _("overall rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recommend = models.PositiveSmallIntegerField(
        _("likelihood to recommend"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    helped_most = models.TextField(_("helped most"), blank=True)
    to_improve = models.TextField(_("to improve"), blank=True)
    follow_up = models.CharField(
        _("interested in follow-up coaching"),
        max_length=10,
        choices=FollowUpInterest.choices,
    )
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="feedback_evaluation_once_per_trainee"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="feedback_evaluation_rating_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(recommend__gte=0, recommend__lte=10),
                name="feedback_evaluation_recommend_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.cohort}: {self.rating}/{self.recommend}"
