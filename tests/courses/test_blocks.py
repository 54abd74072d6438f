from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.embeds.exceptions import EmbedNotFoundException

from courses.blocks import (
    AssignmentLinkBlock,
    LessonBodyBlock,
    QuizBlock,
    VideoBlock,
    video_url_is_embeddable,
)


@pytest.fixture(autouse=True)
def _english() -> None:
    with translation.override("en"):
        yield


def quiz_value(kind: str, correct: set[int]) -> dict:
    return {
        "question": "Q?",
        "kind": kind,
        "options": [
            {"text": f"A{i}", "is_correct": i in correct, "explanation": ""}
            for i in range(3)
        ],
        "explanation": "",
    }


@pytest.mark.parametrize(
    ("kind", "correct", "message"),
    [
        ("single", set(), "Mark at least one answer as correct."),
        ("multiple", set(), "Mark at least one answer as correct."),
        ("single", {0, 1}, "exactly one correct answer"),
    ],
)
def test_quiz_without_a_proper_correct_answer_is_refused(
    kind: str, correct: set[int], message: str
) -> None:
    block = QuizBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(quiz_value(kind, correct)))
    assert message in str(error.value.non_block_errors.as_data()[0].messages)


@pytest.mark.parametrize(
    ("kind", "correct"), [("single", {1}), ("multiple", {0, 2}), ("multiple", {1})]
)
def test_quiz_with_correct_answers_is_accepted(kind: str, correct: set[int]) -> None:
    block = QuizBlock()
    assert block.clean(block.to_python(quiz_value(kind, correct)))["kind"] == kind


@pytest.mark.parametrize(
    ("url", "embeddable"),
    [
        ("https://www.youtube.com/watch?v=5MgBikgcWnY", True),
        ("https://vimeo.com/76979871", True),
        ("https://example.com/videos/kpi.mp4", False),
        ("https://pan.baidu.com/s/1abc", False),
    ],
)
def test_embeddable_is_decided_by_the_finders_without_network(
    url: str, embeddable: bool
) -> None:
    with mock.patch("requests.get", side_effect=AssertionError("no network")):
        assert video_url_is_embeddable(url) is embeddable


def test_video_url_that_is_not_embeddable_is_refused_with_a_message() -> None:
    block = VideoBlock()
    value = block.to_python({"url": "https://example.com/videos/kpi.mp4"})
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert "cannot be embedded" in str(error.value.block_errors["url"].messages)


def test_video_needs_exactly_one_source() -> None:
    block = VideoBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"url": "", "caption": "x"}))


def test_video_renders_a_link_when_the_provider_cannot_be_reached() -> None:
    block = VideoBlock()
    value = block.to_python({"url": "https://www.youtube.com/watch?v=5MgBikgcWnY"})
    with mock.patch(
        "courses.blocks.embeds.get_embed", side_effect=EmbedNotFoundException
    ):
        html = block.render(value)
    assert 'href="https://www.youtube.com/watch?v=5MgBikgcWnY"' in html


def test_assignment_link_must_be_an_address() -> None:
    block = AssignmentLinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "Homework", "link": "javascript:x"}))
    ok = block.clean(block.to_python({"title": "Homework", "link": "/cohorts/"}))
    assert ok["link"] == "/cohorts/"


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(LessonBodyBlock.base_blocks))
def test_every_block_has_an_admin_preview(name: str) -> None:
    block = LessonBodyBlock.base_blocks[name]
    assert block.is_previewable
    assert str(block.meta.description)
    value = block.get_preview_value()
    with mock.patch(
        "courses.blocks.embeds.get_embed", side_effect=EmbedNotFoundException
    ):
        html = block.render(block.normalize(value))
    assert html.strip()
    assert block.get_preview_template(value) == "blocks/block_preview.html"


@pytest.mark.parametrize("name", ["paragraph", "callout"])
def test_rich_text_is_whitelisted_when_saved(name: str) -> None:
    block = LessonBodyBlock.base_blocks[name]
    dirty = (
        '<p onclick="x()">ok <a href="javascript:alert(1)">l</a></p><script>1</script>'
    )
    raw = dirty if name == "paragraph" else {"kind": "tip", "title": "", "body": dirty}
    html = block.render(block.clean(block.to_python(raw)))
    assert "ok" in html
    assert "<script>" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
