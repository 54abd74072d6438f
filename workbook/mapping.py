"""The column-mapping form for generic files: each column becomes a date, a segment,
a metric (with its currency) or is ignored. Built from the file's header, prefilled
from a saved mapping for that header or from the readers' guess."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import kpi
from kpi import readers
from workbook.models import CURRENCIES

SEGMENTS = {
    "platform": _("Platform"),
    "marketplace": _("Marketplace / site"),
    "category": _("Category"),
    "sku": _("SKU"),
    "campaign": _("Campaign"),
    "team": _("Team"),
    "owner": _("Owner"),
}


def _role_choices() -> list[tuple[str, Any]]:
    chinese = (get_language() or "").startswith("zh")
    library = kpi.load_library()
    base = sorted(
        (m for m in library.metrics.values() if m.formula is None),
        key=lambda m: m.key,
    )
    return [
        ("", _("Ignore this column")),
        ("date", _("Date (or period start)")),
        ("end_date", _("Period end date")),
        (
            _("Segments"),
            [(f"segment:{key}", label) for key, label in SEGMENTS.items()],
        ),
        (
            _("Metrics"),
            [
                (f"metric:{m.key}", f"{m.name_zh if chinese else m.name_en} ({m.key})")
                for m in base
            ],
        ),
    ]


class MappingForm(forms.Form):
    platform = forms.CharField(
        label=_("Platform for every row"), required=False, max_length=40
    )
    marketplace = forms.CharField(
        label=_("Marketplace for every row"), required=False, max_length=40
    )
    save_mapping = forms.BooleanField(
        label=_("Save this mapping for files with the same columns"),
        required=False,
        initial=True,
    )
    mapping_name = forms.CharField(
        label=_("Mapping name"), required=False, max_length=200
    )

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        roles = _role_choices()
        currencies = [("", "—"), *CURRENCIES]
        for index, column in enumerate(header):
            self.fields[f"col_{index}_role"] = forms.ChoiceField(
                label=column, choices=roles, required=False
            )
            self.fields[f"col_{index}_currency"] = forms.ChoiceField(
                label=_("Currency of “%(column)s”") % {"column": column},
                choices=currencies,
                required=False,
            )

    def columns(self) -> list[dict[str, Any]]:
        return [
            {
                "name": column,
                "role": self[f"col_{index}_role"],
                "currency": self[f"col_{index}_currency"],
            }
            for index, column in enumerate(self.header)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        roles = [cleaned.get(f"col_{i}_role", "") for i in range(len(self.header))]
        if not any(role.startswith("metric:") for role in roles):
            raise forms.ValidationError(_("Map at least one column to a metric."))
        for unique in ("date", "end_date"):
            if roles.count(unique) > 1:
                raise forms.ValidationError(_("Only one column can be the date."))
        library = kpi.load_library()
        for index, role in enumerate(roles):
            if role.startswith("metric:"):
                metric = library.metrics.get(role.split(":", 1)[1])
                money = metric is not None and str(metric.unit) == "money"
                if money and not cleaned.get(f"col_{index}_currency"):
                    self.add_error(
                        f"col_{index}_currency",
                        _("Choose the currency of this money column."),
                    )
        return cleaned


def mapping_from_form(form: MappingForm) -> dict[str, Any]:
    metrics, segments = [], {}
    date_column = end_date_column = ""
    for index, column in enumerate(form.header):
        role = form.cleaned_data.get(f"col_{index}_role", "")
        if role == "date":
            date_column = column
        elif role == "end_date":
            end_date_column = column
        elif role.startswith("segment:"):
            segments[role.split(":", 1)[1]] = column
        elif role.startswith("metric:"):
            metrics.append(
                readers.MetricColumn(
                    column=column,
                    metric=role.split(":", 1)[1],
                    currency=form.cleaned_data.get(f"col_{index}_currency", ""),
                )
            )
    constants = {
        key: form.cleaned_data[key].strip()
        for key in ("platform", "marketplace")
        if form.cleaned_data.get(key, "").strip() and key not in segments
    }
    return readers.ColumnMapping(
        metrics=tuple(metrics),
        date_column=date_column,
        end_date_column=end_date_column,
        segments=segments,
        constants=constants,
    ).to_dict()


def mapping_initial(
    preview: readers.Preview | None, saved: dict[str, Any] | None
) -> dict[str, Any]:
    if preview is None:
        return {}
    mapping = (
        readers.ColumnMapping.from_dict(saved)
        if saved
        else readers.guess_mapping(preview)
    )
    initial: dict[str, Any] = {
        "platform": mapping.constants.get("platform", ""),
        "marketplace": mapping.constants.get("marketplace", ""),
    }
    by_column: dict[str, tuple[str, str]] = {}
    if mapping.date_column:
        by_column[mapping.date_column] = ("date", "")
    if mapping.end_date_column:
        by_column[mapping.end_date_column] = ("end_date", "")
    for segment, column in mapping.segments.items():
        by_column[column] = (f"segment:{segment}", "")
    for metric in mapping.metrics:
        by_column[metric.column] = (f"metric:{metric.metric}", metric.currency)
    for index, column in enumerate(preview.header):
        role, currency = by_column.get(column, ("", ""))
        initial[f"col_{index}_role"] = role
        initial[f"col_{index}_currency"] = currency
    return initial
