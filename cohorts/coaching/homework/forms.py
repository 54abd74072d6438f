"""Forms for homework. They parse and check shapes; the rules live in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.coaching.homework.queue import ALL, PENDING, WAITING_HOURS
from cohorts.coaching.homework.services import ActionItemInput, CriterionInput
from cohorts.coaching.models import (
    Assignment,
    AssignmentKind,
    ReviewDecision,
    RubricCriterion,
    SubmissionStatus,
)
from cohorts.models import Cohort

ACTION_ROWS = 3


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Assignment title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Plain text, or simple HTML: <p>, <strong>, <em>, <ul>/<ol>/<li>, <a>. "
            "Anything else is removed."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=AssignmentKind.choices)
    due_at = forms.DateTimeField(
        label=_("Due (date and time)"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    lesson = forms.ModelChoiceField(
        label=_("Linked lesson"),
        queryset=RubricCriterion.objects.none(),
        required=False,
    )
    is_required = forms.BooleanField(
        label=_("Required for completion"), required=False, initial=True
    )

    def __init__(self, *args: Any, cohort: Cohort, lessons: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["lesson"].queryset = lessons
        self.fields["due_at"].help_text = _("In the cohort's time zone (%(zone)s).") % {
            "zone": cohort.time_zone
        }

    @staticmethod
    def initial_for(assignment: Assignment) -> dict[str, Any]:
        local = timezone.localtime(assignment.due_at, assignment.cohort.zone)
        return {
            "title": assignment.title,
            "instructions": assignment.instructions,
            "kind": assignment.kind,
            "due_at": local.replace(tzinfo=None),
            "lesson": assignment.lesson_id,
            "is_required": assignment.is_required,
        }

    def clean_due_at(self) -> dt.datetime:
        """Django read the wall-clock time in the viewer's zone; re-read it in the
        cohort's, which is the zone the coach plans in."""
        value: dt.datetime = self.cleaned_data["due_at"]
        if timezone.is_aware(value):
            value = timezone.make_naive(value, timezone.get_current_timezone())
        return timezone.make_aware(value, self.cohort.zone)


def _parse_levels(text: str, *, max_points: int) -> list[dict[str, Any]]:
    levels = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|", 2)]
        try:
            points = int(parts[0])
        except ValueError:
            raise forms.ValidationError(
                _("Line %(line)s: start with the points, e.g. “4 | Complete | …”.")
                % {"line": number}
            ) from None
        if not 0 <= points <= max_points:
            raise forms.ValidationError(
                _("Line %(line)s: points must be between 0 and %(max)s.")
                % {"line": number, "max": max_points}
            )
        levels.append(
            {
                "points": points,
                "label": parts[1] if len(parts) > 1 else "",
                "description": parts[2] if len(parts) > 2 else "",
            }
        )
    return sorted(levels, key=lambda lv: lv["points"])


def levels_text(levels: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{lv.get('points', 0)} | {lv.get('label', '')} | {lv.get('description', '')}"
        for lv in levels
    )


class CriterionForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Criterion title"), max_length=200)
    description = forms.CharField(
        label=_("What the criterion looks at"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.IntegerField(
        label=_("Weight"), min_value=1, max_value=100, initial=1
    )
    max_points = forms.IntegerField(
        label=_("Maximum points"), min_value=1, max_value=100, initial=4
    )
    levels = forms.CharField(
        label=_("Level descriptors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One level per line: points | label | description."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "max_points" in data and not self.errors.get("levels"):
            try:
                data["levels_parsed"] = _parse_levels(
                    data.get("levels", ""), max_points=data["max_points"]
                )
            except forms.ValidationError as error:
                self.add_error("levels", error)
        return data

    @staticmethod
    def initial_for(criterion: RubricCriterion) -> dict[str, Any]:
        return {
            "pk": criterion.pk,
            "title": criterion.title,
            "description": criterion.description,
            "weight": criterion.weight,
            "max_points": criterion.max_points,
            "levels": levels_text(criterion.levels),
        }


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=0, can_delete=True, min_num=1, validate_min=True
)
CRITERIA_PREFIX = "criteria"


def criteria_from(formset: Any) -> tuple[list[CriterionInput], list[int]]:
    """The kept rows as service input, and the pks of removed ones."""
    kept, removed = [], []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        if data.get("DELETE"):
            if data.get("pk"):
                removed.append(data["pk"])
            continue
        kept.append(
            CriterionInput(
                pk=data.get("pk"),
                title=data["title"],
                description=data.get("description", ""),
                weight=data["weight"],
                max_points=data["max_points"],
                levels=data.get("levels_parsed", []),
            )
        )
    return kept, removed


def criteria_rows_posted(data: QueryDict) -> list[dict[str, Any]]:
    """What the coach typed so far, to re-show it with one more empty row."""
    try:
        total = int(data.get(f"{CRITERIA_PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    names = ("pk", "title", "description", "weight", "max_points", "levels")
    rows = []
    for i in range(min(total, 50)):
        prefix = f"{CRITERIA_PREFIX}-{i}-"
        row: dict[str, Any] = {n: data.get(prefix + n, "") for n in names}
        row["DELETE"] = bool(data.get(prefix + "DELETE"))
        if row["title"] or row["pk"]:
            rows.append(row)
    return rows


class SubmitForm(forms.Form):
    text = forms.CharField(
        label=_("Your homework answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    file = forms.FileField(label=_("Your file"), required=False)
    note = forms.CharField(
        label=_("Note to the coach"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: what changed, or what you want feedback on."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extensions = settings.HOMEWORK_FILE_EXTENSIONS
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{e}" for e in extensions
        )
        from django.template.defaultfilters import filesizeformat

        self.fields["file"].help_text = _(
            "Up to %(limit)s. Accepted: %(extensions)s."
        ) % {
            "limit": filesizeformat(settings.HOMEWORK_MAX_BYTES),
            "extensions": ", ".join(extensions),
        }


class ReviewForm(forms.Form):
    """Points and a comment per criterion, an overall comment, the decision, and up to
    three action items. Range checks are the service's (one message, nothing saved)."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"points-{c.pk}"] = forms.IntegerField(
                label=_("Points for %(criterion)s") % {"criterion": c.title},
                widget=forms.NumberInput(
                    attrs={"min": 0, "max": c.max_points, "inputmode": "numeric"}
                ),
            )
            self.fields[f"comment-{c.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": c.title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for i in range(ACTION_ROWS):
            self.fields[f"action-{i}-description"] = forms.CharField(
                label=_("Action item"), required=False, max_length=500
            )
            self.fields[f"action-{i}-due"] = forms.DateField(
                label=_("Action item due"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def criterion_rows(self) -> list[tuple[RubricCriterion, Any, Any]]:
        return [
            (c, self[f"points-{c.pk}"], self[f"comment-{c.pk}"]) for c in self.criteria
        ]

    def action_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"action-{i}-description"], self[f"action-{i}-due"])
            for i in range(ACTION_ROWS)
        ]

    def scores(self) -> dict[int, Any]:
        from cohorts.coaching.homework.services import ScoreInput

        return {
            c.pk: ScoreInput(
                points=self.cleaned_data.get(f"points-{c.pk}"),
                comment=self.cleaned_data.get(f"comment-{c.pk}", ""),
            )
            for c in self.criteria
        }

    def action_items(self) -> list[ActionItemInput]:
        return [
            ActionItemInput(
                description=self.cleaned_data.get(f"action-{i}-description", ""),
                due_date=self.cleaned_data.get(f"action-{i}-due"),
            )
            for i in range(ACTION_ROWS)
        ]


def node_comments_from(data: QueryDict) -> dict[str, str]:
    """``node-<key>`` fields from the snapshot include; at most 500, keys ≤ 100 chars."""
    found = {}
    for name, value in data.items():
        if name.startswith("node-") and len(name) <= 105 and value.strip():
            found[name[5:]] = value
        if len(found) >= 500:
            break
    return found


class QueueFilterForm(forms.Form):
    cohort = forms.TypedChoiceField(
        label=_("Cohort"), required=False, coerce=int, empty_value=None
    )
    assignment = forms.TypedChoiceField(
        label=_("Assignment"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Homework status"), required=False)
    waited = forms.TypedChoiceField(
        label=_("Waiting for"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, cohorts: list, assignments: list, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All my cohorts"))] + [
            (c.pk, c.name) for c in cohorts
        ]
        self.fields["assignment"].choices = [("", _("All assignments"))] + [
            (a.pk, f"{a.cohort.name} · {a.title}") for a in assignments
        ]
        self.fields["status"].choices = [
            (PENDING, _("To review (waiting or in review)")),
            *SubmissionStatus.choices,
            (ALL, _("Any status")),
        ]
        self.fields["waited"].choices = [("", _("Any waiting time"))] + [
            (h, _("More than %(hours)s hours") % {"hours": h}) for h in WAITING_HOURS
        ]
