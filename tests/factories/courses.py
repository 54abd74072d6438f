"""Course pages built through Wagtail's tree API (add_child), published."""

from __future__ import annotations

import uuid
from typing import Any

import factory
from wagtail.models import Locale, Page, Site

from courses.models import (
    CourseIndexPage,
    CourseModulePage,
    CoursePage,
    LessonPage,
)


def site_root() -> Page:
    site = Site.objects.get(is_default_site=True)
    return site.root_page


class PageFactory(factory.django.DjangoModelFactory):
    """Creates the page under `parent` (a page), as Wagtail's admin would."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type[Page], *args: Any, **kwargs: Any) -> Page:
        parent = kwargs.pop("parent", None) or cls._default_parent()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    @classmethod
    def _default_parent(cls) -> Page:
        return site_root()


class CourseIndexPageFactory(PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "课程"
    slug = factory.Sequence(lambda n: "courses" if n == 0 else f"courses-{n}")


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"KPI 管理实战 {n}")
    slug = factory.Sequence(lambda n: f"kpi-{n}")
    summary = "把目标拆到每个岗位。"
    outcomes = "拆解年度目标\n设计岗位 KPI"
    duration = "6 周"

    @classmethod
    def _default_parent(cls) -> Page:
        return CourseIndexPage.objects.first() or CourseIndexPageFactory()


class CourseModulePageFactory(PageFactory):
    class Meta:
        model = CourseModulePage

    title = factory.Sequence(lambda n: f"第 {n} 单元")
    slug = factory.Sequence(lambda n: f"module-{n}")


def quiz_block(
    *, kind: str = "single", correct: tuple[int, ...] = (1,), block_id: str = ""
) -> dict[str, Any]:
    return {
        "type": "quiz",
        "id": block_id or str(uuid.uuid4()),
        "value": {
            "question": "每个岗位几个核心 KPI？",
            "kind": kind,
            "options": [
                {"text": text, "is_correct": i in correct, "explanation": f"解析 {i}"}
                for i, text in enumerate(["一个", "三到五个", "越多越好"])
            ],
            "explanation": "<p>三到五个。</p>",
        },
    }


def checklist_block(*, block_id: str = "") -> dict[str, Any]:
    return {
        "type": "checklist",
        "id": block_id or str(uuid.uuid4()),
        "value": {"title": "准备", "items": ["去年分月 GMV", "汇率", "负责人"]},
    }


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"课时 {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    summary = "本课要点。"
    body = factory.LazyFunction(
        lambda: [
            {"type": "paragraph", "value": "<p>KPI 是有人负责的数字。</p>"},
            {
                "type": "callout",
                "value": {"kind": "tip", "title": "试点", "body": "<p>先试点。</p>"},
            },
            quiz_block(),
            checklist_block(),
        ]
    )


def english() -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


def translate(page: Page, **fields: Any) -> Page:
    """The English copy of `page` (its parent must be translated first), published."""
    copy = page.specific.copy_for_translation(english())
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    return copy
