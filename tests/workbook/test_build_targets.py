from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from tests.factories.accounts import UserFactory
from workbook import targets
from workbook.models import TargetChange, TargetSource, TargetValue, WorkbookShare
from workbook.services import workbook_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def workbook():
    owner = UserFactory(preferred_language="en")
    return workbook_create(owner=owner, name="店铺", template_key="amazon_store")


def _set(workbook, node, period, value, version=0, user=None):
    return targets.target_set(
        workbook=workbook,
        user=user or workbook.owner,
        node_key=node,
        period=period,
        value=None if value is None else Decimal(value),
        expected_version=version,
    )


def test_set_writes_value_version_and_history(workbook) -> None:
    first = _set(workbook, "sessions", "2026-05", "40000")
    assert (first.value, first.version) == (Decimal(40000), 1)
    second = _set(workbook, "sessions", "2026-05", "42000", version=1)
    assert second.version == 2
    changes = list(TargetChange.objects.filter(workbook=workbook).order_by("id"))
    assert [(c.old_value, c.new_value, c.source) for c in changes] == [
        (None, Decimal(40000), TargetSource.MANUAL),
        (Decimal(40000), Decimal(42000), TargetSource.MANUAL),
    ]
    assert changes[1].changed_by == workbook.owner


def test_stale_version_is_refused_with_a_conflict(workbook) -> None:
    _set(workbook, "sessions", "2026-05", "40000")
    _set(workbook, "sessions", "2026-05", "41000", version=1)  # first tab
    with pytest.raises(targets.TargetConflict) as err:
        _set(workbook, "sessions", "2026-05", "45000", version=1)  # second tab
    assert "41000" in str(err.value.messages[0])
    row = TargetValue.objects.get(workbook=workbook, node_key="sessions")
    assert (row.value, row.version) == (Decimal(41000), 2)
    assert TargetChange.objects.filter(workbook=workbook).count() == 2


def test_creating_a_cell_someone_else_created_is_a_conflict(workbook) -> None:
    _set(workbook, "sessions", "2026-05", "40000")
    with pytest.raises(targets.TargetConflict):
        _set(workbook, "sessions", "2026-05", "1", version=0)


@pytest.mark.parametrize(
    ("node", "value", "message"),
    [
        ("sessions", "-5", "cannot be negative"),
        ("sessions", "10.5", "whole number"),
        ("unit_session_percentage", "3", "between 0 and 100 percent"),
        ("ad_spend", "-1", "cannot be negative"),
    ],
)
def test_impossible_targets_are_refused(workbook, node, value, message) -> None:
    with pytest.raises(ValidationError) as err:
        _set(workbook, node, "2026-05", value)
    assert message in err.value.messages[0]
    assert not TargetValue.objects.exists()


def test_profit_may_be_negative(workbook) -> None:
    assert _set(workbook, "contribution_profit", "2026-05", "-1000").value == -1000


def test_only_the_owner_sets_targets(workbook) -> None:
    with pytest.raises(PermissionDenied):
        _set(workbook, "sessions", "2026-05", "1", user=UserFactory())


def test_delete_keeps_history(workbook) -> None:
    _set(workbook, "sessions", "2026-05", "100")
    targets.target_delete(
        workbook=workbook,
        user=workbook.owner,
        node_key="sessions",
        period="2026-05",
        expected_version=1,
    )
    assert not TargetValue.objects.exists()
    last = TargetChange.objects.filter(workbook=workbook).first()
    assert (last.old_value, last.new_value, last.source) == (
        Decimal(100),
        None,
        TargetSource.DELETE,
    )


def test_allocate_year_evenly_sums_exactly(workbook) -> None:
    _set(workbook, "sessions", "2026", "100001")
    written = targets.target_allocate_periods(
        workbook=workbook,
        user=workbook.owner,
        node_key="sessions",
        period="2026",
        method="even",
    )
    months = TargetValue.objects.filter(
        workbook=workbook, node_key="sessions", period__regex=r"^2026-\d\d$"
    )
    assert months.count() == 12
    assert sum(m.value for m in months) == Decimal(100001)
    assert all(m.value == m.value.to_integral_value() for m in months)
    quarters = TargetValue.objects.filter(
        workbook=workbook, node_key="sessions", period__contains="Q"
    )
    assert sum(q.value for q in quarters) == Decimal(100001)
    assert len(written) == 16
    assert (
        TargetChange.objects.filter(workbook=workbook, source=TargetSource.EVEN).count()
        == 16
    )


def test_allocate_by_weights_and_rates_are_copied(workbook) -> None:
    _set(workbook, "ad_spend", "2026-Q2", "9000.00")
    targets.target_allocate_periods(
        workbook=workbook,
        user=workbook.owner,
        node_key="ad_spend",
        period="2026-Q2",
        method="weights",
        weights=[1, 1, 2],
    )
    values = dict(
        TargetValue.objects.filter(
            workbook=workbook,
            node_key="ad_spend",
            period__in=["2026-04", "2026-05", "2026-06"],
        ).values_list("period", "value")
    )
    assert values == {"2026-04": 2250, "2026-05": 2250, "2026-06": 4500}
    _set(workbook, "unit_session_percentage", "2026-Q2", "0.12")
    targets.target_allocate_periods(
        workbook=workbook,
        user=workbook.owner,
        node_key="unit_session_percentage",
        period="2026-Q2",
        method="even",
    )
    assert set(
        TargetValue.objects.filter(
            workbook=workbook,
            node_key="unit_session_percentage",
            period__startswith="2026-0",
        ).values_list("value", flat=True)
    ) == {Decimal("0.12")}


def test_seasonality_without_last_year_data_is_refused(workbook) -> None:
    _set(workbook, "sessions", "2026", "1200")
    with pytest.raises(ValidationError, match="no data for last year"):
        targets.target_allocate_periods(
            workbook=workbook,
            user=workbook.owner,
            node_key="sessions",
            period="2026",
            method="seasonality",
        )


def test_solve_factor_and_rollup_agrees(workbook) -> None:
    _set(workbook, "sales", "2026-05", "120000")
    _set(workbook, "sessions", "2026-05", "40000")
    _set(workbook, "average_selling_price", "2026-05", "25")
    solved = targets.target_solve(
        workbook=workbook,
        user=workbook.owner,
        node_key="sales",
        free_child="unit_session_percentage",
        period="2026-05",
    )
    assert solved.value == Decimal("0.12")
    assert TargetChange.objects.filter(source=TargetSource.SOLVE).count() == 1


def test_solve_refuses_an_impossible_factor(workbook) -> None:
    _set(workbook, "sales", "2026-05", "1200000")
    _set(workbook, "sessions", "2026-05", "1000")
    _set(workbook, "average_selling_price", "2026-05", "25")
    with pytest.raises(ValidationError, match="between 0 and 100 percent"):
        targets.target_solve(
            workbook=workbook,
            user=workbook.owner,
            node_key="sales",
            free_child="unit_session_percentage",
            period="2026-05",
        )


def test_allocate_over_children_needs_plus_children(workbook) -> None:
    _set(workbook, "net_sales", "2026-05", "1000")
    with pytest.raises(ValidationError, match="subtracts"):
        targets.target_allocate_children(
            workbook=workbook,
            user=workbook.owner,
            node_key="net_sales",
            period="2026-05",
            method="even",
        )


# --- views ---------------------------------------------------------------------------


def test_grid_page_and_cell_post(client, workbook) -> None:
    client.force_login(workbook.owner)
    url = reverse("workbook:targets", args=[workbook.pk])
    response = client.get(url + "?year=2026")
    assert response.status_code == 200
    assert "workbook/build/targets.html" in [t.name for t in response.templates]
    assert 'name="value"' in response.content.decode()
    response = client.post(
        reverse("workbook:target_cell", args=[workbook.pk]),
        {
            "node": "unit_session_percentage",
            "period": "2026-05",
            "version": "0",
            "value": "12.5%",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'value="12.5"' in response.content.decode()
    assert response.headers["HX-Trigger"].startswith('{"target-updated"')
    row = TargetValue.objects.get(node_key="unit_session_percentage")
    assert row.value == Decimal("0.125")
    # the same stale version again: refused, shown in the cell
    response = client.post(
        reverse("workbook:target_cell", args=[workbook.pk]),
        {
            "node": "unit_session_percentage",
            "period": "2026-05",
            "version": "0",
            "value": "13",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "conflict" in response.content.decode()
    assert TargetValue.objects.get(node_key="unit_session_percentage").value == Decimal(
        "0.125"
    )
    response = client.post(
        reverse("workbook:target_cell", args=[workbook.pk]),
        {
            "node": "unit_session_percentage",
            "period": "2026-06",
            "version": "0",
            "value": "300",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "between 0 and 100 percent" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_allocate_view(client, workbook) -> None:
    client.force_login(workbook.owner)
    _set(workbook, "sessions", "2026", "1200")
    url = reverse("workbook:target_allocate", args=[workbook.pk])
    assert client.get(url + "?node=sessions&period=2026").status_code == 200
    response = client.post(
        url, {"node": "sessions", "period": "2026", "how": "months_even"}
    )
    assert response.status_code == 302
    assert (
        TargetValue.objects.filter(node_key="sessions", period="2026-07").get().value
        == 100
    )


def test_history_view(client, workbook) -> None:
    _set(workbook, "sessions", "2026-05", "100")
    client.force_login(workbook.owner)
    response = client.get(reverse("workbook:target_history", args=[workbook.pk]))
    assert response.status_code == 200
    assert "sessions" in response.content.decode()


@pytest.mark.parametrize("name", ["targets", "target_history"])
def test_grid_permissions(client, workbook, name) -> None:
    url = reverse(f"workbook:{name}", args=[workbook.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    coach = UserFactory()
    WorkbookShare.objects.create(workbook=workbook, user=coach, role="coach")
    client.force_login(coach)
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="value"' not in response.content.decode()


def test_shared_coach_cannot_write(client, workbook) -> None:
    coach = UserFactory()
    WorkbookShare.objects.create(workbook=workbook, user=coach, role="coach")
    client.force_login(coach)
    response = client.post(
        reverse("workbook:target_cell", args=[workbook.pk]),
        {"node": "sessions", "period": "2026-05", "version": "0", "value": "1"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("workbook:target_allocate", args=[workbook.pk]),
        {"node": "sessions", "period": "2026", "how": "months_even"},
    )
    assert response.status_code == 404
    assert not TargetValue.objects.exists()


def test_grid_query_count_does_not_grow_with_the_tree(
    client, workbook, django_assert_num_queries
) -> None:
    client.force_login(workbook.owner)
    url = reverse("workbook:targets", args=[workbook.pk]) + "?year=2026"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    document = workbook.document
    for i in range(20):
        document["tree"]["nodes"].append({"key": f"extra_{i}", "metric": "sessions"})
        document["tree"]["nodes"][0]["children"].append(f"extra_{i}")
    workbook.document = document
    workbook.save()
    # session, user, workbook, targets, history, navigation, unread notifications
    assert len(small) == 7
    with django_assert_num_queries(7):
        client.get(url)


def test_rollup_mismatch_is_highlighted(client, workbook) -> None:
    _set(workbook, "sales", "2026-05", "1000")
    _set(workbook, "sessions", "2026-05", "100")
    _set(workbook, "unit_session_percentage", "2026-05", "0.1")
    _set(workbook, "average_selling_price", "2026-05", "50")
    client.force_login(workbook.owner)
    url = reverse("workbook:targets", args=[workbook.pk])
    body = client.get(url + "?year=2026").content.decode()
    assert 'id="cell-sales-2026-05" class="target-cell cell-month mismatch"' in body
    assert "The children give 500.00" in body
    summary = client.get(
        url + "?year=2026&part=summary", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert summary.strip().startswith('<div id="rollup-summary"')
    assert "1 target disagrees" in summary
    assert "<table" not in summary


def test_latest_changes_fragment(client, workbook) -> None:
    _set(workbook, "sessions", "2026-05", "100")
    client.force_login(workbook.owner)
    response = client.get(
        reverse("workbook:targets", args=[workbook.pk]) + "?part=changes",
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.strip().startswith('<div id="latest-changes"')
    assert "sessions" in body


def test_allocate_by_last_years_seasonality(workbook) -> None:
    import datetime as dt

    from workbook.models import Dataset, DatasetStatus, Fact

    dataset = Dataset.objects.create(
        workbook=workbook,
        original_name="last-year.csv",
        size_bytes=1,
        checksum="0" * 64,
        status=DatasetStatus.IMPORTED,
    )
    for month, sessions in ((4, 1000), (5, 1000), (6, 2000)):
        Fact.objects.create(
            workbook=workbook,
            dataset=dataset,
            start=dt.date(2025, month, 1),
            end=dt.date(2025, month, 28),
            metric="sessions",
            value=sessions,
        )
    _set(workbook, "sessions", "2026-Q2", "40001")
    targets.target_allocate_periods(
        workbook=workbook,
        user=workbook.owner,
        node_key="sessions",
        period="2026-Q2",
        method="seasonality",
    )
    values = dict(
        TargetValue.objects.filter(
            workbook=workbook, node_key="sessions", period__startswith="2026-0"
        ).values_list("period", "value")
    )
    assert values == {"2026-04": 10000, "2026-05": 10000, "2026-06": 20001}
    assert sum(values.values()) == 40001
    assert TargetChange.objects.filter(source=TargetSource.SEASONALITY).count() == 3


def test_cell_post_without_javascript_redirects_to_the_row(client, workbook) -> None:
    client.force_login(workbook.owner)
    response = client.post(
        reverse("workbook:target_cell", args=[workbook.pk]),
        {"node": "sessions", "period": "2026-05", "version": "0", "value": "40,000"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#row-sessions")
    assert TargetValue.objects.get(node_key="sessions").value == 40000
