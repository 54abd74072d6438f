"""The frozen copy of a certificate: every word printed on it, in every language of
its design, computed once at issue and stored on the row (`Certificate.frozen`).

Re-rendering a certificate reads only this copy, so renaming the course, the holder
or editing the design later changes nothing already issued. Dates are written out per
language here (not with the server's locale) for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.notifications import site_url
from cohorts.certificates.models import CertificateDesign, CertificateName
from cohorts.models import Cohort

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

NO_SCORE = {"zh": "（未评分）", "en": "(not scored)"}
DEFAULT_TITLES = {"zh": "结业证书", "en": "Certificate of Completion"}
DEFAULT_BODIES = {
    "zh": (
        "于 {start_date} 至 {end_date} 参加「{course}」培训（{cohort}），"
        "完成全部课程、出勤与作业要求，共计 {hours} 学时，作业平均得分 {score}，特发此证。"
    ),
    "en": (
        "has completed {course} ({cohort}), {start_date} – {end_date}: "
        "{hours} hours of training with an average assignment score of {score}."
    ),
}


@dataclass(frozen=True, slots=True)
class HolderName:
    zh: str
    latin: str


def format_date(day: date | None, language: str) -> str:
    if day is None:
        return "—"
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def holder_name(user: User, saved: CertificateName | None = None) -> HolderName:
    """The name the trainee set for certificates, else their display name."""
    if saved is None:
        saved = CertificateName.objects.filter(user=user).first()
    if saved is not None:
        return HolderName(zh=saved.name_zh, latin=saved.name_latin)
    return HolderName(zh=user.display_name or user.email, latin="")


def course_titles(cohort: Cohort) -> dict[str, str]:
    """The course title in Chinese and English (its Wagtail translations)."""
    course = cohort.course
    titles = {"zh": course.title, "en": course.title}
    for page in course.get_translations(inclusive=True).select_related("locale"):
        code = page.locale.language_code.lower()
        if code.startswith("zh"):
            titles["zh"] = page.title
        elif code.startswith("en"):
            titles["en"] = page.title
    return titles


def verify_url(code: str) -> str:
    return site_url() + reverse("certificates:verify_code", args=[code])


def _number(value: Decimal | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value.normalize():f}"
    return f"{text}{suffix}"


def build_frozen(
    *,
    code: str,
    cohort: Cohort,
    design: CertificateDesign,
    name: HolderName,
    titles: dict[str, str],
    hours: Decimal | None,
    score: Decimal | None,
    issued_at: datetime,
    logo: str = "",
) -> dict[str, Any]:
    """Everything printed on one certificate, as plain JSON."""
    languages = design.languages
    issued_on = timezone.localtime(issued_at, cohort.zone).date()
    titles_by_language = {"zh": design.title_zh, "en": design.title_en}
    bodies_by_language = {"zh": design.body_zh, "en": design.body_en}
    title: dict[str, str] = {}
    body: dict[str, str] = {}
    for language in ("zh", "en"):
        printed_name = name.zh if language == "zh" else (name.latin or name.zh)
        values = {
            "name": printed_name,
            "course": titles[language],
            "cohort": cohort.name,
            "start_date": format_date(cohort.starts_on, language),
            "end_date": format_date(cohort.ends_on, language),
            "hours": _number(hours),
            "score": _number(score, "%") if score is not None else NO_SCORE[language],
        }
        template = bodies_by_language[language] or DEFAULT_BODIES[language]
        title[language] = titles_by_language[language] or DEFAULT_TITLES[language]
        body[language] = template.format(**values)
    url = verify_url(code)
    split = urlsplit(url)
    return {
        "version": 1,
        "code": code,
        "languages": languages,
        "name": {"zh": name.zh, "latin": name.latin},
        "course": titles,
        "cohort": cohort.name,
        "start_date": cohort.starts_on.isoformat() if cohort.starts_on else "",
        "end_date": cohort.ends_on.isoformat() if cohort.ends_on else "",
        "hours": _number(hours),
        "score": _number(score, "%"),
        "title": title,
        "body": body,
        "issuer": design.issuer_name,
        "signatures": [
            {
                "name": signature.signer_name,
                "title": signature.signer_title,
                "image": signature.image.name if signature.image else "",
            }
            for signature in design.signatures.all()[:3]
        ],
        "colours": {"primary": design.primary_colour, "accent": design.accent_colour},
        "logo": logo,
        "issued_on": {lang: format_date(issued_on, lang) for lang in ("zh", "en")},
        "issued_year": str(issued_on.year),
        "verify_url": url,
        "verify_host": f"{split.netloc}{split.path}".rstrip("/").rsplit("/", 1)[0],
    }


def logo_for(design: CertificateDesign, cohort: Cohort) -> str:
    """The design's logo; for in-house cohorts without one, the organization's."""
    if design.logo:
        return design.logo.name
    if cohort.is_in_house and cohort.organization and cohort.organization.logo:
        return cohort.organization.logo.name
    return ""
