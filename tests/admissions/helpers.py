"""Shared inputs for admissions tests."""

from __future__ import annotations

from cohorts.admissions.services import ApplicantDetails, PersonDetails


def details(**overrides: object) -> ApplicantDetails:
    fields: dict[str, object] = {
        "company_name": "深圳潮汐电商有限公司",
        "applicant_name": "吴芳",
        "applicant_role": "运营总监",
        "team_size": "6-20",
        "revenue_band": "10-50m",
        "phone": "138 0013 8000",
        "email": "wu.fang@tidewave.cn",
        "channels": ["amazon_us", "tiktok_shop"],
        "pains": ["no_targets", "ad_spend"],
        "problems": "广告费涨得比利润快。",
    }
    fields.update(overrides)
    return ApplicantDetails(**fields)  # type: ignore[arg-type]


def people(*emails: str) -> list[PersonDetails]:
    return [
        PersonDetails(name=f"同事 {i}", email=email, role="运营")
        for i, email in enumerate(emails, start=1)
    ]
