"""Workbook file (JSON) export and import, duplicate, archive, and the optional cohort."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import MembershipFactory, UserFactory
from workbook import services
from workbook.models import FxRate, TargetChange, TargetValue, Workbook

pytestmark = pytest.mark.django_db


def make_workbook(owner=None):  # type: ignore[no-untyped-def]
    owner = owner or UserFactory()
    workbook = services.workbook_create(
        owner=owner, name="店铺 2026", template_key="amazon_store"
    )
    TargetValue.objects.create(
        workbook=workbook, node_key="sessions", period="2026-05", value=Decimal("50000")
    )
    TargetValue.objects.create(
        workbook=workbook,
        node_key="sessions",
        period="2026-05",
        segment="marketplace=US",
        value=Decimal("30000"),
    )
    FxRate.objects.create(
        workbook=workbook,
        month="2026-05-01",
        currency="USD",
        quote="CNY",
        rate=Decimal("7.1234"),
    )
    return workbook


def test_export_then_import_round_trips_tree_targets_and_rates(client: Client) -> None:
    workbook = make_workbook()
    client.force_login(workbook.owner)
    response = client.get(reverse("workbook:export_file", args=[workbook.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["schema_version"] == 1
    assert {"node": "sessions", "period": "2026-05", "value": 50000.0} in data[
        "targets"
    ]
    assert {
        "node": "sessions",
        "period": "2026-05",
        "value": 30000.0,
        "segment": {"marketplace": "US"},
    } in data["targets"]
    assert data["fx_rates"] == [
        {"month": "2026-05", "currency": "USD", "quote": "CNY", "rate": 7.1234}
    ]

    response = client.post(
        reverse("workbook:import"),
        {"workbook_file": SimpleUploadedFile("wb.json", response.content)},
    )
    copy = Workbook.objects.exclude(pk=workbook.pk).get()
    assert response["Location"] == reverse("workbook:detail", args=[copy.pk])
    assert copy.document["tree"] == workbook.document["tree"]
    assert sorted(copy.targets.values_list("segment", "value")) == [
        ("", Decimal("50000")),
        ("marketplace=US", Decimal("30000")),
    ]
    assert TargetChange.objects.filter(workbook=copy, source="file").count() == 2
    assert FxRate.objects.get(workbook=copy).rate == Decimal("7.1234")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not json", "不是工作簿文件"),
        (json.dumps({"schema_version": 1}).encode(), "未通过检查"),
        (
            json.dumps(
                {
                    "schema_version": 1,
                    "tree": {
                        "root": "x",
                        "nodes": [{"key": "x", "metric": "x", "formula": "a //"}],
                    },
                }
            ).encode(),
            "未通过检查",
        ),
    ],
)
def test_a_bad_workbook_file_is_refused_with_a_reason(
    client: Client, raw: bytes, message: str
) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("workbook:import"),
        {"workbook_file": SimpleUploadedFile("wb.json", raw)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Workbook.objects.exists()


def test_duplicate_copies_tree_and_targets_but_not_data(client: Client) -> None:
    workbook = make_workbook()
    client.force_login(workbook.owner)
    response = client.post(reverse("workbook:duplicate", args=[workbook.pk]))
    copy = Workbook.objects.exclude(pk=workbook.pk).get()
    assert response["Location"] == reverse("workbook:detail", args=[copy.pk])
    assert copy.name == "店铺 2026 (副本)"
    assert copy.targets.count() == 2 and copy.datasets.count() == 0


def test_archive_hides_and_restore_brings_back(client: Client) -> None:
    workbook = make_workbook()
    client.force_login(workbook.owner)
    client.post(reverse("workbook:archive", args=[workbook.pk]), {"archived": "1"})
    workbook.refresh_from_db()
    assert workbook.archived_at is not None
    listing = client.get(reverse("workbook:list"))
    assert listing.context["workbooks"] == [] and listing.context["archived"] == [
        workbook
    ]
    client.post(reverse("workbook:archive", args=[workbook.pk]), {"archived": "0"})
    workbook.refresh_from_db()
    assert workbook.archived_at is None


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("workbook:export_file", "get"),
        ("workbook:duplicate", "post"),
        ("workbook:archive", "post"),
    ],
)
def test_other_users_get_404(
    client: Client, other_organization_user, name: str, method: str
) -> None:  # type: ignore[no-untyped-def]
    workbook = make_workbook()
    client.force_login(other_organization_user)
    assert getattr(client, method)(reverse(name, args=[workbook.pk])).status_code == 404
    assert Workbook.objects.count() == 1
    workbook.refresh_from_db()
    assert workbook.archived_at is None


def test_create_in_my_cohort_only(client: Client) -> None:
    from cohorts.models import Enrolment
    from tests.factories.cohorts import CohortFactory

    membership = MembershipFactory()
    mine, other = CohortFactory(), CohortFactory()
    Enrolment.objects.create(cohort=mine, user=membership.user, status="active")
    client.force_login(membership.user)
    form = {
        "name": "班级作业",
        "reporting_currency": "CNY",
        "fiscal_year_start_month": 1,
        "period_grain": "month",
    }
    refused = client.post(reverse("workbook:create"), {**form, "cohort": other.pk})
    assert refused.status_code == 200 and "cohort" in refused.context["form"].errors
    client.post(reverse("workbook:create"), {**form, "cohort": mine.pk})
    assert Workbook.objects.get().cohort == mine
