"""Build the demo course through Wagtail's page API, in Chinese and English.

Called by `manage.py seed_demo`. Idempotent: pages, documents and images are looked
up by slug or title and only created when missing, so a second run changes nothing.
Block ids are derived from the lesson slug and position, so both languages share
them (and a trainee's quiz answers and checklist ticks follow them).
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any, TextIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from accounts.models import User
from courses.demo_content import (
    CATALOGUE,
    COURSE,
    MODULES,
    SECOND_COURSE,
    Bi,
)
from courses.models import (
    CourseCoach,
    CourseIndexPage,
    CourseModulePage,
    CoursePage,
    LessonPage,
)

BLOCK_NAMESPACE = uuid.UUID("6f1d8c3e-2b7a-4f0e-9d51-3c2a4b5e6f70")
COACH_EMAIL = "coach@lodestar.demo"


def _pick(value: Any, language: str, assets: dict[str, int]) -> Any:
    """Resolve `Bi` texts to one language and `$doc:`/`$image:` names to ids."""
    if isinstance(value, Bi):
        return value.zh if language == "zh" else value.en
    if isinstance(value, dict):
        return {key: _pick(item, language, assets) for key, item in value.items()}
    if isinstance(value, list):
        return [_pick(item, language, assets) for item in value]
    if isinstance(value, str) and value.startswith("$"):
        return assets[value[1:]]
    return value


def _body(
    slug: str, blocks: list[tuple[str, Any]], language: str, assets: dict[str, int]
) -> list[dict[str, Any]]:
    return [
        {
            "type": block_type,
            "value": _pick(value, language, assets),
            "id": str(uuid.uuid5(BLOCK_NAMESPACE, f"{slug}/{position}")),
        }
        for position, (block_type, value) in enumerate(blocks)
    ]


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _child(parent: Page, model: type[Page], slug: str, **fields: Any) -> Page:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    return _publish(page)


def _translation(page: Page, locale: Locale, **fields: Any) -> Page:
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return _publish(copy)


# --- assets ---------------------------------------------------------------------


def _kpi_template_csv() -> bytes:
    rows = [
        [
            "层级 Level",
            "指标 KPI",
            "口径 Definition",
            "负责人 Owner",
            "数据来源 Source",
            "目标 Target",
        ],
        [
            "公司 Company",
            "GMV",
            "Σ 各平台订单销售额 / Σ ordered product sales",
            "CEO",
            "Business Report",
            "",
        ],
        [
            "公司 Company",
            "净利润 Net profit",
            "收入 − 成本 / revenue − costs",
            "CFO",
            "ERP",
            "",
        ],
        [
            "部门 Department",
            "广告 ROAS / Ad ROAS",
            "广告销售额 ÷ 广告花费 / ad sales ÷ ad spend",
            "",
            "Advertising report",
            "",
        ],
        [
            "岗位 Role",
            "ACoS",
            "广告花费 ÷ 广告销售额 / ad spend ÷ ad sales",
            "",
            "Advertising report",
            "≤ 25%",
        ],
        [
            "岗位 Role",
            "客服响应时间 / Response time",
            "小时 / hours",
            "",
            "Seller Central",
            "≤ 12h",
        ],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _review_template_csv() -> bytes:
    rows = [
        [
            "指标 Metric",
            "目标 Target",
            "实际 Actual",
            "驱动因素 Driver",
            "原因 Cause",
            "行动 Action",
            "负责人 Owner",
            "截止 Due",
        ],
        ["GMV (US)", "", "", "CVR", "", "", "", ""],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _manual_pdf() -> bytes:
    from weasyprint import HTML

    html = """<html><head><meta charset="utf-8"><style>
    body{font-family:'Noto Sans CJK SC',sans-serif;font-size:11pt;margin:2cm}
    h1{color:#13294b}</style></head><body>
    <h1>Lodestar KPI 手册 · KPI Manual</h1>
    <h2>计算口径 · Definitions</h2>
    <p>ACoS = 广告花费 ÷ 广告销售额 (ad spend ÷ ad sales). TACoS = 广告花费 ÷ 总销售额.
    派生指标总是用汇总后的输入重新计算 — derived metrics are recomputed from totals.</p>
    <h2>常见误区 · Pitfalls</h2>
    <ul><li>每个岗位 KPI 太多 — too many KPIs per role</li>
    <li>照搬大卖的指标 — copying a big seller's metrics</li>
    <li>KPI 只用来惩罚 — KPIs used only to punish</li>
    <li>没有反馈闭环 — no feedback loop</li></ul></body></html>"""
    return HTML(string=html).write_pdf()


def _kpi_tree_png() -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    width, height = 1200, 560
    image = PILImage.new("RGB", (width, height), "#f5f7fa")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 30)
        small = ImageFont.truetype("DejaVuSans.ttf", 22)
    except OSError:
        font = small = ImageFont.load_default()

    def box(x: int, y: int, title: str, note: str, fill: str) -> None:
        draw.rounded_rectangle((x - 150, y - 55, x + 150, y + 55), 16, fill=fill)
        draw.text((x, y - 14), title, font=font, fill="white", anchor="mm")
        draw.text((x, y + 22), note, font=small, fill="#dbe4f3", anchor="mm")

    box(600, 90, "GMV", "company · $1.2M / year", "#13294b")
    for x, (title, note) in zip(
        (220, 600, 980),
        (
            ("Sessions", "traffic · marketing"),
            ("CVR", "listing · operations"),
            ("AOV", "pricing · bundles"),
        ),
        strict=True,
    ):
        draw.line((600, 145, x, 395), fill="#c5ccd8", width=4)
        box(x, 450, title, note, "#1f5fbf")
    draw.text((600, 270), "×", font=font, fill="#4a5568", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _assets() -> dict[str, int]:
    if Collection.get_first_root_node() is None:  # e.g. after a test flush
        Collection.add_root(name="Root")
    document_model = get_document_model()
    image_model = get_image_model()
    documents = {
        "kpi_template": (
            "KPI 设计模板 · KPI design template",
            "kpi-design-template.csv",
            _kpi_template_csv,
        ),
        "review_template": (
            "周复盘模板 · Weekly review template",
            "weekly-review-template.csv",
            _review_template_csv,
        ),
        "manual": (
            "Lodestar KPI 手册 · KPI manual",
            "lodestar-kpi-manual.pdf",
            _manual_pdf,
        ),
    }
    assets: dict[str, int] = {}
    for key, (title, filename, build) in documents.items():
        document = document_model.objects.filter(title=title).first()
        if document is None:
            document = document_model(title=title)
            document.file.save(filename, ContentFile(build()), save=False)
            document.save()
        assets[f"doc:{key}"] = document.pk
    title = "KPI 树 · KPI tree"
    image = image_model.objects.filter(title=title).first()
    if image is None:
        image = image_model(title=title)
        image.file = ImageFile(io.BytesIO(_kpi_tree_png()), name="kpi-tree.png")
        image.save()
    assets["image:kpi_tree"] = image.pk
    return assets


# --- pages ------------------------------------------------------------------------


COURSE_TEXT = ("title", "summary", "outcomes", "audience", "prerequisites", "duration")
COURSE_PLAIN = (
    "level",
    "teaching_language",
    "topic",
    "offers_public_class",
    "offers_small_cohort",
    "offers_in_house",
)


def _course_fields(spec: dict[str, Any], language: str) -> dict[str, Any]:
    fields = {name: _pick(spec[name], language, {}) for name in COURSE_TEXT}
    fields.update({name: spec[name] for name in COURSE_PLAIN})
    return fields


def _lesson_fields(
    spec: dict[str, Any], language: str, assets: dict[str, int]
) -> dict[str, Any]:
    return {
        "title": _pick(spec["title"], language, assets),
        "summary": _pick(spec["summary"], language, assets),
        "is_preview": spec["preview"],
        "duration_minutes": spec["minutes"],
        "body": _body(spec["slug"], spec["body"], language, assets),
    }


def _site_root(english: Locale) -> tuple[Page, Page]:
    """The site's root page (Wagtail's welcome page, renamed) and its English copy.

    The root itself is never served: Django's `home` view owns `/`; the catalogue
    lives under it at /courses/.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:  # a database without Wagtail's initial site (e.g. flushed)
        tree_root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root")
        )
        home = tree_root.add_child(instance=Page(title="Lodestar", slug="home"))
        site = Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True
        )
    root = site.root_page.specific
    if root.title.startswith("Welcome to your new Wagtail site"):
        root.title = "Lodestar"
        root.save()
        _publish(root)
    return root, _translation(root, english, title="Lodestar")


def _build_course(
    index: CourseIndexPage,
    english_index: CourseIndexPage,
    english: Locale,
    spec: dict[str, Any],
    modules: list[dict[str, Any]],
    assets: dict[str, int],
    coach: User | None,
) -> CoursePage:
    course = _child(index, CoursePage, spec["slug"], **_course_fields(spec, "zh"))
    if coach is not None and not course.course_coaches.exists():
        CourseCoach.objects.create(
            course=course,
            coach=coach,
            bio="10 年跨境电商运营与 KPI 咨询经验 · 10 years in cross-border operations",
        )
    _translation(course, english, **_course_fields(spec, "en"))
    for module_spec in modules:
        parent: Page = course
        if module_spec.get("slug"):
            parent = _child(
                course,
                CourseModulePage,
                module_spec["slug"],
                title=_pick(module_spec["title"], "zh", assets),
                summary=_pick(module_spec["summary"], "zh", assets),
            )
            _translation(
                parent,
                english,
                title=_pick(module_spec["title"], "en", assets),
                summary=_pick(module_spec["summary"], "en", assets),
            )
        for lesson_spec in module_spec["lessons"]:
            lesson = _child(
                parent,
                LessonPage,
                lesson_spec["slug"],
                **_lesson_fields(lesson_spec, "zh", assets),
            )
            _translation(lesson, english, **_lesson_fields(lesson_spec, "en", assets))
    return course


@transaction.atomic
def seed(*, stdout: TextIO) -> None:
    chinese, _ = Locale.objects.get_or_create(language_code="zh-hans")
    english, _ = Locale.objects.get_or_create(language_code="en")
    assets = _assets()
    root, _english_root = _site_root(english)
    index = _child(
        root,
        CourseIndexPage,
        CATALOGUE["slug"],
        title=_pick(CATALOGUE["title"], "zh", assets),
        intro=_pick(CATALOGUE["intro"], "zh", assets),
    )
    english_index = _translation(
        index,
        english,
        title=_pick(CATALOGUE["title"], "en", assets),
        intro=_pick(CATALOGUE["intro"], "en", assets),
    )
    coach = User.objects.filter(email=COACH_EMAIL).first()
    course = _build_course(
        index, english_index, english, COURSE, MODULES, assets, coach
    )
    _build_course(
        index,
        english_index,
        english,
        SECOND_COURSE,
        [{"slug": None, "lessons": SECOND_COURSE["lessons"]}],
        assets,
        coach,
    )
    lessons = LessonPage.objects.descendant_of(course).filter(locale=chinese).count()
    stdout.write(f"Demo course: {course.url} ({lessons} lessons, 中文 + English)")
