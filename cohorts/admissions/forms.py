"""Forms for applying, reviewing, money and invoices; they parse, services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohorts.admissions.models import (
    ApprovalMode,
    Currency,
    InvoiceKind,
    ManagementPain,
    RevenueBand,
    SalesChannel,
    TeamSize,
)
from cohorts.admissions.services import (
    MAX_REGISTRANTS,
    ApplicantDetails,
    PersonDetails,
)
from cohorts.admissions.validation import clean_phone, clean_tax_id, parse_amount


class AmountField(forms.CharField):
    """Money typed as text and read strictly (see `validation.parse_amount`)."""

    def __init__(self, *, allow_zero: bool = False, **kwargs: Any) -> None:
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 12})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        return parse_amount(text, allow_zero=self.allow_zero)


class ApplicationForm(forms.Form):
    company_name = forms.CharField(
        label=pgettext_lazy("admissions", "Company name"), max_length=200
    )
    applicant_name = forms.CharField(
        label=pgettext_lazy("admissions", "Your name"), max_length=120
    )
    applicant_role = forms.CharField(
        label=pgettext_lazy("admissions", "Your role"),
        max_length=120,
        help_text=_("e.g. founder, operations director, HR"),
    )
    team_size = forms.ChoiceField(
        label=pgettext_lazy("admissions", "Team size (e-commerce team)"),
        choices=[("", pgettext_lazy("admissions", "Choose…")), *TeamSize.choices],
    )
    channels = forms.MultipleChoiceField(
        label=_("Platforms and sites you sell on"),
        choices=SalesChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one platform or site.")},
    )
    revenue_band = forms.ChoiceField(
        label=pgettext_lazy("admissions", "Yearly revenue"),
        choices=[("", pgettext_lazy("admissions", "Choose…")), *RevenueBand.choices],
    )
    pains = forms.MultipleChoiceField(
        label=_("Management problems you want solved"),
        choices=ManagementPain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    problems = forms.CharField(
        label=_("Anything else we should know"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words: what hurts, what you tried."),
    )
    phone = forms.CharField(
        label=pgettext_lazy("admissions", "Contact phone"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=pgettext_lazy("admissions", "Contact email"),
        help_text=_("We send the status link and every change here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def details(self) -> ApplicantDetails:
        data = self.cleaned_data
        return ApplicantDetails(
            company_name=data["company_name"],
            applicant_name=data["applicant_name"],
            applicant_role=data["applicant_role"],
            team_size=data["team_size"],
            revenue_band=data["revenue_band"],
            phone=data["phone"],
            email=data["email"],
            channels=list(data["channels"]),
            pains=list(data["pains"]),
            problems=data["problems"],
        )


class PersonForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("admissions", "Registrant name"), max_length=120
    )
    email = forms.EmailField(label=pgettext_lazy("admissions", "Registrant email"))
    role = forms.CharField(
        label=pgettext_lazy("admissions", "Registrant role"),
        max_length=120,
        required=False,
    )


PeopleFormSet = forms.formset_factory(
    PersonForm, extra=1, max_num=MAX_REGISTRANTS, absolute_max=MAX_REGISTRANTS
)


def people_from(formset: forms.BaseFormSet) -> list[PersonDetails]:
    return [
        PersonDetails(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data.get("role", ""),
        )
        for form in formset.forms
        if form.cleaned_data
    ]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("admissions", "Reason for not accepting"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _(
                "Give a reason: the applicant reads it in their status email."
            )
        },
    )


class SettingsForm(forms.Form):
    is_open = forms.BooleanField(
        label=pgettext_lazy("admissions", "Accepting applications"), required=False
    )
    approval = forms.ChoiceField(
        label=pgettext_lazy("admissions", "Approval"),
        choices=ApprovalMode.choices,
        widget=forms.RadioSelect,
    )
    price = AmountField(
        label=pgettext_lazy("admissions", "Price per person"),
        required=False,
        allow_zero=True,
    )
    currency = forms.ChoiceField(
        label=pgettext_lazy("admissions", "Currency"), choices=Currency.choices
    )


class AgreementForm(forms.Form):
    registrant = forms.TypedChoiceField(
        label=pgettext_lazy("admissions", "Agreement for"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    price = AmountField(
        label=pgettext_lazy("admissions", "Agreed price"), allow_zero=True
    )
    discount = AmountField(
        label=pgettext_lazy("admissions", "Discount"), required=False, allow_zero=True
    )
    currency = forms.ChoiceField(
        label=pgettext_lazy("admissions", "Currency"), choices=Currency.choices
    )
    due_on = forms.DateField(
        label=pgettext_lazy("admissions", "Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=pgettext_lazy("admissions", "Agreement note"),
        max_length=300,
        required=False,
    )

    def __init__(self, *args: Any, registrants: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["registrant"].choices = [
            ("", pgettext_lazy("admissions", "The whole application")),
            *[(r.pk, f"{r.name} <{r.email}>") for r in registrants],
        ]


class PaymentForm(forms.Form):
    amount = AmountField(label=pgettext_lazy("admissions", "Amount received"))
    received_on = forms.DateField(
        label=pgettext_lazy("admissions", "Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reference = forms.CharField(
        label=pgettext_lazy("admissions", "Bank transfer reference"), max_length=120
    )
    payer = forms.CharField(
        label=pgettext_lazy("admissions", "Paid by"), max_length=200, required=False
    )


class InvoiceForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("admissions", "Invoice type"),
        choices=InvoiceKind.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=pgettext_lazy("admissions", "Invoice title (company name)"),
        max_length=200,
    )
    tax_id = forms.CharField(
        label=_("Tax ID (unified social credit code)"),
        max_length=30,
        help_text=_("18 characters, on the business licence."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    address = forms.CharField(
        label=pgettext_lazy("admissions", "Registered address"),
        max_length=300,
        required=False,
    )
    phone = forms.CharField(
        label=pgettext_lazy("admissions", "Company phone"),
        max_length=40,
        required=False,
    )
    bank_name = forms.CharField(
        label=pgettext_lazy("admissions", "Bank"), max_length=200, required=False
    )
    bank_account = forms.CharField(
        label=pgettext_lazy("admissions", "Bank account"), max_length=60, required=False
    )
    email = forms.EmailField(
        label=pgettext_lazy("admissions", "Email for the e-invoice")
    )

    def clean_tax_id(self) -> str:
        return clean_tax_id(self.cleaned_data["tax_id"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == InvoiceKind.SPECIAL:
            for name in ("address", "phone", "bank_name", "bank_account"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("A VAT special invoice needs this."))
        return data


class IssueForm(forms.Form):
    number = forms.CharField(
        label=pgettext_lazy("admissions", "Invoice number"), max_length=40
    )
    issued_on = forms.DateField(
        label=pgettext_lazy("admissions", "Issued on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_issued_on(self) -> dt.date:
        issued_on = self.cleaned_data["issued_on"]
        if issued_on > timezone.localdate() + dt.timedelta(days=1):
            raise forms.ValidationError(_("An invoice cannot be issued in the future."))
        return issued_on
