"""The blocks a lesson body is written in.

Each block renders `blocks/<name>_block.html` and has an admin preview. Blocks that
hold a trainee's state (checklist ticks, quiz answers) get it from the lesson page
as `state` (see `courses.selectors.lesson_reading`); the blocks themselves never
query the database for it.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.finders import get_finders
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

PREVIEW_TEMPLATE = "blocks/block_preview.html"
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "hr"]


def video_url_is_embeddable(url: str) -> bool:
    """Whether a configured embed finder accepts the URL, decided without network.

    The oEmbed finder matches the URL against its providers' patterns (YouTube,
    Vimeo, ...); `WAGTAILEMBEDS_FINDERS` changes the list.
    """
    return any(finder.accept(url) for finder in get_finders())


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text whitelisted on save, whatever wrote it (admin, API, imports).

    Draftail already whitelists what editors type; this also covers HTML that
    reaches the block by other paths (e.g. `seed_demo`, scripts).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def clean(self, value: RichText) -> RichText:
        from wagtail.admin.rich_text.converters.editor_html import (
            EditorHTMLConverter,  # imports models; not at module import time
        )

        value = super().clean(value)
        converter = EditorHTMLConverter(features=self.features)
        return RichText(converter.to_database_format(value.source))


class ParagraphBlock(SafeRichTextBlock):
    class Meta:
        template = "blocks/paragraph_block.html"
        icon = "pilcrow"
        label = _("Text")
        description = _("Paragraphs with bold, italics, links and lists.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = (
            "<p>A KPI is a number someone <b>owns</b>, with a target and a review "
            "date.</p><ul><li>Three to five per role</li><li>Each has a data "
            "source</li></ul>"
        )


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Subsection"))],
        default="h2",
        label=_("level"),
    )

    class Meta:
        template = "blocks/heading_block.html"
        icon = "title"
        label = _("Heading")
        description = _("A section heading inside the lesson.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"text": "Decompose the annual target", "level": "h2"}


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        required=False,
        label=_("video address"),
        help_text=_("A YouTube, Vimeo or other embeddable video page."),
    )
    video = SnippetChooserBlock(
        "courses.LessonVideo",
        required=False,
        label=_("uploaded video"),
        help_text=_("Or choose a video file uploaded under Snippets › Lesson videos."),
    )
    poster = ImageChooserBlock(
        required=False,
        label=_("poster image"),
        help_text=_("Shown before an uploaded video plays."),
    )
    caption = blocks.CharBlock(required=False, max_length=300, label=_("caption"))

    def get_context(
        self, value: blocks.StructValue, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The provider's player HTML; a plain link when it cannot be fetched."""
        context = super().get_context(value, parent_context)
        context["embed_html"] = ""
        if value.get("url") and not value.get("video"):
            with contextlib.suppress(EmbedException):
                context["embed_html"] = embeds.get_embed(
                    value["url"], max_width=960
                ).html
        return context

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        url, video = value.get("url"), value.get("video")
        if bool(url) == bool(video):
            raise blocks.StructBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        _("Give either a video address or an uploaded video.")
                    )
                ]
            )
        if url and not video_url_is_embeddable(url):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _(
                            "This address cannot be embedded. Use a video page "
                            "from YouTube, Vimeo or another oEmbed provider, or "
                            "upload the file as a lesson video."
                        )
                    )
                }
            )
        return value

    class Meta:
        template = "blocks/video_block.html"
        icon = "media"
        label = _("Video")
        description = _("An embedded video, or an uploaded file with a poster.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "caption": "Weekly review walk-through (12 min)",
        }


class DocumentItemBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(
        required=False, max_length=300, label=_("description")
    )


class DownloadsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False, max_length=200, label=_("heading"), default=""
    )
    documents = blocks.ListBlock(DocumentItemBlock(), min_num=1, label=_("documents"))

    class Meta:
        template = "blocks/downloads_block.html"
        icon = "doc-full"
        label = _("Downloads")
        description = _("Templates, manuals and worksheets to download.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"heading": "Templates", "documents": []}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        required=False,
        max_length=300,
        label=_("alternative text"),
        help_text=_("What the image shows, for screen readers."),
    )
    caption = blocks.CharBlock(required=False, max_length=300, label=_("caption"))

    class Meta:
        template = "blocks/image_block.html"
        icon = "image"
        label = _("Image")
        description = _("An image with a caption.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {"caption": "A company → department → role KPI tree"}


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("tip", _("Tip")),
            ("warning", _("Warning")),
            ("pitfall", _("Common pitfall")),
        ],
        default="tip",
        label=_("kind"),
    )
    title = blocks.CharBlock(required=False, max_length=200, label=_("title"))
    body = SafeRichTextBlock(label=_("text"))

    class Meta:
        template = "blocks/callout_block.html"
        icon = "warning"
        label = _("Callout")
        description = _("A tip, a warning or a common pitfall, set apart.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "kind": "pitfall",
            "title": "Too many KPIs per role",
            "body": "<p>Ten KPIs means none of them matters. Keep three to five.</p>",
        }


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, label=_("title"))
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=300, label=_("item")), min_num=1, label=_("items")
    )

    class Meta:
        template = "blocks/checklist_block.html"
        icon = "tasks"
        label = _("Checklist")
        description = _("Items the trainee ticks off; their ticks are saved.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "title": "Before your first weekly review",
            "items": ["Every KPI has an owner", "Data is refreshed on Monday"],
        }


class QuizOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300, label=_("answer"))
    is_correct = blocks.BooleanBlock(required=False, label=_("correct"))
    explanation = blocks.CharBlock(
        required=False,
        max_length=500,
        label=_("explanation"),
        help_text=_("Shown after answering: why this answer is right or wrong."),
    )


class QuizBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=500, label=_("question"))
    kind = blocks.ChoiceBlock(
        choices=[
            ("single", _("Single choice")),
            ("multiple", _("Multiple choice")),
        ],
        default="single",
        label=_("kind"),
    )
    options = blocks.ListBlock(QuizOptionBlock(), min_num=2, label=_("answers"))
    explanation = SafeRichTextBlock(
        required=False,
        label=_("explanation"),
        help_text=_("Shown to everyone after they answer."),
    )

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        correct = [option for option in value["options"] if option["is_correct"]]
        if not correct:
            raise blocks.StructBlockValidationError(
                non_block_errors=[
                    ValidationError(_("Mark at least one answer as correct."))
                ]
            )
        if value["kind"] == "single" and len(correct) > 1:
            raise blocks.StructBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        _(
                            "A single-choice question has exactly one correct "
                            "answer; make it multiple choice or unmark one."
                        )
                    )
                ]
            )
        return value

    class Meta:
        template = "blocks/quiz_block.html"
        icon = "help"
        label = _("Quiz question")
        description = _("A single or multiple choice question with explanations.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "question": "How many core KPIs should one role own?",
            "kind": "single",
            "options": [
                {"text": "One", "is_correct": False, "explanation": "Too narrow."},
                {"text": "Three to five", "is_correct": True, "explanation": ""},
                {"text": "As many as possible", "is_correct": False},
            ],
        }


WORKBOOK_STEPS = [
    ("tree", _("Build the metric tree")),
    ("role_kpis", _("Choose role KPIs")),
    ("targets", _("Set and decompose targets")),
    ("data", _("Import your data")),
    ("dashboard", _("Read the dashboard")),
    ("review", _("Run the weekly review")),
]


class WorkbookExerciseBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, label=_("title"))
    instructions = SafeRichTextBlock(label=_("instructions"))
    step = blocks.ChoiceBlock(
        choices=WORKBOOK_STEPS, default="tree", label=_("workbook step")
    )

    def get_context(
        self, value: blocks.StructValue, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        context = super().get_context(value, parent_context)
        context["workbook_url"] = workbook_step_url(value["step"])
        context["step_label"] = dict(WORKBOOK_STEPS).get(value["step"], "")
        return context

    class Meta:
        template = "blocks/workbook_exercise_block.html"
        icon = "table"
        label = _("Workbook exercise")
        description = _("Sends the trainee to a step of their own KPI workbook.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "title": "Add your team's three role KPIs",
            "instructions": "<p>Pick three KPIs for your own role and name owners.</p>",
            "step": "role_kpis",
        }


def workbook_step_url(step: str) -> str | None:
    """The trainee's own workbook, opened at the step's tab (workbook.views.workbook_step).

    Resolved by URL name so courses/ does not import workbook/ (dependencies point
    the other way).
    """
    try:
        return reverse("workbook:step", args=[step])
    except NoReverseMatch:
        return None


class AssignmentLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, label=_("title"))
    instructions = SafeRichTextBlock(required=False, label=_("instructions"))
    link = blocks.CharBlock(
        max_length=500,
        label=_("link"),
        help_text=_("Address of the assignment, e.g. /cohorts/…/assignments/…"),
    )
    due_hint = blocks.CharBlock(
        required=False, max_length=200, label=_("when it is due")
    )

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        link = value["link"].strip()
        if not (link.startswith("/") or link.startswith(("https://", "http://"))):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "link": ValidationError(
                        _("Use an address on this site (/…) or a full https:// one.")
                    )
                }
            )
        return value

    class Meta:
        template = "blocks/assignment_link_block.html"
        icon = "link"
        label = _("Assignment link")
        description = _("Points to the homework a coach will review.")
        preview_template = PREVIEW_TEMPLATE
        preview_value = {
            "title": "Homework: your department KPI sheet",
            "link": "/",
            "due_hint": "Before session 2",
        }


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    heading = HeadingBlock()
    video = VideoBlock()
    downloads = DownloadsBlock()
    image = ImageBlock()
    callout = CalloutBlock()
    checklist = ChecklistBlock()
    quiz = QuizBlock()
    workbook_exercise = WorkbookExerciseBlock()
    assignment_link = AssignmentLinkBlock()
