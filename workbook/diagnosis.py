"""Prefill the new-workbook form from the trainee's pre-training diagnosis.

The diagnosis (cohorts.feedback) asks about platforms, reporting currency and team
roles; questions tagged with those prefill keys give the create form its initial
values, so the first workbook starts from the right template and currency. The
trainee still sees and can change every field; nothing is created without them.
"""

from __future__ import annotations

from typing import Any

from cohorts.feedback.selectors import DiagnosisPrefill, prefill_for
from workbook.models import CURRENCIES

# Platforms the templates were written for; one Amazon store gets the store tree.
MULTI_PLATFORM_TEMPLATE = "multi_platform"
AMAZON_TEMPLATE = "amazon_store"


def template_for(platforms: list[str]) -> str:
    if platforms == ["amazon"]:
        return AMAZON_TEMPLATE
    if len(platforms) > 1:
        return MULTI_PLATFORM_TEMPLATE
    return ""


def create_form_initial(
    user: Any, *, cohort_ids: set[int]
) -> tuple[dict[str, Any], DiagnosisPrefill | None]:
    """(initial values for WorkbookCreateForm, the prefill shown on the page)."""
    prefill = prefill_for(user)
    if prefill is None:
        return {}, None
    initial: dict[str, Any] = {}
    template = template_for(prefill.platforms)
    if template:
        initial["template_key"] = template
    if prefill.currency in {code for code, _label in CURRENCIES}:
        initial["reporting_currency"] = prefill.currency
    if prefill.cohort_id in cohort_ids:
        initial["cohort"] = prefill.cohort_id
    return initial, prefill
