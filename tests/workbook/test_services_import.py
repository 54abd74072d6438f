"""The import pipeline: kept file, detection, atomic import, replacement, deletion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from tests.config.test_jobs import run_one_worker_cycle
from tests.factories.accounts import UserFactory
from tests.factories.workbook import WorkbookFactory
from workbook import services
from workbook.models import Dataset, DatasetStatus, Fact, FxRate

pytestmark = pytest.mark.django_db


def total(workbook, metric: str, **segment: str) -> Decimal:  # type: ignore[no-untyped-def]
    value = Fact.objects.filter(workbook=workbook, metric=metric, **segment).aggregate(
        s=Sum("value")
    )["s"]
    return Decimal(str(round(value or 0, 2)))


def upload_and_import(workbook, upload, *, period: str = "", mode: str = "strict"):  # type: ignore[no-untyped-def]
    dataset = services.dataset_upload(
        workbook=workbook, user=workbook.owner, uploaded=upload
    )
    services.dataset_queue(
        dataset=dataset,
        user=workbook.owner,
        choice=services.ImportChoice(
            format_key=dataset.format_key, period=period, mode=mode
        ),
    )
    return services.dataset_import(dataset_id=dataset.pk)


def test_upload_keeps_the_file_and_detects_from_the_header(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    upload = sample_upload(
        "amazon_us_business_report_child_2026-05.csv", as_name="whatever.csv"
    )
    dataset = services.dataset_upload(
        workbook=workbook, user=workbook.owner, uploaded=upload
    )
    assert dataset.status == DatasetStatus.UPLOADED
    assert dataset.detected_format == "amazon_business_report_child"
    assert dataset.detection_confidence >= 0.8
    assert dataset.detection_reason["en"]
    assert dataset.size_bytes == 7091 == dataset.file.size
    assert len(dataset.checksum) == 64
    assert Fact.objects.count() == 0


def test_a_report_without_dates_asks_for_the_period(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    dataset = services.dataset_upload(
        workbook=workbook,
        user=workbook.owner,
        uploaded=sample_upload(
            "amazon_us_business_report_child_2026-05.csv", as_name="report.csv"
        ),
    )
    with pytest.raises(ValidationError, match="没有日期列"):
        services.dataset_queue(
            dataset=dataset,
            user=workbook.owner,
            choice=services.ImportChoice(
                format_key=dataset.format_key, period="", mode="strict"
            ),
        )
    with pytest.raises(ValidationError, match="不是有效的期间"):
        services.dataset_queue(
            dataset=dataset,
            user=workbook.owner,
            choice=services.ImportChoice(
                format_key=dataset.format_key, period="May", mode="strict"
            ),
        )


def test_business_report_import_reproduces_the_readme_totals(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    dataset = upload_and_import(
        workbook,
        sample_upload("amazon_us_business_report_child_2026-05.csv"),
        period="2026-05",
    )
    assert dataset.status == DatasetStatus.IMPORTED, dataset.failure
    assert total(workbook, "ordered_product_sales") == Decimal("188474.28")
    assert total(workbook, "ordered_product_sales_b2b") == Decimal("22415.19")
    assert total(workbook, "units_ordered") == 5552
    assert total(workbook, "sessions") == 43134
    assert total(workbook, "page_views") == 58983
    assert dataset.fact_count == Fact.objects.filter(dataset=dataset).count() > 0
    assert {
        row["currency"]
        for row in dataset.totals
        if row["metric"] == "ordered_product_sales"
    } == {"USD"}


@pytest.mark.parametrize(
    ("sample", "metric", "segment", "expected"),
    [
        (
            "amazon_all_orders_2026-05.txt",
            "ordered_product_sales",
            {"marketplace": "US"},
            "188474.28",
        ),
        (
            "amazon_all_orders_2026-05.txt",
            "ordered_product_sales",
            {"marketplace": "UK"},
            "36763.92",
        ),
        (
            "amazon_all_orders_2026-05.txt",
            "ordered_product_sales",
            {"marketplace": "DE"},
            "59644.72",
        ),
        (
            "amazon_all_orders_2026-05.txt",
            "units_ordered",
            {"marketplace": "DE"},
            "1828",
        ),
        ("shopify_orders_export_2026-05.csv", "ordered_product_sales", {}, "54784.76"),
        ("shopify_orders_export_2026-05.csv", "orders", {}, "914"),
        ("tiktok_shop_orders_2026-05.xlsx", "ordered_product_sales", {}, "56580.04"),
        ("tiktok_shop_orders_2026-05.xlsx", "units_ordered", {}, "1796"),
        ("shopee_sg_orders_2026-05.xlsx", "ordered_product_sales", {}, "20522.80"),
        ("shopee_sg_orders_2026-05.xlsx", "orders", {}, "265"),
        ("amazon_us_sp_advertised_product_2026-05.csv", "ad_spend", {}, "17837.94"),
    ],
)
def test_samples_import_to_the_readme_totals(
    sample_upload, sample, metric, segment, expected
) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    dataset = upload_and_import(workbook, sample_upload(sample))
    assert dataset.status == DatasetStatus.IMPORTED, dataset.failure
    assert total(workbook, metric, **segment) == Decimal(expected)


def test_importing_the_same_file_twice_replaces_instead_of_doubling(
    sample_upload,
) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    name = "amazon_us_business_report_child_2026-05.csv"
    first = upload_and_import(workbook, sample_upload(name), period="2026-05")
    second = upload_and_import(workbook, sample_upload(name), period="2026-05")
    assert total(workbook, "ordered_product_sales") == Decimal("188474.28")
    first.refresh_from_db()
    assert first.status == DatasetStatus.REPLACED
    assert second.replaced == [
        {"dataset": first.pk, "name": name, "facts": first.fact_count, "left": 0}
    ]
    assert not Fact.objects.filter(dataset=first).exists()


def test_a_different_period_of_the_same_source_adds_up(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    name = "amazon_us_business_report_child_2026-05.csv"
    upload_and_import(workbook, sample_upload(name), period="2026-05")
    upload_and_import(
        workbook, sample_upload(name, as_name="june.csv"), period="2026-06"
    )
    assert total(workbook, "units_ordered") == 2 * 5552


def test_a_failed_import_writes_nothing_and_leaves_earlier_data(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    upload_and_import(workbook, sample_upload("shopify_orders_export_2026-05.csv"))
    before = Fact.objects.count()
    bad = upload_and_import(
        workbook, sample_upload("variants/bad_cells_google_ads.csv")
    )
    assert bad.status == DatasetStatus.FAILED
    assert bad.failure["code"] == "bad_rows"
    assert "nothing was imported" in bad.failure["en"]
    assert bad.errors and bad.errors[0]["row"]
    assert Fact.objects.count() == before
    assert not Fact.objects.filter(dataset=bad).exists()
    assert bad.file.size > 0  # the upload is kept


def test_skip_bad_rows_imports_the_good_rows_and_lists_the_rest(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    dataset = upload_and_import(
        workbook,
        sample_upload("variants/bad_cells_google_ads.csv"),
        mode="skip_bad_rows",
    )
    assert dataset.status == DatasetStatus.IMPORTED, dataset.failure
    assert dataset.rejected_count > 0
    assert dataset.errors
    assert Fact.objects.filter(dataset=dataset).count() == dataset.fact_count > 0


@pytest.mark.parametrize(
    "sample",
    [
        "variants/bad_empty.csv",
        "variants/bad_not_a_zip.xlsx",
        "variants/bad_password_protected.xlsx",
    ],
)
def test_unreadable_files_fail_at_upload_with_a_reason(sample_upload, sample) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    dataset = services.dataset_upload(
        workbook=workbook, user=workbook.owner, uploaded=sample_upload(sample)
    )
    assert dataset.status == DatasetStatus.FAILED
    assert dataset.failure["zh"] and dataset.failure["en"]
    assert dataset.file.name


def test_files_over_the_limit_are_refused_but_kept(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 100
    workbook = WorkbookFactory()
    dataset = services.dataset_upload(
        workbook=workbook,
        user=workbook.owner,
        uploaded=SimpleUploadedFile("big.csv", b"x" * 500),
    )
    assert dataset.status == DatasetStatus.FAILED
    assert dataset.failure["code"] == "too_large"
    assert dataset.size_bytes == 500


def test_fx_rates_import_into_the_workbook(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    dataset = upload_and_import(workbook, sample_upload("fx_rates_monthly.csv"))
    assert dataset.status == DatasetStatus.IMPORTED, dataset.failure
    rate = FxRate.objects.get(workbook=workbook, month="2025-01-01", currency="USD")
    assert rate.rate == Decimal("7.2745") and rate.quote == "CNY"


def test_deleting_a_dataset_removes_its_facts_and_file(
    sample_upload, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    keep = upload_and_import(
        workbook, sample_upload("shopify_orders_export_2026-05.csv")
    )
    gone = upload_and_import(workbook, sample_upload("tiktok_shop_orders_2026-05.xlsx"))
    storage, name = gone.file.storage, gone.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.dataset_delete(dataset=gone, user=workbook.owner)
    assert not Dataset.objects.filter(pk=gone.pk).exists()
    assert not Fact.objects.filter(dataset_id=gone.pk).exists()
    assert Fact.objects.filter(dataset=keep).count() == keep.fact_count
    assert not storage.exists(name)


def test_only_the_owner_may_upload_or_delete(sample_upload) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.dataset_upload(
            workbook=workbook,
            user=stranger,
            uploaded=sample_upload("fx_rates_monthly.csv"),
        )


@pytest.mark.django_db(transaction=True)
def test_the_import_runs_through_the_job_broker(sample_upload) -> None:  # type: ignore[no-untyped-def]
    from django_q.brokers import get_broker

    get_broker().purge_queue()
    workbook = WorkbookFactory()
    dataset = services.dataset_upload(
        workbook=workbook,
        user=workbook.owner,
        uploaded=sample_upload("shopify_orders_export_2026-05.csv"),
    )
    services.dataset_queue(
        dataset=dataset,
        user=workbook.owner,
        choice=services.ImportChoice(
            format_key=dataset.format_key, period="", mode="strict"
        ),
    )
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.QUEUED and dataset.task_id
    run_one_worker_cycle()
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.IMPORTED
    assert total(workbook, "ordered_product_sales") == Decimal("54784.76")


def test_reimporting_rates_and_catalogue_updates_in_place(
    sample_upload, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from workbook.models import CatalogItem

    workbook = WorkbookFactory()
    upload_and_import(workbook, sample_upload("fx_rates_monthly.csv"))
    upload_and_import(workbook, sample_upload("catalog.csv"))
    rates, items = FxRate.objects.count(), CatalogItem.objects.count()
    FxRate.objects.filter(workbook=workbook, currency="USD").update(rate=Decimal("1"))
    again = upload_and_import(workbook, sample_upload("fx_rates_monthly.csv"))
    upload_and_import(workbook, sample_upload("catalog.csv"))
    assert (
        (FxRate.objects.count(), CatalogItem.objects.count())
        == (rates, items)
        == (72, 24)
    )
    assert FxRate.objects.get(
        workbook=workbook, month="2025-01-01", currency="USD"
    ).rate == Decimal("7.2745")
    assert set(FxRate.objects.values_list("dataset_id", flat=True)) == {again.pk}
    dataset = services.dataset_upload(
        workbook=workbook,
        user=workbook.owner,
        uploaded=sample_upload("fx_rates_monthly.csv"),
    )
    services.dataset_queue(
        dataset=dataset,
        user=workbook.owner,
        choice=services.ImportChoice(
            format_key=dataset.format_key, period="", mode="strict"
        ),
    )
    with django_assert_max_num_queries(20):  # not one query per rate
        services.dataset_import(dataset_id=dataset.pk)
