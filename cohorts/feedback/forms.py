"""Forms trainees fill on a phone: the diagnosis, the session survey, the evaluation.

The diagnosis form is built from the questionnaire's questions; every field carries
its own message in the reader's language (a missing required answer, a scale point
out of range, a number that does not parse or lies outside the editor's bounds).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohorts.feedback.models import (
    SCALE_RANGES,
    DiagnosisQuestion,
    FollowUpInterest,
    QuestionKind,
)
from cohorts.feedback.stats import format_number

REQUIRED_MESSAGE = _("Please answer this question.")
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 3000
COMMENT_MAX = 2000
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def parse_number(raw: str) -> Decimal:
    """“1,200”, “１２００”, “3.5”, “ 40 ” → Decimal; anything else is refused."""
    text = re.sub(r"[\s,_]", "", raw.translate(_FULL_WIDTH))
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            _("“%(value)s” is not a number. Write digits only, e.g. 1200 or 3.5."),
            params={"value": raw[:40]},
        ) from exc
    if not number.is_finite():
        raise ValidationError(_("Write a finite number."))
    return number


class NumberAnswerField(forms.CharField):
    def __init__(
        self, *, min_value: Decimal | None, max_value: Decimal | None, **kwargs: Any
    ) -> None:
        self.min_value, self.max_value = min_value, max_value
        super().__init__(max_length=40, **kwargs)

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        number = parse_number(text)
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Enter %(min)s or more."),
                params={"min": format_number(self.min_value)},
            )
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(
                _("Enter %(max)s or less."),
                params={"max": format_number(self.max_value)},
            )
        return number


def _field_for(question: DiagnosisQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": question.help,
        "required": question.required,
        "error_messages": {"required": REQUIRED_MESSAGE},
    }
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            choices=[(c.key, c.label) for c in question.choices],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c.key, c.label) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind in SCALE_RANGES:
        low, high = SCALE_RANGES[kind]  # type: ignore[index]
        common["error_messages"]["invalid_choice"] = _(
            "Choose a whole number from %(low)s to %(high)s."
        ) % {"low": low, "high": high}
        return forms.TypedChoiceField(
            choices=[(str(v), str(v)) for v in range(low, high + 1)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale-input"}),
            **common,
        )
    if kind == QuestionKind.NUMBER:
        return NumberAnswerField(
            min_value=question.min_value,
            max_value=question.max_value,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off"}
            ),
            **common,
        )
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            **common,
        )
    return forms.CharField(max_length=SHORT_TEXT_MAX, **common)


def field_name(question: DiagnosisQuestion) -> str:
    return f"q{question.pk}"


def _initial(question: DiagnosisQuestion, value: object) -> object:
    if value is None:
        return None
    if question.kind in SCALE_RANGES:
        return str(value)
    if question.kind == QuestionKind.NUMBER:
        return format_number(Decimal(str(value)))
    return value


class DiagnosisForm(forms.Form):
    """One field per question, named ``q<question id>``."""

    def __init__(
        self,
        *args: Any,
        questions: list[DiagnosisQuestion],
        answers: dict[int, object] | None = None,
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        answers = answers or {}
        for question in questions:
            field = _field_for(question)
            field.disabled = disabled
            field.question = question  # type: ignore[attr-defined]
            field.initial = _initial(question, answers.get(question.pk))
            self.fields[field_name(question)] = field

    def answers(self) -> dict[int, object]:
        """question id → JSON-ready value (None: left blank)."""
        values: dict[int, object] = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if isinstance(value, Decimal):
                value = (
                    int(value) if value == value.to_integral_value() else float(value)
                )
            if value in ("", [], None):
                value = None
            values[question.pk] = value
        return values


RATING_CHOICES = [(str(v), str(v)) for v in range(1, 6)]
RECOMMEND_CHOICES = [(str(v), str(v)) for v in range(0, 11)]


class SessionFeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was this session? (1 = not at all, 5 = very)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale-input"}),
        error_messages={
            "required": _("Please choose a rating from 1 to 5."),
            "invalid_choice": _("Please choose a rating from 1 to 5."),
        },
    )
    most_useful = forms.CharField(
        label=_("What was most useful?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    unclear = forms.CharField(
        label=_("What was unclear?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CourseEvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall, how would you rate the course? (1–5)"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale-input"}),
        error_messages={
            "required": _("Please choose a rating from 1 to 5."),
            "invalid_choice": _("Please choose a rating from 1 to 5."),
        },
    )
    recommend = forms.TypedChoiceField(
        label=_(
            "How likely are you to recommend this course to a colleague or friend? "
            "(0 = not at all, 10 = extremely)"
        ),
        choices=RECOMMEND_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale-input scale-11"}),
        error_messages={
            "required": _("Please choose a score from 0 to 10."),
            "invalid_choice": _("Please choose a score from 0 to 10."),
        },
    )
    helped_most = forms.CharField(
        label=_("What helped you most?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    to_improve = forms.CharField(
        label=_("What should we improve?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up = forms.ChoiceField(
        label=_("Would you continue with follow-up coaching (陪跑)?"),
        choices=FollowUpInterest.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose yes, maybe or no.")},
    )
