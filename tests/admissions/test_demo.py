"""The demo: applications in every state, money in every state, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest

from cohorts.admissions import demo
from cohorts.admissions.finance import cohort_finance
from cohorts.admissions.models import (
    AdmissionSettings,
    Application,
    InvoiceRequest,
    Payment,
    Registrant,
)
from cohorts.admissions.selectors import state_of
from cohorts.admissions.validation import clean_tax_id
from cohorts.models import Cohort
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_runs_twice():
    seed_demo_cohorts()
    demo.seed(stdout=StringIO())
    counts = (
        Application.objects.count(),
        Registrant.objects.count(),
        Payment.objects.count(),
        InvoiceRequest.objects.count(),
    )
    demo.seed(stdout=StringIO())
    assert counts == (
        Application.objects.count(),
        Registrant.objects.count(),
        Payment.objects.count(),
        InvoiceRequest.objects.count(),
    )
    states = {state_of(a) for a in Application.objects.prefetch_related("registrants")}
    assert states == {"pending", "approved", "rejected", "partial"}
    modes = dict(AdmissionSettings.objects.values_list("cohort__slug", "approval"))
    assert modes == {"kpi-public-class": "reviewed", "seabright-in-house": "automatic"}
    public = Cohort.objects.get(slug="kpi-public-class")
    money = cohort_finance(cohort=public)
    assert money.counts == {"paid": 1, "partly": 1, "unpaid": 1}
    assert {i.status for i in InvoiceRequest.objects.all()} == {"requested", "issued"}
    for invoice in InvoiceRequest.objects.all():
        assert clean_tax_id(invoice.tax_id) == invoice.tax_id
