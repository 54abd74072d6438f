"""Forms for follow-ups. Times are typed in the signed-in user's own time zone (the
middleware activates it), so a coach books 10:00 in their zone and the trainee sees
the same instant in theirs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cohorts.coaching.models import FollowUpStatus


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FollowUpScheduleForm(forms.Form):
    trainee = forms.ModelChoiceField(
        label=_("Trainee for the follow-up"), queryset=User.objects.none()
    )
    scheduled_at = forms.DateTimeField(
        label=_("Follow-up date and time"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=480, initial=45
    )
    location = forms.CharField(
        label=_("Where, or the meeting link"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "https://meeting.tencent.com/…"}),
    )
    agenda = forms.CharField(
        label=_("Agenda for the follow-up"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self, *args: Any, trainees: Any = None, with_trainee: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if with_trainee:
            self.fields["trainee"].queryset = trainees
        else:
            del self.fields["trainee"]
        zone = timezone.get_current_timezone_name()
        self.fields["scheduled_at"].help_text = _("In your time zone (%(zone)s).") % {
            "zone": zone
        }


class FollowUpRecordForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did the follow-up go?"),
        choices=FollowUpStatus.choices,
        widget=forms.RadioSelect,
    )
    agenda = forms.CharField(
        label=_("Agenda for the follow-up"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("Coach's notes from the follow-up"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The trainee can read these notes."),
    )


class ActionItemForm(forms.Form):
    """One action item row. An untouched row is skipped (the formset allows it empty)."""

    description = forms.CharField(
        label=_("Action agreed"),
        max_length=1000,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. cut ACoS on 3 campaigns")}
        ),
    )
    owner = forms.TypedChoiceField(label=_("Action owner"), coerce=int)
    due_date = forms.DateField(
        label=_("Action due date"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, people: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["owner"].choices = [
            (person.pk, person.display_name or person.email) for person in people
        ]
        if people:
            self.fields["owner"].initial = people[0].pk

    def clean_due_date(self) -> Any:
        due = self.cleaned_data.get("due_date")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(
                _("This date is in the past. Choose today or a later day.")
            )
        return due

    def clean_owner(self) -> User:
        owner = self.people.get(self.cleaned_data["owner"])
        if owner is None:
            raise forms.ValidationError(_("Choose the trainee or the coach."))
        return owner


ActionItemFormSet = forms.formset_factory(ActionItemForm, extra=1, max_num=20)


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        label=_("Your reflection"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you took away and what you will try. Your coach reads it."),
    )


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Action item status"), choices=())

    def __init__(
        self, *args: Any, choices: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(choices)
