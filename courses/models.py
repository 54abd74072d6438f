"""Course content served by Wagtail, and each trainee's progress through it.

Pages: the catalogue (`CourseIndexPage`), a course (`CoursePage`), optional modules
(`CourseModulePage`) and lessons (`LessonPage`). Content exists once per Locale
(zh-hans, en); translations share a `translation_key`, and progress, quiz answers
and checklist ticks are keyed by it, so a trainee's progress is the same in either
language and survives edits and new revisions of the page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock


class LocaleFallbackMixin:
    """Route into the default-locale tree when this locale lacks a page.

    Wagtail serves `site.root_page.localized`, i.e. the tree of the active language.
    A page that was not translated yet is still reachable there: its default-language
    original is served instead of a 404.
    """

    def route(self, request: HttpRequest, path_components: list[str]):  # type: ignore[no-untyped-def]
        try:
            return super().route(request, path_components)  # type: ignore[misc]
        except Http404:
            if not path_components:
                raise
            original = self.get_translation_or_none(Locale.get_default())  # type: ignore[attr-defined]
            if original is None or original.pk == self.pk:  # type: ignore[attr-defined]
                raise
            return original.specific.route(request, path_components)


class CourseFormat(models.TextChoices):
    PUBLIC = "public", _("Public class")
    SMALL = "small", _("Small cohort")
    IN_HOUSE = "in_house", _("In-house training")


class CourseLevel(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class TeachingLanguage(models.TextChoices):
    CHINESE = "zh-hans", _("Chinese")
    ENGLISH = "en", _("English")
    BILINGUAL = "bilingual", _("Chinese and English")


class CourseTopic(models.TextChoices):
    KPI_DESIGN = "kpi_design", _("KPI design")
    TARGETS = "targets", _("Targets and decomposition")
    DASHBOARDS = "dashboards", _("Data dashboards")
    REVIEWS = "reviews", _("Weekly reviews")
    INCENTIVES = "incentives", _("Incentives")


class CourseIndexPage(LocaleFallbackMixin, Page):
    """The course catalogue: filters and search are read in `selectors.catalogue`."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    template = "courses/course_index_page.html"

    def get_template(self, request: HttpRequest, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
        """htmx filter requests get only the results fragment."""
        if getattr(request, "htmx", False):
            return f"{self.template}#results"
        return super().get_template(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        from courses.selectors import catalogue

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = catalogue(index=self, params=request.GET)
        return context

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(LocaleFallbackMixin, RoutablePageMixin, Page):
    """One course; cohorts (cohorts.Cohort, reverse relation `cohorts`) run it.

    Each cohort's schedule page is served by Wagtail under its course at
    `<course url>/cohorts/<cohort slug>/` (docs/architecture.md, "Cohort schedule
    pages"). The route reaches cohorts only through the reverse relation and its
    queryset API (`visible_to(user)`), so courses/ imports nothing from cohorts/.
    """

    summary = models.TextField(_("summary"), blank=True)
    outcomes = models.TextField(
        _("outcomes"), blank=True, help_text=_("One outcome per line.")
    )
    audience = models.TextField(_("who it is for"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    duration = models.CharField(
        _("duration"), max_length=100, blank=True, help_text=_("e.g. 6 weeks, 12 hours")
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=CourseLevel.choices,
        default=CourseLevel.FOUNDATION,
    )
    teaching_language = models.CharField(
        _("taught in"),
        max_length=20,
        choices=TeachingLanguage.choices,
        default=TeachingLanguage.CHINESE,
    )
    topic = models.CharField(
        _("topic"),
        max_length=20,
        choices=CourseTopic.choices,
        default=CourseTopic.KPI_DESIGN,
    )
    offers_public_class = models.BooleanField(_("public class"), default=True)
    offers_small_cohort = models.BooleanField(_("small cohort"), default=False)
    offers_in_house = models.BooleanField(_("in-house training"), default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("outcomes"),
        FieldPanel("audience"),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldPanel("duration"),
                FieldPanel("level"),
                FieldPanel("teaching_language"),
                FieldPanel("topic"),
            ],
            heading=_("Catalogue"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("offers_public_class"),
                FieldPanel("offers_small_cohort"),
                FieldPanel("offers_in_house"),
            ],
            heading=_("Formats offered"),
        ),
        InlinePanel("course_coaches", label=_("Coaches")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("outcomes"),
        index.SearchField("audience"),
        index.FilterField("level"),
        index.FilterField("teaching_language"),
        index.FilterField("topic"),
        index.FilterField("offers_public_class"),
        index.FilterField("offers_small_cohort"),
        index.FilterField("offers_in_house"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.CourseModulePage", "courses.LessonPage"]
    template = "courses/course_page.html"

    FORMAT_FIELDS = {
        CourseFormat.PUBLIC: "offers_public_class",
        CourseFormat.SMALL: "offers_small_cohort",
        CourseFormat.IN_HOUSE: "offers_in_house",
    }

    @property
    def formats(self) -> list[str]:
        return [
            str(fmt.label)
            for fmt, field in self.FORMAT_FIELDS.items()
            if getattr(self, field)
        ]

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]

    def get_context(self, request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        from courses.selectors import course_overview

        context = super().get_context(request, *args, **kwargs)
        context["overview"] = course_overview(course=self, user=request.user)
        return context

    @path("cohorts/<slug:cohort_slug>/", name="cohort_schedule")
    def cohort_schedule(self, request: HttpRequest, cohort_slug: str) -> HttpResponse:
        from courses.selectors import course_cohorts

        cohorts = course_cohorts(course=self, user=request.user)
        cohort = get_object_or_404(cohorts, slug=cohort_slug)
        context = self.get_context(request)
        context["cohort"] = cohort
        return TemplateResponse(request, "cohorts/cohort_schedule_page.html", context)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")


class CourseCoach(Orderable):
    course = ParentalKey(
        CoursePage, on_delete=models.CASCADE, related_name="course_coaches"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"is_coach": True},
        verbose_name=_("coach"),
    )
    bio = models.CharField(_("short bio"), max_length=300, blank=True)

    panels = [FieldPanel("coach"), FieldPanel("bio")]

    class Meta(Orderable.Meta):
        verbose_name = _("coach")
        verbose_name_plural = _("coaches")


class CourseModulePage(LocaleFallbackMixin, Page):
    """A group of lessons; its lessons are its children, in tree order."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_module_page.html"

    def get_context(self, request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        from courses.selectors import course_for_page, course_overview

        context = super().get_context(request, *args, **kwargs)
        course = course_for_page(page=self)
        context["course"] = course
        context["overview"] = course_overview(course=course, user=request.user)
        return context

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")


class LessonPage(Page):
    """A lesson. Open to everyone when marked preview; else to the course's trainees.

    Access is checked before Wagtail serves the page (`wagtail_hooks.py`), so this
    model only declares content.
    """

    summary = models.TextField(_("summary"), blank=True)
    is_preview = models.BooleanField(
        _("free preview"),
        default=False,
        help_text=_("Anyone can read a preview lesson, without enrolling."),
    )
    duration_minutes = models.PositiveIntegerField(
        _("minutes to complete"), null=True, blank=True
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("is_preview"),
        FieldPanel("duration_minutes"),
    ]
    promote_panels = Page.promote_panels
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage", "courses.CourseModulePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    def get_context(self, request: HttpRequest, *args, **kwargs):  # type: ignore[no-untyped-def]
        from courses.selectors import lesson_reading

        context = super().get_context(request, *args, **kwargs)
        context["reading"] = lesson_reading(lesson=self, user=request.user)
        return context

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")


class LessonVideo(index.Indexed, models.Model):
    """An uploaded lesson video (Wagtail has no media library of its own)."""

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("video file"),
        upload_to="lesson-videos/",
        validators=[FileExtensionValidator(["mp4", "webm"])],
        help_text=_("MP4 or WebM."),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poster image"),
    )

    panels = [FieldPanel("title"), FieldPanel("file"), FieldPanel("poster")]
    search_fields = [index.SearchField("title")]

    class Meta:
        verbose_name = _("lesson video")
        verbose_name_plural = _("lesson videos")

    def __str__(self) -> str:
        return self.title


class LessonProgress(models.Model):
    """A trainee's progress through one lesson, in any language.

    Keyed by the pages' translation keys: new revisions, new lessons and the other
    language's copy all leave it alone.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    course_key = models.UUIDField(_("course"), db_index=True)
    lesson_key = models.UUIDField(_("lesson"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key"], name="courses_progress_once_per_lesson"
            )
        ]
        indexes = [models.Index(fields=["user", "course_key"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_key}"


class QuizAnswer(models.Model):
    """A trainee's latest answer to one quiz block (block ids survive translation)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_answers"
    )
    lesson_key = models.UUIDField(_("lesson"))
    block_id = models.CharField(_("question"), max_length=64)
    choices = models.JSONField(_("chosen answers"), default=list)
    is_correct = models.BooleanField(_("correct"), default=False)
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("quiz answer")
        verbose_name_plural = _("quiz answers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "block_id"], name="courses_quiz_answer_once"
            )
        ]
        indexes = [models.Index(fields=["user", "lesson_key"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.block_id}"


class ChecklistTicks(models.Model):
    """Which items of one checklist block a trainee has ticked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="checklist_ticks",
    )
    lesson_key = models.UUIDField(_("lesson"))
    block_id = models.CharField(_("checklist"), max_length=64)
    ticked = models.JSONField(_("ticked items"), default=list)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("checklist ticks")
        verbose_name_plural = _("checklist ticks")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "block_id"], name="courses_checklist_once"
            )
        ]
        indexes = [models.Index(fields=["user", "lesson_key"])]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.block_id}"
