from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cohorts.coaching.champions.services import check_materials_file
from cohorts.coaching.followups.forms import DateInput


class ChampionNameForm(forms.Form):
    organization = forms.IntegerField(widget=forms.HiddenInput)
    user = forms.IntegerField(label=_("Colleague to name as champion"))


def _names(text: str) -> list[str]:
    return [name for name in re.split(r"[\n,，、;；]+", text) if name.strip()]


class RetrainingSessionForm(forms.Form):
    championship = forms.TypedChoiceField(
        label=_("For which organization and cohort"), coerce=int
    )
    held_on = forms.DateField(label=_("Date of the session"), widget=DateInput())
    topic = forms.CharField(label=_("Session topic"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Colleagues who attended"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendee_count = forms.IntegerField(
        label=_("Other attendees (number)"),
        min_value=0,
        max_value=10000,
        initial=0,
        help_text=_("People without a Lodestar account."),
    )
    attendee_names = forms.CharField(
        label=_("Names of the other attendees"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; separate names with commas or new lines."),
    )
    materials = forms.FileField(
        label=_("Materials file"),
        required=False,
        help_text=_("Slides, handouts or templates; up to %(mb)s MB.")
        % {"mb": settings.HOMEWORK_MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ",".join(
                    f".{ext}" for ext in settings.HOMEWORK_FILE_EXTENSIONS
                )
            }
        ),
    )
    remove_materials = forms.BooleanField(
        label=_("Remove the materials file"), required=False
    )
    materials_url = forms.URLField(
        label=_("Link to the materials"), required=False, assume_scheme="https"
    )
    notes = forms.CharField(
        label=_("Notes on the session"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What worked, questions people asked, what to do next."),
    )

    def __init__(
        self,
        *args: Any,
        championships: list[Any],
        members: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.championships = {c.pk: c for c in championships}
        self.fields["championship"].choices = [
            (c.pk, f"{c.organization.name} · {c.cohort.name}") for c in championships
        ]
        if editing or len(championships) == 1:
            self.fields["championship"].required = False
            self.fields["championship"].widget = forms.HiddenInput()
        self.fields["attendees"].queryset = members
        self.fields["attendees"].label_from_instance = lambda user: (
            user.display_name or user.email
        )
        if not editing:
            del self.fields["remove_materials"]

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(
                _("Log a session after it was held: the date is in the future.")
            )
        return held_on

    def clean_materials(self) -> Any:
        upload = self.cleaned_data.get("materials")
        if upload:
            try:
                check_materials_file(upload)
            except Exception as error:  # ValidationError from the service
                raise forms.ValidationError(
                    getattr(error, "messages", [str(error)])
                ) from None
        return upload

    def clean_championship(self) -> Any:
        value = self.cleaned_data.get("championship")
        if value in (None, "") and len(self.championships) == 1:
            return next(iter(self.championships.values()))
        if value in (None, ""):
            return None
        championship = self.championships.get(value)
        if championship is None:
            raise forms.ValidationError(_("Choose one of your cohorts."))
        return championship

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = _names(data.get("attendee_names") or "")
        count = data.get("attendee_count")
        if count is not None and len(names) > count:
            self.add_error(
                "attendee_count",
                _("You named %(names)s other attendees but counted %(count)s.")
                % {"names": len(names), "count": count},
            )
        return data
