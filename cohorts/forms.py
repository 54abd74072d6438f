from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import AttendanceStatus


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=40,
        help_text=_("Your coach or HR gave you a code of letters and digits."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class QuestionForm(forms.Form):
    title = forms.CharField(label=_("Your question in one line"), max_length=200)
    body = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Not marked")), *AttendanceStatus.choices], required=False
    )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "A .csv or .xlsx file with a name column (name or 姓名) and an email "
            "column (email or 邮箱). CSV in UTF-8 or GB18030."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> object:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return uploaded
