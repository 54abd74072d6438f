from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories.accounts import UserFactory
from workbook import targets, tree
from workbook.models import TargetChange, TargetValue, WorkbookShare
from workbook.services import workbook_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def workbook():
    return workbook_create(
        owner=UserFactory(preferred_language="en"),
        name="店铺",
        template_key="amazon_store",
    )


def _keys(workbook) -> set[str]:
    workbook.refresh_from_db()
    return {n["key"] for n in workbook.document["tree"]["nodes"]}


def test_add_node_under_a_leaf_makes_it_additive(workbook) -> None:
    tree.tree_node_add(
        workbook=workbook,
        user=workbook.owner,
        parent_key="cogs",
        key="ad_spend_sp",
        values={"metric": "ad_spend", "name_zh": "SP 广告花费", "level": "role"},
    )
    workbook.refresh_from_db()
    nodes = {n["key"]: n for n in workbook.document["tree"]["nodes"]}
    assert nodes["cogs"]["decomposition"] == "additive"
    assert nodes["cogs"]["children"] == ["ad_spend_sp"]
    assert nodes["ad_spend_sp"]["name_zh"] == "SP 广告花费"


def test_duplicate_key_and_bad_formula_are_refused(workbook) -> None:
    before = dict(workbook.document)
    with pytest.raises(ValidationError, match="already used"):
        tree.tree_node_add(
            workbook=workbook,
            user=workbook.owner,
            parent_key="sales",
            key="sessions",
            values={},
        )
    with pytest.raises(ValidationError, match="cannot be saved"):
        tree.tree_node_update(
            workbook=workbook,
            user=workbook.owner,
            key="sales",
            values={"decomposition": "formula", "formula": "sessions * * 2"},
        )
    workbook.refresh_from_db()
    assert workbook.document == before


def test_formula_problem_points_at_the_bad_name(workbook) -> None:
    problem = tree.formula_problem(
        workbook=workbook, key="sales", text="sessions * conversion"
    )
    assert problem is not None
    assert (problem.start, problem.end) == (11, 21)
    assert (
        tree.formula_problem(
            workbook=workbook,
            key="sales",
            text="sessions * unit_session_percentage * average_selling_price",
        )
        is None
    )


def test_move_and_refuse_moving_under_itself(workbook) -> None:
    with pytest.raises(ValidationError):
        tree.tree_node_move(
            workbook=workbook, user=workbook.owner, key="net_sales", parent_key="sales"
        )
    tree.tree_node_add(
        workbook=workbook,
        user=workbook.owner,
        parent_key="cogs",
        key="x1",
        values={"metric": "cogs"},
    )
    tree.tree_node_add(
        workbook=workbook,
        user=workbook.owner,
        parent_key="cogs",
        key="x2",
        values={"metric": "cogs"},
    )
    tree.tree_node_move(
        workbook=workbook, user=workbook.owner, key="x2", parent_key="x1"
    )
    workbook.refresh_from_db()
    nodes = {n["key"]: n for n in workbook.document["tree"]["nodes"]}
    assert nodes["cogs"]["children"] == ["x1"]
    assert nodes["x1"]["children"] == ["x2"]


def test_remove_needs_confirmation_and_takes_targets_and_history(workbook) -> None:
    tree.tree_node_add(
        workbook=workbook,
        user=workbook.owner,
        parent_key="cogs",
        key="x1",
        values={"metric": "cogs"},
    )
    workbook.refresh_from_db()
    targets.target_set(
        workbook=workbook,
        user=workbook.owner,
        node_key="x1",
        period="2026-05",
        value=Decimal(5),
        expected_version=0,
    )
    targets.target_set(
        workbook=workbook,
        user=workbook.owner,
        node_key="sessions",
        period="2026-05",
        value=Decimal(5),
        expected_version=0,
    )
    with pytest.raises(ValidationError):
        tree.tree_node_remove(
            workbook=workbook, user=workbook.owner, key="x1", confirmed=False
        )
    assert TargetValue.objects.filter(node_key="x1").exists()
    plan = tree.tree_node_removal_plan(workbook=workbook, key="x1")
    assert (plan.keys, plan.target_count, plan.change_count) == (["x1"], 1, 1)
    tree.tree_node_remove(
        workbook=workbook, user=workbook.owner, key="x1", confirmed=True
    )
    assert "x1" not in _keys(workbook)
    assert not TargetValue.objects.filter(node_key="x1").exists()
    assert not TargetChange.objects.filter(node_key="x1").exists()
    assert TargetValue.objects.filter(node_key="sessions").exists()


# --- views ---------------------------------------------------------------------------


def test_tree_page_shows_nodes_and_findings(client, workbook) -> None:
    client.force_login(workbook.owner)
    response = client.get(reverse("workbook:tree", args=[workbook.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="node-sessions"' in body
    assert "finding" in body  # the template's tree has health findings (core KPIs)


def test_add_node_view_htmx(client, workbook) -> None:
    client.force_login(workbook.owner)
    url = reverse("workbook:tree_add", args=[workbook.pk])
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    response = client.post(
        url,
        {
            "parent": "cogs",
            "key": "ad_spend_sp",
            "metric": "ad_spend — 广告花费 / Ad spend",
            "decomposition": "none",
            "level": "role",
            "owner_person": "小王",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#tree-layout"
    assert 'id="node-ad_spend_sp"' in response.content.decode()
    assert "ad_spend_sp" in _keys(workbook)


def test_add_node_view_shows_errors(client, workbook) -> None:
    client.force_login(workbook.owner)
    response = client.post(
        reverse("workbook:tree_add", args=[workbook.pk]),
        {
            "parent": "cogs",
            "key": "Bad Key",
            "metric": "nonsense",
            "decomposition": "none",
            "level": "role",
        },
    )
    assert response.status_code == 200
    assert "is not a metric of the library" in response.content.decode()
    assert "Bad Key" not in _keys(workbook)


def test_formula_check_view_shows_caret(client, workbook) -> None:
    client.force_login(workbook.owner)
    response = client.get(
        reverse("workbook:tree_formula", args=[workbook.pk]),
        {"node": "sales", "formula": "sessions * conversion"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<mark>conversion</mark>" in body
    assert 'role="alert"' in body


def test_remove_view_confirms(client, workbook) -> None:
    client.force_login(workbook.owner)
    url = reverse("workbook:tree_remove", args=[workbook.pk, "ad_spend"])
    assert "ad_spend" in client.get(url).content.decode()
    client.post(url, {})
    assert "ad_spend" in _keys(workbook)
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert "ad_spend" not in _keys(workbook)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("tree", []),
        ("tree_add", []),
        ("tree_edit", ["sales"]),
        ("tree_remove", ["sales"]),
    ],
)
def test_tree_permissions(client, workbook, name, args) -> None:
    url = reverse(f"workbook:{name}", args=[workbook.pk, *args])
    client.force_login(workbook.owner)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    coach = UserFactory()
    WorkbookShare.objects.create(workbook=workbook, user=coach, role="coach")
    client.force_login(coach)
    assert client.get(url).status_code == (200 if name == "tree" else 404)
    assert client.post(url, {"confirm": "on"}).status_code in (404, 405)
    assert "sales" in _keys(workbook)


def test_tree_page_query_count_is_constant(
    client, workbook, django_assert_num_queries
) -> None:
    client.force_login(workbook.owner)
    url = reverse("workbook:tree", args=[workbook.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    document = workbook.document
    for i in range(30):
        document["tree"]["nodes"].append({"key": f"extra_{i}", "metric": "sessions"})
        document["tree"]["nodes"][0]["children"].append(f"extra_{i}")
    workbook.document = document
    workbook.save()
    # session, user, workbook, targets, navigation, unread notifications
    assert len(small) == 6
    with django_assert_num_queries(6):
        client.get(url)


def test_invalid_formula_is_refused_on_the_field(client, workbook) -> None:
    client.force_login(workbook.owner)
    response = client.post(
        reverse("workbook:tree_edit", args=[workbook.pk, "sales"]),
        {
            "decomposition": "formula",
            "formula": "sessions * conversion",
            "level": "department",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "unknown" in form.errors["formula"][0]
    workbook.refresh_from_db()
    sales = next(n for n in workbook.document["tree"]["nodes"] if n["key"] == "sales")
    assert sales["decomposition"] == "multiplicative"


def test_move_view(client, workbook) -> None:
    client.force_login(workbook.owner)
    tree.tree_node_add(
        workbook=workbook,
        user=workbook.owner,
        parent_key="cogs",
        key="x1",
        values={"metric": "cogs"},
    )
    url = reverse("workbook:tree_move", args=[workbook.pk, "x1"])
    response = client.post(url, {"parent": "platform_fees"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="node-x1"' in response.content.decode()
    workbook.refresh_from_db()
    nodes = {n["key"]: n for n in workbook.document["tree"]["nodes"]}
    assert nodes["platform_fees"]["children"] == ["x1"]
    assert "children" not in nodes["cogs"]
    assert client.get(url).status_code == 405


def test_signed_out_visitors_are_sent_to_sign_in(client, workbook) -> None:
    response = client.get(reverse("workbook:tree", args=[workbook.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]
