"""Demo applications for `seed_demo`: every state, money in every state, invoices.

The public class is reviewed (¥12,800 a person); Seabright's in-house cohort approves
its members' applications automatically. Rows are written directly (no emails, no
jobs) and looked up by natural keys — (cohort, contact email), (application, person
email), (agreement, transfer reference) — so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cohorts.admissions.models import (
    AdmissionSettings,
    Application,
    ApprovalMode,
    InvoiceKind,
    InvoiceRequest,
    InvoiceStatus,
    Payment,
    PaymentAgreement,
    Registrant,
    RegistrantStatus,
)
from cohorts.models import Cohort, Enrolment, EnrolmentSource, EnrolmentStatus

PRICE = Decimal("12800.00")

# company, applicant, role, contact email, phone, channels, pains, people
# (name, email, role, status, reason)
APPLICATIONS: list[dict[str, Any]] = [
    {
        "company_name": "杭州云帆贸易有限公司",
        "applicant_name": "赵磊",
        "applicant_role": "总经理",
        "email": "zhao.lei@yunfan.demo",
        "phone": "139 5711 2233",
        "team_size": "21-50",
        "revenue_band": "50-200m",
        "channels": ["amazon_us", "amazon_eu", "walmart"],
        "pains": ["no_targets", "too_many_kpis", "no_review"],
        "problems": "各站点各自为战，月度目标拍脑袋定，到月底才发现差距。",
        "days_ago": 1,
        "people": [
            ("孙悦", "sun.yue@yunfan.demo", "亚马逊运营主管", "pending", ""),
            ("周航", "zhou.hang@yunfan.demo", "广告专员", "pending", ""),
        ],
    },
    {
        "company_name": "深圳潮汐电商有限公司",
        "applicant_name": "吴芳",
        "applicant_role": "运营总监",
        "email": "wu.fang@tidewave.demo",
        "phone": "138 0013 8000",
        "team_size": "6-20",
        "revenue_band": "10-50m",
        "channels": ["amazon_us", "tiktok_shop", "shopify"],
        "pains": ["ad_spend", "untrusted_data"],
        "problems": "TikTok 达人佣金和广告费口径不统一，利润算不清。",
        "days_ago": 12,
        "people": [
            ("吴芳", "wu.fang@tidewave.demo", "运营总监", "approved", ""),
            ("何军", "he.jun@tidewave.demo", "数据分析", "approved", ""),
        ],
    },
    {
        "company_name": "义乌远航外贸商行",
        "applicant_name": "钱多多",
        "applicant_role": "店主",
        "email": "qian@yuanhang.demo",
        "phone": "0579-8555 1234",
        "team_size": "1-5",
        "revenue_band": "<10m",
        "channels": ["temu", "other"],
        "pains": ["inventory"],
        "problems": "",
        "days_ago": 9,
        "people": [
            (
                "钱多多",
                "qian@yuanhang.demo",
                "店主",
                "rejected",
                "本期面向已有运营团队的卖家；推荐先参加免费的《KPI 入门》直播课。",
            ),
        ],
    },
    {
        "company_name": "宁波海曙家居有限公司",
        "applicant_name": "陈蕾",
        "applicant_role": "人力资源经理",
        "email": "hr@haishu-home.demo",
        "phone": "0574-8720 6688",
        "team_size": "51-200",
        "revenue_band": "200m-1b",
        "channels": ["amazon_us", "amazon_jp", "shopee"],
        "pains": ["cross_team", "no_targets", "inventory"],
        "problems": "新品上市涉及市场、供应链、运营三方，成败没人负责。",
        "days_ago": 8,
        "people": [
            ("林峰", "lin.feng@haishu-home.demo", "美国站负责人", "approved", ""),
            ("马晓雯", "ma.xiaowen@haishu-home.demo", "日本站运营", "approved", ""),
            (
                "黄涛",
                "huang.tao@haishu-home.demo",
                "仓储主管",
                "rejected",
                "本期课程以运营指标为主，仓储岗位建议参加下月的供应链专题班。",
            ),
        ],
    },
    {
        "company_name": "广州星河出海科技有限公司",
        "applicant_name": "郑可",
        "applicant_role": "创始人",
        "email": "zheng.ke@xinghe.demo",
        "phone": "+86 186 2000 1188",
        "team_size": "6-20",
        "revenue_band": "10-50m",
        "channels": ["shopify", "tiktok_shop"],
        "pains": ["too_many_kpis"],
        "problems": "独立站的指标照搬亚马逊，不适用。",
        "days_ago": 4,
        "people": [
            ("郑可", "zheng.ke@xinghe.demo", "创始人", "approved", ""),
        ],
    },
]


def _account(name: str, email: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, display_name=name)
    return user


def _application(
    cohort: Cohort, spec: dict[str, Any], staff: User | None
) -> Application:
    created_at = timezone.now() - dt.timedelta(days=spec["days_ago"])
    fields = {
        k: spec[k]
        for k in (
            "company_name",
            "applicant_name",
            "applicant_role",
            "phone",
            "team_size",
            "revenue_band",
            "channels",
            "pains",
            "problems",
        )
    }
    application, _created = Application.objects.update_or_create(
        cohort=cohort,
        email=spec["email"],
        defaults={**fields, "language": "zh-hans", "created_at": created_at},
    )
    for position, (name, email, role, status, reason) in enumerate(spec["people"]):
        decided = status != RegistrantStatus.PENDING
        user = _account(name, email) if status == RegistrantStatus.APPROVED else None
        Registrant.objects.update_or_create(
            application=application,
            email=email,
            defaults={
                "cohort": cohort,
                "name": name,
                "role": role,
                "status": status,
                "reason": reason,
                "position": position,
                "user": user,
                "decided_by": staff if decided else None,
                "decided_at": created_at + dt.timedelta(days=1) if decided else None,
            },
        )
        if user is not None:
            Enrolment.objects.update_or_create(
                cohort=cohort,
                user=user,
                defaults={
                    "status": EnrolmentStatus.ACTIVE,
                    "source": EnrolmentSource.STAFF,
                },
            )
    return application


def _agreement(
    application: Application,
    staff: User | None,
    *,
    price: Decimal,
    discount: Decimal,
    due_in: int,
    payments: list[tuple[str, Decimal, int]],
) -> PaymentAgreement:
    agreement, _created = PaymentAgreement.objects.update_or_create(
        application=application,
        registrant=None,
        defaults={
            "price": price,
            "discount": discount,
            "amount_due": price - discount,
            "currency": "CNY",
            "due_on": timezone.localdate() + dt.timedelta(days=due_in),
            "created_by": staff,
        },
    )
    for reference, amount, days_ago in payments:
        Payment.objects.update_or_create(
            agreement=agreement,
            reference=reference,
            defaults={
                "amount": amount,
                "received_on": timezone.localdate() - dt.timedelta(days=days_ago),
                "payer": application.company_name,
                "recorded_by": staff,
            },
        )
    return agreement


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    public = Cohort.objects.filter(slug="kpi-public-class").first()
    in_house = Cohort.objects.filter(slug="seabright-in-house").first()
    if public is None or in_house is None:
        return
    staff = User.objects.filter(email="staff@lodestar.demo").first()
    AdmissionSettings.objects.update_or_create(
        cohort=public,
        defaults={
            "is_open": True,
            "approval": ApprovalMode.REVIEWED,
            "price": PRICE,
            "currency": "CNY",
        },
    )
    AdmissionSettings.objects.update_or_create(
        cohort=in_house,
        defaults={"is_open": True, "approval": ApprovalMode.AUTOMATIC, "price": None},
    )
    apps = {spec["email"]: _application(public, spec, staff) for spec in APPLICATIONS}

    tidewave = apps["wu.fang@tidewave.demo"]
    _agreement(
        tidewave,
        staff,
        price=PRICE * 2,
        discount=Decimal("2560.00"),
        due_in=-3,
        payments=[
            ("CMB20261101-0007731", Decimal("10000.00"), 6),
            ("CMB20261105-0009112", Decimal("13040.00"), 2),
        ],
    )
    InvoiceRequest.objects.update_or_create(
        application=tidewave,
        defaults={
            "kind": InvoiceKind.GENERAL,
            "title": "深圳潮汐电商有限公司",
            "tax_id": "91440300MA5G2L0L2L",
            "email": "finance@tidewave.demo",
            "status": InvoiceStatus.ISSUED,
            "number": "24442000000031415926",
            "issued_on": timezone.localdate() - dt.timedelta(days=1),
            "issued_by": staff,
        },
    )
    haishu = apps["hr@haishu-home.demo"]
    _agreement(
        haishu,
        staff,
        price=PRICE * 2,
        discount=Decimal("0.00"),
        due_in=10,
        payments=[("ICBC-NB-20261108-5521", Decimal("12800.00"), 1)],
    )
    InvoiceRequest.objects.update_or_create(
        application=haishu,
        defaults={
            "kind": InvoiceKind.SPECIAL,
            "title": "宁波海曙家居有限公司",
            "tax_id": "91330203MA2H7RXW3T",
            "address": "浙江省宁波市海曙区中山西路 88 号",
            "phone": "0574-8720 6688",
            "bank_name": "中国工商银行宁波海曙支行",
            "bank_account": "3901 1100 0920 0123 456",
            "email": "finance@haishu-home.demo",
            "status": InvoiceStatus.REQUESTED,
        },
    )
    _agreement(
        apps["zheng.ke@xinghe.demo"],
        staff,
        price=PRICE,
        discount=Decimal("0.00"),
        due_in=14,
        payments=[],
    )
    if stdout is not None:
        stdout.write(
            f"Admissions: {len(apps)} applications for {public.name} "
            "(pending, approved, rejected, partly approved); payments and invoices"
        )
