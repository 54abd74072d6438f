"""Forms of the insight pages: the review's cause, action items, summary."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from workbook.models import ActionItemStatus


class FindingCauseForm(forms.Form):
    cause = forms.CharField(
        label=_("Why did it happen? (cause analysis)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("Action to take"), max_length=1000)
    owner = forms.ModelChoiceField(
        label=_("Action owner"), queryset=User.objects.none(), empty_label=None
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    finding = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, people: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in people]
        ).order_by("display_name", "email")
        if people:
            self.fields["owner"].initial = people[0].pk


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItemStatus.choices)


class ReviewCompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of this review"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
