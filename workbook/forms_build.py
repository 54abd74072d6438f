"""Forms of the build pages: they parse input; the services in tree.py, targets.py,
snapshots.py and sharing.py decide what is allowed."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

import kpi

DECOMPOSITIONS = [
    ("none", _("Measured directly (no children)")),
    ("additive", _("Sum of its children (+/−)")),
    ("multiplicative", _("Product of its children (×)")),
    ("formula", _("Formula over its children")),
]
LEVELS = [
    ("company", _("Company")),
    ("department", _("Department")),
    ("role", _("Role")),
]
node_key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,59}$",
    _("Use lower-case letters, digits and _ , starting with a letter (e.g. ad_sales)."),
)


class NodeForm(forms.Form):
    """Add (with ``parents``) or edit a node of the tree."""

    parent = forms.ChoiceField(label=_("Under metric"), required=True)
    key = forms.CharField(
        label=_("Metric key in the tree"),
        max_length=60,
        validators=[node_key_validator],
        help_text=_("Short, unique; used in formulas. e.g. ad_sales"),
    )
    metric = forms.CharField(
        label=_("Library metric"),
        required=False,
        help_text=_("Type to search in Chinese or English; empty for a computed node."),
        widget=forms.TextInput(attrs={"list": "metric-library", "autocomplete": "off"}),
    )
    name_zh = forms.CharField(label=_("Chinese name"), max_length=120, required=False)
    name_en = forms.CharField(label=_("English name"), max_length=120, required=False)
    decomposition = forms.ChoiceField(
        label=_("How it breaks down"), choices=DECOMPOSITIONS, initial="none"
    )
    formula = forms.CharField(
        label=_("Formula"),
        required=False,
        max_length=500,
        help_text=_("Only for “Formula over its children”, e.g. ad_spend / ad_sales"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS, initial="role")
    owner_role = forms.CharField(label=_("Owner role"), max_length=80, required=False)
    owner_person = forms.CharField(
        label=_("Owner (person)"), max_length=80, required=False
    )

    def __init__(
        self,
        *args: object,
        parents: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if parents is None:
            del self.fields["parent"]
            del self.fields["key"]
        else:
            self.fields["parent"].choices = parents

    def clean_metric(self) -> str:
        raw = (self.cleaned_data.get("metric") or "").strip()
        key = raw.split(" ", 1)[0]  # the datalist fills "key — 名称 / name"
        if key and key not in kpi.load_library():
            raise forms.ValidationError(
                _("“%(metric)s” is not a metric of the library."),
                params={"metric": raw},
            )
        return key

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("decomposition") == "formula" and not data.get("formula"):
            self.add_error("formula", _("A formula node needs its formula."))
        return data


class MoveNodeForm(forms.Form):
    parent = forms.ChoiceField(label=_("Move under"))

    def __init__(
        self, *args: object, parents: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["parent"].choices = parents


class RemoveNodeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Yes, remove this metric, the metrics below it, their targets and the targets' history"
        ),
        required=True,
    )


def parse_number(text: str) -> Decimal | None:
    """A typed number: spaces, thousands separators and a trailing % are allowed."""
    cleaned = (
        text.strip().replace(",", "").replace("，", "").replace(" ", "").rstrip("%")
    )
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(_("Type a number.")) from None
    if not value.is_finite():
        raise forms.ValidationError(_("Type a number."))
    return value


class TargetCellForm(forms.Form):
    node = forms.CharField(max_length=80)
    period = forms.CharField(max_length=20)
    segment = forms.CharField(max_length=255, required=False)
    version = forms.IntegerField(min_value=0)
    value = forms.CharField(max_length=40, required=False)

    def __init__(self, *args: object, percent: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.percent = percent

    def clean_value(self) -> Decimal | None:
        value = parse_number(self.cleaned_data.get("value") or "")
        if value is not None and self.percent:
            value = value / 100
        return value


ALLOCATIONS = [
    ("months_even", _("Split over the months evenly")),
    ("months_seasonality", _("Split over the months like last year's actuals")),
    ("months_weights", _("Split over the months by weights")),
    ("children_even", _("Split over the child metrics evenly")),
    ("children_weights", _("Split over the child metrics by weights")),
    ("solve", _("Solve one factor from the others")),
]


class AllocateForm(forms.Form):
    node = forms.CharField(max_length=80, widget=forms.HiddenInput)
    period = forms.CharField(max_length=20, widget=forms.HiddenInput)
    segment = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)
    how = forms.ChoiceField(
        label=_("How to allocate"), choices=ALLOCATIONS, widget=forms.RadioSelect
    )
    weights = forms.CharField(
        label=_("Weights"),
        required=False,
        max_length=300,
        help_text=_("One number per part, in order, separated by commas: 3, 3, 4"),
    )
    free_child = forms.ChoiceField(label=_("Factor to solve"), required=False)

    def __init__(
        self,
        *args: object,
        children: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["free_child"].choices = [("", "—"), *(children or [])]

    def clean_weights(self) -> list[float] | None:
        raw = (self.cleaned_data.get("weights") or "").replace("，", ",")
        if not raw.strip():
            return None
        try:
            return [float(part) for part in raw.replace(" ", ",").split(",") if part]
        except ValueError:
            raise forms.ValidationError(
                _("Weights are numbers separated by commas.")
            ) from None

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        how = data.get("how", "")
        if str(how).endswith("weights") and not data.get("weights"):
            self.add_error("weights", _("Give the weights."))
        if how == "solve" and not data.get("free_child"):
            self.add_error("free_child", _("Choose the factor to solve."))
        return data


class SnapshotForm(forms.Form):
    title = forms.CharField(
        label=_("Snapshot title"),
        max_length=200,
        help_text=_("e.g. Homework week 3 – May targets"),
    )


class ShareForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
