"""Reads for course pages: catalogue, outlines, progress, lesson access.

Every function loads what a page needs in a fixed number of queries, whatever the
size of the course, and returns plain dataclasses for the templates.

Translations: each Locale has its own tree. Lists are built from the page's own
locale and filled in from the default locale (zh-hans) where a page has not been
translated yet, in the default tree's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from courses.models import (
    ChecklistTicks,
    CourseFormat,
    CourseIndexPage,
    CourseLevel,
    CourseModulePage,
    CoursePage,
    CourseTopic,
    LessonPage,
    LessonProgress,
    QuizAnswer,
    TeachingLanguage,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from wagtail.blocks import StreamValue

    from accounts.models import User

    AnyUser = User | AnonymousUser

P = TypeVar("P", bound=Page)

ACTIVE_ENROLMENT = (
    "active"  # cohorts.EnrolmentStatus.ACTIVE; no import (see module doc)
)


# --- translations --------------------------------------------------------------


def _original(page: P) -> P | None:
    """The default-locale translation of `page`, or None when `page` is it."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return None
    return page.get_translation_or_none(default)


def _merge(original: list[P], localized: list[P]) -> list[P]:
    """Localized pages in the original tree's order; untranslated ones fall back."""
    by_key = {page.translation_key: page for page in localized}
    merged = [by_key.pop(page.translation_key, page) for page in original]
    return merged + [page for page in localized if page.translation_key in by_key]


# --- cohorts (through the reverse relation only) -------------------------------


def course_cohorts(*, course: CoursePage, user: AnyUser) -> QuerySet[Any]:
    """Cohorts of this course in any language that `user` may see."""
    cohort_model = CoursePage.cohorts.rel.related_model  # type: ignore[attr-defined]
    return cohort_model.objects.visible_to(user).filter(
        course__translation_key=course.translation_key
    )


def user_can_read_course_lessons(*, user: AnyUser, course: CoursePage) -> bool:
    """Staff, the course's coaches, and trainees with an active seat in a cohort.

    The one place that knows how enrolment is stored (cohorts.Enrolment, status
    "active"), reached through `CoursePage.cohorts`.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if not hasattr(CoursePage, "cohorts"):
        return False
    cohort_model = CoursePage.cohorts.rel.related_model  # type: ignore[attr-defined]
    return bool(
        cohort_model.objects.filter(course__translation_key=course.translation_key)
        .filter(
            Q(enrolments__user=user, enrolments__status=ACTIVE_ENROLMENT)
            | Q(coaches=user)
        )
        .exists()
    )


def user_can_read_lesson(
    *, user: AnyUser, lesson: LessonPage, course: CoursePage
) -> bool:
    return lesson.is_preview or user_can_read_course_lessons(user=user, course=course)


# --- catalogue -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilterChoice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    name: str
    label: str
    choices: list[FilterChoice]


@dataclass(frozen=True, slots=True)
class Catalogue:
    courses: list[CoursePage]
    filters: list[CatalogueFilter]
    query: str
    is_filtered: bool


FILTERS: dict[str, tuple[str, Any]] = {
    "format": ("format", CourseFormat),
    "level": ("level", CourseLevel),
    "language": ("teaching_language", TeachingLanguage),
    "topic": ("topic", CourseTopic),
}


def _filtered_courses(
    index: CourseIndexPage, selected: Mapping[str, str], query: str
) -> list[CoursePage]:
    courses = (
        CoursePage.objects.live()
        .public()
        .descendant_of(index)
        .prefetch_related("course_coaches__coach")
    )
    if fmt := selected.get("format"):
        courses = courses.filter(**{CoursePage.FORMAT_FIELDS[CourseFormat(fmt)]: True})
    for name in ("level", "language", "topic"):
        if value := selected.get(name):
            courses = courses.filter(**{FILTERS[name][0]: value})
    courses = courses.order_by("path")
    if query:
        # Wagtail's database backend does not segment Chinese words ("周复盘" inside
        # a sentence is no token), so a substring match complements its search.
        matched = {page.pk for page in courses.search(query, operator="or")}
        matched.update(
            courses.filter(
                Q(title__icontains=query)
                | Q(summary__icontains=query)
                | Q(outcomes__icontains=query)
                | Q(audience__icontains=query)
            ).values_list("pk", flat=True)
        )
        return [page for page in courses if page.pk in matched]
    return list(courses)


def catalogue(*, index: CourseIndexPage, params: Mapping[str, str]) -> Catalogue:
    """Courses under the catalogue, filtered by format, level, language and topic.

    Unknown filter values are ignored rather than answering an error: the filters
    are links people share.
    """
    selected: dict[str, str] = {}
    for name, (_field, choices) in FILTERS.items():
        value = params.get(name, "")
        if value in choices.values:
            selected[name] = value
    query = params.get("q", "").strip()[:100]
    courses = _filtered_courses(index, selected, query)
    if (original := _original(index)) is not None:
        courses = _merge(_filtered_courses(original, selected, query), courses)
    labels = {
        "format": _("Format"),
        "level": _("Level"),
        "language": _("Language"),
        "topic": _("Topic"),
    }
    filters = [
        CatalogueFilter(
            name=name,
            label=labels[name],
            choices=[
                FilterChoice(value, str(label), selected.get(name) == value)
                for value, label in choices.choices
            ],
        )
        for name, (_field, choices) in FILTERS.items()
    ]
    return Catalogue(
        courses=courses,
        filters=filters,
        query=query,
        is_filtered=bool(selected or query),
    )


def catalogue_page() -> CourseIndexPage | None:
    """The catalogue in the active language, else in the default one."""
    index = CourseIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    return index or CourseIndexPage.objects.live().order_by("path").first()


# --- course outline and progress -------------------------------------------------


def course_for_page(*, page: Page) -> CoursePage:
    return CoursePage.objects.ancestor_of(page).get()


@dataclass(slots=True)
class LessonEntry:
    page: LessonPage
    number: int
    is_open: bool
    is_started: bool = False
    is_done: bool = False


@dataclass(slots=True)
class OutlineSection:
    module: CourseModulePage | None
    lessons: list[LessonEntry] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(entry.is_done for entry in self.lessons)


@dataclass(slots=True)
class CourseOutline:
    course: CoursePage
    sections: list[OutlineSection]
    lessons: list[LessonEntry]
    can_read_all: bool
    is_tracked: bool  # the user is signed in, so progress is kept

    @property
    def done_count(self) -> int:
        return sum(entry.is_done for entry in self.lessons)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def next_lesson(self) -> LessonEntry | None:
        """The first lesson not done that the user can open."""
        return next((e for e in self.lessons if not e.is_done and e.is_open), None)

    @property
    def in_progress(self) -> list[LessonEntry]:
        """Lessons opened but not finished."""
        return [e for e in self.lessons if e.is_started and not e.is_done]

    @property
    def is_complete(self) -> bool:
        return bool(self.total) and self.done_count == self.total


def _course_tree(
    course: CoursePage,
) -> tuple[list[CourseModulePage], list[LessonPage]]:
    modules = list(
        CourseModulePage.objects.live().descendant_of(course).order_by("path")
    )
    lessons = list(
        LessonPage.objects.live().descendant_of(course).defer("body").order_by("path")
    )
    return modules, lessons


def _module_key_by_lesson(
    course: CoursePage, modules: Iterable[CourseModulePage], lessons: Iterable[Page]
) -> dict[Any, Any]:
    module_by_path = {module.path: module.translation_key for module in modules}
    prefix = len(course.path) + CoursePage.steplen
    return {
        lesson.translation_key: module_by_path.get(lesson.path[:prefix])
        for lesson in lessons
    }


def course_outline(*, course: CoursePage, user: AnyUser) -> CourseOutline:
    """Modules and lessons of a course in order, with the user's progress. ~6 queries."""
    modules, lessons = _course_tree(course)
    module_of = _module_key_by_lesson(course, modules, lessons)
    original = _original(course)
    if original is not None:
        o_modules, o_lessons = _course_tree(original)
        module_of = {
            **_module_key_by_lesson(original, o_modules, o_lessons),
            **module_of,
        }
        modules = _merge(o_modules, modules)
        lessons = _merge(o_lessons, lessons)
    can_read_all = user_can_read_course_lessons(user=user, course=course)
    progress: dict[Any, LessonProgress] = {}
    if user.is_authenticated:
        progress = {
            row.lesson_key: row
            for row in LessonProgress.objects.filter(
                user=user, course_key=course.translation_key
            )
        }
    module_by_key = {module.translation_key: module for module in modules}
    sections: list[OutlineSection] = []
    entries: list[LessonEntry] = []
    for number, lesson in enumerate(lessons, start=1):
        row = progress.get(lesson.translation_key)
        entry = LessonEntry(
            page=lesson,
            number=number,
            is_open=can_read_all or lesson.is_preview,
            is_started=row is not None,
            is_done=row is not None and row.completed_at is not None,
        )
        entries.append(entry)
        module = module_by_key.get(module_of.get(lesson.translation_key))
        if not sections or sections[-1].module != module:
            sections.append(OutlineSection(module=module))
        sections[-1].lessons.append(entry)
    return CourseOutline(
        course=course,
        sections=sections,
        lessons=entries,
        can_read_all=can_read_all,
        is_tracked=user.is_authenticated,
    )


@dataclass(frozen=True, slots=True)
class CourseOverview:
    outline: CourseOutline
    upcoming_cohorts: list[Any]
    coaches: list[Any]


def course_overview(*, course: CoursePage, user: AnyUser) -> CourseOverview:
    upcoming: list[Any] = []
    if hasattr(CoursePage, "cohorts"):
        upcoming = list(
            course_cohorts(course=course, user=user)
            .upcoming()
            .select_related("course")[:6]
        )
    coaches = list(course.course_coaches.select_related("coach"))
    return CourseOverview(
        outline=course_outline(course=course, user=user),
        upcoming_cohorts=upcoming,
        coaches=coaches,
    )


# --- reading a lesson --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BodyPart:
    """One block of the lesson body and the trainee's state for it."""

    block: Any  # StreamValue.StreamChild
    state: Any = None


@dataclass(frozen=True, slots=True)
class LessonReading:
    lesson: LessonPage
    outline: CourseOutline
    entry: LessonEntry | None
    previous: LessonEntry | None
    next: LessonEntry | None
    parts: list[BodyPart]
    quiz_count: int
    quizzes_answered: int


def block_states(
    *, user: AnyUser, lesson: LessonPage
) -> tuple[dict[str, QuizAnswer], dict[str, list[int]]]:
    if not user.is_authenticated:
        return {}, {}
    answers = {
        answer.block_id: answer
        for answer in QuizAnswer.objects.filter(
            user=user, lesson_key=lesson.translation_key
        )
    }
    ticks = {
        row.block_id: row.ticked
        for row in ChecklistTicks.objects.filter(
            user=user, lesson_key=lesson.translation_key
        )
    }
    return answers, ticks


def body_parts(
    body: StreamValue, answers: Mapping[str, QuizAnswer], ticks: Mapping[str, list[int]]
) -> list[BodyPart]:
    parts = []
    for child in body:
        state: Any = None
        if child.block_type == "quiz":
            state = answers.get(child.id)
        elif child.block_type == "checklist":
            state = ticks.get(child.id, [])
        parts.append(BodyPart(block=child, state=state))
    return parts


def lesson_reading(*, lesson: LessonPage, user: AnyUser) -> LessonReading:
    """Everything the lesson page shows, in a constant number of queries."""
    course = course_for_page(page=lesson)
    outline = course_outline(course=course, user=user)
    keys = [entry.page.translation_key for entry in outline.lessons]
    position = (
        keys.index(lesson.translation_key) if lesson.translation_key in keys else None
    )
    entry = previous = following = None
    if position is not None:
        entry = outline.lessons[position]
        previous = outline.lessons[position - 1] if position > 0 else None
        following = outline.lessons[position + 1] if position + 1 < len(keys) else None
    answers, ticks = block_states(user=user, lesson=lesson)
    quiz_ids = [child.id for child in lesson.body if child.block_type == "quiz"]
    return LessonReading(
        lesson=lesson,
        outline=outline,
        entry=entry,
        previous=previous,
        next=following,
        parts=body_parts(lesson.body, answers, ticks),
        quiz_count=len(quiz_ids),
        quizzes_answered=sum(block_id in answers for block_id in quiz_ids),
    )


# --- trainee home --------------------------------------------------------------------


def courses_in_progress(*, user: AnyUser, limit: int = 4) -> list[CourseOutline]:
    """Courses the user has opened a lesson of, most recent first, unfinished first."""
    if not user.is_authenticated:
        return []
    keys: list[Any] = []
    for key in (
        LessonProgress.objects.filter(user=user)
        .order_by("-started_at")
        .values_list("course_key", flat=True)
    ):
        if key not in keys:
            keys.append(key)
    if not keys:
        return []
    active = Locale.get_active()
    pages: dict[Any, CoursePage] = {}
    for page in CoursePage.objects.live().filter(translation_key__in=keys[:limit]):
        if page.translation_key not in pages or page.locale_id == active.pk:
            pages[page.translation_key] = page
    outlines = [
        course_outline(course=pages[key], user=user)
        for key in keys[:limit]
        if key in pages
    ]
    return sorted(outlines, key=lambda outline: outline.is_complete)
