from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import kpi
from accounts.models import Organization
from cohorts.models import Cohort
from workbook.models import CURRENCIES, ImportMode, PeriodGrain
from workbook.selectors import format_choices

TEMPLATE_LABELS = {
    "amazon_store": (_("Amazon store: sales and profit tree")),
    "multi_platform": (_("Multi-platform company: GMV by platform and site")),
    "advertising_team": (_("Advertising team")),
    "operations_inventory": (_("Operations and inventory team")),
}


class WorkbookCreateForm(forms.Form):
    name = forms.CharField(label=_("Workbook name"), max_length=200)
    template_key = forms.ChoiceField(label=_("Start from"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort (optional)"), queryset=Cohort.objects.none(), required=False
    )
    reporting_currency = forms.ChoiceField(
        label=_("Reporting currency"), choices=CURRENCIES, initial="CNY"
    )
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("Fiscal year starts in month"),
        choices=[(m, str(m)) for m in range(1, 13)],
        coerce=int,
        initial=1,
    )
    period_grain = forms.ChoiceField(
        label=_("Review every"), choices=PeriodGrain.choices, initial=PeriodGrain.MONTH
    )

    def __init__(
        self, *args: Any, organizations: Any = None, cohorts: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if cohorts is not None:
            self.fields["cohort"].queryset = cohorts
        templates = [
            (key, TEMPLATE_LABELS.get(key, key)) for key in kpi.list_templates()
        ]
        self.fields["template_key"].choices = [("", _("A blank tree")), *templates]
        if organizations is not None:
            self.fields["organization"].queryset = organizations
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first()


class WorkbookFileForm(forms.Form):
    workbook_file = forms.FileField(
        label=_("Workbook file (JSON)"),
        help_text=_("A workbook exported from Lodestar, or a shared template file."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first()


class DatasetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        allow_empty_file=True,  # the readers explain an empty file in the report
        help_text=_(
            "CSV, TXT or XLSX exactly as downloaded: Amazon, Shopify, TikTok Shop, "
            "Shopee, Google Ads, Meta, your ERP, or any table with a column mapping."
        ),
    )


class DatasetImportForm(forms.Form):
    format_key = forms.ChoiceField(label=_("Format"))
    period = forms.CharField(
        label=_("Period the file covers"),
        required=False,
        help_text=_(
            "Needed when the report has no date column, e.g. 2026-05 or 2026-Q2."
        ),
    )
    mode = forms.ChoiceField(
        label=_("Bad rows"),
        choices=ImportMode.choices,
        initial=ImportMode.STRICT,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chinese = (get_language() or "").startswith("zh")
        self.fields["format_key"].choices = [
            (key, zh if chinese else en) for key, zh, en in format_choices()
        ]
