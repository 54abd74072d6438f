"""Workbook and data pages: content, database state, and 404 for anyone but the owner."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.workbook import WorkbookFactory
from workbook import services
from workbook.models import ColumnMapping, Dataset, DatasetStatus, Fact, Workbook

pytestmark = pytest.mark.django_db


def test_create_a_workbook_from_a_template(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = client.get(reverse("workbook:create"))
    assert "Amazon 店铺：销售与利润树" in page.content.decode()
    response = client.post(
        reverse("workbook:create"),
        {
            "name": "2026 店铺目标",
            "template_key": "amazon_store",
            "organization": membership.organization.pk,
            "reporting_currency": "CNY",
            "fiscal_year_start_month": 4,
            "period_grain": "month",
        },
    )
    workbook = Workbook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbook:detail", args=[workbook.pk])
    assert workbook.owner == membership.user
    assert workbook.organization == membership.organization
    assert workbook.document["settings"]["fiscal_year_start"] == 4
    assert len(workbook.document["tree"]["nodes"]) > 5
    detail = client.get(response["Location"]).content.decode()
    assert "2026 店铺目标" in detail


def test_create_refuses_someone_elses_organization(client: Client) -> None:
    user = UserFactory()
    other = MembershipFactory()
    client.force_login(user)
    response = client.post(
        reverse("workbook:create"),
        {
            "name": "x",
            "organization": other.organization.pk,
            "reporting_currency": "CNY",
            "fiscal_year_start_month": 1,
            "period_grain": "month",
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Workbook.objects.exists()


def test_list_shows_only_my_workbooks(client: Client) -> None:
    mine = WorkbookFactory(name="我的工作簿")
    WorkbookFactory(name="别人的工作簿")
    client.force_login(mine.owner)
    content = client.get(reverse("workbook:list")).content.decode()
    assert "我的工作簿" in content and "别人的工作簿" not in content


def test_upload_then_import_through_the_pages(client: Client) -> None:
    workbook = WorkbookFactory()
    client.force_login(workbook.owner)
    csv = "日期,SKU,销售额,订单数\n2026-05-01,A1,100.50,2\n2026-05-02,A1,200.25,3\n"
    response = client.post(
        reverse("workbook:data_upload", args=[workbook.pk]),
        {"file": SimpleUploadedFile("sales.csv", csv.encode("utf-8"))},
    )
    dataset = Dataset.objects.get()
    assert response["Location"] == reverse(
        "workbook:dataset", args=[workbook.pk, dataset.pk]
    )
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "映射列" in content  # the generic mapping step
    assert page.context["mapping_form"] is not None
    form = {
        "format_key": "generic",
        "period": "",
        "mode": "strict",
        "col_0_role": "date",
        "col_1_role": "segment:sku",
        "col_2_role": "metric:ordered_product_sales",
        "col_2_currency": "USD",
        "col_3_role": "metric:orders",
        "platform": "shopify",
        "marketplace": "US",
        "save_mapping": "on",
        "mapping_name": "自建站日报",
    }
    response = client.post(response["Location"], form)
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.QUEUED
    services.dataset_import(dataset_id=dataset.pk)
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.IMPORTED, dataset.failure
    values = dict(
        Fact.objects.filter(
            dataset=dataset, metric="ordered_product_sales"
        ).values_list("start", "value")
    )
    assert sorted(values.values()) == [100.5, 200.25]
    assert set(
        Fact.objects.values_list("platform", "marketplace", "currency").distinct()
    ) >= {("shopify", "US", "USD")}
    saved = ColumnMapping.objects.get()
    assert saved.name == "自建站日报"
    status = client.get(
        reverse("workbook:dataset_status", args=[workbook.pk, dataset.pk]),
        headers={"hx-request": "true"},
    )
    assert status.status_code == 286
    assert "已导入" in status.content.decode()

    # The same header next time comes back mapped.
    client.post(
        reverse("workbook:data_upload", args=[workbook.pk]),
        {
            "file": SimpleUploadedFile(
                "sales-june.csv", csv.replace("05", "06").encode()
            )
        },
    )
    second = Dataset.objects.exclude(pk=dataset.pk).get()
    page = client.get(reverse("workbook:dataset", args=[workbook.pk, second.pk]))
    assert (
        page.context["mapping_form"].initial["col_2_role"]
        == "metric:ordered_product_sales"
    )
    assert page.context["mapping_form"].initial["col_2_currency"] == "USD"


def test_mapping_requires_a_currency_for_money(client: Client) -> None:
    workbook = WorkbookFactory()
    client.force_login(workbook.owner)
    client.post(
        reverse("workbook:data_upload", args=[workbook.pk]),
        {"file": SimpleUploadedFile("s.csv", b"date,sales\n2026-05-01,1\n")},
    )
    dataset = Dataset.objects.get()
    response = client.post(
        reverse("workbook:dataset", args=[workbook.pk, dataset.pk]),
        {
            "format_key": "generic",
            "mode": "strict",
            "col_0_role": "date",
            "col_1_role": "metric:ordered_product_sales",
        },
    )
    assert response.status_code == 200
    assert "请选择这一列金额的币种" in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.UPLOADED


def test_running_import_page_polls_and_failed_import_explains(client: Client) -> None:
    workbook = WorkbookFactory()
    client.force_login(workbook.owner)
    client.post(
        reverse("workbook:data_upload", args=[workbook.pk]),
        {"file": SimpleUploadedFile("empty.csv", b"")},
    )
    dataset = Dataset.objects.get()
    content = client.get(
        reverse("workbook:dataset", args=[workbook.pk, dataset.pk])
    ).content.decode()
    assert dataset.status == DatasetStatus.FAILED
    assert dataset.failure["zh"] in content
    Dataset.objects.filter(pk=dataset.pk).update(
        status=DatasetStatus.READING, progress=40
    )
    polling = client.get(
        reverse("workbook:dataset_status", args=[workbook.pk, dataset.pk]),
        headers={"hx-request": "true"},
    )
    assert polling.status_code == 200
    assert 'hx-trigger="every 1s"' in polling.content.decode()
    assert 'value="40"' in polling.content.decode()
    Dataset.objects.filter(pk=dataset.pk).update(status=DatasetStatus.FAILED)
    finished = client.get(
        reverse("workbook:dataset_status", args=[workbook.pk, dataset.pk]),
        headers={"hx-request": "true"},
    )
    assert finished["HX-Refresh"] == "true"
    retry = client.get(reverse("workbook:dataset", args=[workbook.pk, dataset.pk]))
    assert "重新导入" in retry.content.decode()


def test_original_file_download_and_escaped_report(client: Client) -> None:
    workbook = WorkbookFactory()
    client.force_login(workbook.owner)
    body = b'date,sku,sales\n2026-05-01,=HYPERLINK("x"),abc\n'
    client.post(
        reverse("workbook:data_upload", args=[workbook.pk]),
        {"file": SimpleUploadedFile("inj.csv", body)},
    )
    dataset = Dataset.objects.get()
    download = client.get(
        reverse("workbook:dataset_download", args=[workbook.pk, dataset.pk])
    )
    assert b"".join(download.streaming_content) == body
    Dataset.objects.filter(pk=dataset.pk).update(
        errors=[{"row": 2, "column": "=cmd", "zh": "=1+1", "en": "+bad", "value": "@x"}]
    )
    report = client.get(
        reverse("workbook:dataset_errors", args=[workbook.pk, dataset.pk])
    ).content.decode("utf-8-sig")
    assert "'=cmd" in report and "'=1+1" in report and "'@x" in report


def test_delete_through_the_page(client: Client) -> None:
    workbook = WorkbookFactory()
    client.force_login(workbook.owner)
    client.post(
        reverse("workbook:data_upload", args=[workbook.pk]),
        {"file": SimpleUploadedFile("s.csv", b"date,sales\n2026-05-01,1\n")},
    )
    dataset = Dataset.objects.get()
    response = client.post(
        reverse("workbook:dataset_delete", args=[workbook.pk, dataset.pk]), follow=True
    )
    assert not Dataset.objects.exists()
    assert "已删除" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("workbook:detail", "get", "wb"),
        ("workbook:data", "get", "wb"),
        ("workbook:data_upload", "post", "wb"),
        ("workbook:dataset", "get", "ds"),
        ("workbook:dataset", "post", "ds"),
        ("workbook:dataset_status", "get", "ds"),
        ("workbook:dataset_download", "get", "ds"),
        ("workbook:dataset_errors", "get", "ds"),
        ("workbook:dataset_delete", "post", "ds"),
    ],
)
def test_other_users_get_404(
    client: Client, other_organization_user, name: str, method: str, args: str
) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    dataset = Dataset.objects.create(
        workbook=workbook,
        original_name="x.csv",
        size_bytes=1,
        checksum="0" * 64,
        file="x.csv",
    )
    url_args = [workbook.pk] if args == "wb" else [workbook.pk, dataset.pk]
    client.force_login(other_organization_user)
    response = getattr(client, method)(reverse(name, args=url_args))
    assert response.status_code == 404
    assert Dataset.objects.filter(pk=dataset.pk).exists()


def test_anonymous_is_sent_to_login(client: Client) -> None:
    workbook = WorkbookFactory()
    response = client.get(reverse("workbook:detail", args=[workbook.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_data_page_query_count_does_not_grow_with_datasets(
    client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    client.force_login(workbook.owner)
    for i in range(15):
        Dataset.objects.create(
            workbook=workbook,
            original_name=f"{i}.csv",
            size_bytes=1,
            checksum="0" * 64,
            file=f"{i}.csv",
            uploaded_by=workbook.owner,
        )
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("workbook:data", args=[workbook.pk])).status_code == 200
        )


@pytest.mark.parametrize(
    ("step", "tab"),
    [("targets", "targets"), ("data", "data"), ("role_kpis", "tree")],
)
def test_lesson_exercise_steps_open_my_latest_workbook(
    client: Client, step: str, tab: str
) -> None:
    workbook = WorkbookFactory()
    WorkbookFactory()  # someone else's
    client.force_login(workbook.owner)
    response = client.get(reverse("workbook:step", args=[step]))
    assert response.status_code == 302
    assert response["Location"] == f"/workbooks/{workbook.pk}/{tab}/"


def test_exercise_without_a_workbook_goes_to_create(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get(reverse("workbook:step", args=["tree"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("workbook:create")
    assert "请先创建工作簿" in response.content.decode()
    assert client.get(reverse("workbook:step", args=["nope"])).status_code == 404


def test_shared_viewer_reads_the_overview_but_not_the_data(client: Client) -> None:
    from workbook.models import ShareRole, WorkbookShare

    workbook = WorkbookFactory(name="共享的工作簿")
    coach = UserFactory(is_coach=True)
    WorkbookShare.objects.create(workbook=workbook, user=coach, role=ShareRole.COACH)
    client.force_login(coach)
    page = client.get(reverse("workbook:detail", args=[workbook.pk]))
    assert page.status_code == 200
    assert "共享的工作簿" in page.content.decode()
    assert (
        reverse("workbook:data", args=[workbook.pk]) + '"'
        not in page.content.decode().split('<nav class="tabs"')[0]
    )
    assert client.get(reverse("workbook:data", args=[workbook.pk])).status_code == 404
    home = client.get("/").content.decode()
    assert reverse("workbook:shared") in home


def test_champion_sees_the_shared_menu_and_a_trainee_does_not(client: Client) -> None:
    champion = MembershipFactory(is_champion=True).user
    client.force_login(champion)
    assert reverse("workbook:shared") in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert reverse("workbook:shared") not in client.get("/").content.decode()


def test_open_action_items_show_on_the_home_page(client: Client) -> None:
    from workbook.models import ActionItem, ActionItemStatus

    workbook = WorkbookFactory()
    ActionItem.objects.create(
        owner=workbook.owner, workbook=workbook, description="把主图换成场景图"
    )
    ActionItem.objects.create(
        owner=workbook.owner,
        workbook=workbook,
        description="已经做完的事",
        status=ActionItemStatus.DONE,
    )
    client.force_login(workbook.owner)
    content = client.get("/").content.decode()
    assert "把主图换成场景图" in content
    assert "已经做完的事" not in content
    client.force_login(UserFactory())
    assert "把主图换成场景图" not in client.get("/").content.decode()
