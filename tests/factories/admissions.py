from __future__ import annotations

from decimal import Decimal

import factory

from cohorts.admissions.models import (
    AdmissionSettings,
    Application,
    ApprovalMode,
    InvoiceKind,
    InvoiceRequest,
    Payment,
    PaymentAgreement,
    Registrant,
    RevenueBand,
    TeamSize,
)
from tests.factories.cohorts import CohortFactory

VALID_TAX_ID = "91330100716105852F"  # a real, published unified social credit code


class AdmissionSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdmissionSettings

    cohort = factory.SubFactory(CohortFactory)
    is_open = True
    approval = ApprovalMode.REVIEWED
    price = Decimal("12800.00")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    company_name = factory.Sequence(lambda n: f"深圳示例科技 {n}")
    applicant_name = "王芳"
    applicant_role = "运营总监"
    team_size = TeamSize.SMALL
    channels = factory.LazyFunction(lambda: ["amazon_us", "shopify"])
    revenue_band = RevenueBand.TO_50M
    pains = factory.LazyFunction(lambda: ["no_targets"])
    phone = "138 0013 8000"
    email = factory.Sequence(lambda n: f"applicant{n}@example.cn")
    language = "zh-hans"


class RegistrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registrant

    application = factory.SubFactory(ApplicationFactory)
    cohort = factory.LazyAttribute(lambda o: o.application.cohort)
    name = factory.Sequence(lambda n: f"学员 {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    role = "运营"


class PaymentAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentAgreement

    application = factory.SubFactory(ApplicationFactory)
    price = Decimal("12800.00")
    discount = Decimal("0.00")
    amount_due = factory.LazyAttribute(lambda o: o.price - o.discount)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    agreement = factory.SubFactory(PaymentAgreementFactory)
    amount = Decimal("5000.00")
    received_on = factory.Faker("date_this_month")
    reference = factory.Sequence(lambda n: f"TRX2026{n:06d}")


class InvoiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceRequest

    application = factory.SubFactory(ApplicationFactory)
    kind = InvoiceKind.GENERAL
    title = factory.LazyAttribute(lambda o: o.application.company_name)
    tax_id = VALID_TAX_ID
    email = "finance@example.cn"
