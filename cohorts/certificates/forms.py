"""Forms: verification, the holder's printed name, issuing overrides, revocation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.certificates.models import CertificateName


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "placeholder": "LS-XXXX-XXXX-XXXX",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class CertificateNameForm(forms.ModelForm):
    class Meta:
        model = CertificateName
        fields = ["name_zh", "name_latin"]
        help_texts = {
            "name_zh": _("As on your ID card, e.g. 李娜."),
            "name_latin": _("Printed under it on bilingual certificates, e.g. Li Na."),
        }


class IssueForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for issuing despite the rules"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Staff only; kept on the certificate's audit log."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log and shown on the verify page if revoked."),
    )
