"""An editor writes a lesson with every block type in Wagtail's admin and publishes it."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from wagtail.users.models import UserProfile

from accounts.demo import seed_people
from courses import demo
from courses.blocks import LessonBodyBlock
from courses.models import CoursePage, LessonPage
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def course(transactional_db: None) -> CoursePage:
    seed_people()
    demo.seed(stdout=StringIO())
    editor = UserFactory(
        email="editor@lodestar.demo",
        is_staff=True,
        is_superuser=True,
        preferred_language="en",
    )
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    return CoursePage.objects.get(
        slug="kpi-management", locale__language_code="zh-hans"
    )


def field(page: Page, name: str) -> Locator:
    return page.locator(f"[name='{name}']")


def rich_text(page: Page, name: str, text: str) -> None:
    """Type into the Draftail editor that writes the hidden input `name`."""
    editor = field(page, name).locator("xpath=..").locator("[contenteditable=true]")
    editor.click()
    page.keyboard.type(text)


def add_block(page: Page, label: str) -> None:
    page.get_by_role("button", name="Insert a block").last.click()
    page.locator(".w-combobox__option", has_text=re.compile(f"^{label}")).first.click()


def add_list_item(page: Page, count_name: str) -> None:
    container = field(page, count_name).locator("xpath=..")
    container.locator("button[title='Add']").last.click()


def choose(page: Page, button: str, item: str, input_name: str = "") -> None:
    """Pick `item` in a Wagtail chooser; with `input_name`, retry until the hidden
    input holds the choice (a click can land before the modal's script is ready)."""
    for _attempt in range(3):
        page.get_by_role("button", name=button).last.click()
        modal = page.locator(".modal-content:visible")
        expect(modal).to_be_visible()
        modal.get_by_text(item, exact=True).first.click()
        expect(page.locator(".modal-content:visible")).to_have_count(0)
        if not input_name or field(page, input_name).input_value():
            return
    raise AssertionError(f"the chooser did not set {input_name}")


def publish(page: Page) -> None:
    page.locator(
        "footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']"
    ).first.click()
    page.get_by_role("button", name="Publish").click()


def test_editor_creates_and_publishes_a_lesson_with_every_block(
    course: CoursePage, live_server, page: Page, screenshot_dir: Path
) -> None:
    page.goto(live_server.url + "/cms/login/")
    page.fill("input[name=username]", "editor@lodestar.demo")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/cms/")
    page.goto(live_server.url + f"/cms/pages/add/courses/lessonpage/{course.pk}/")

    page.get_by_placeholder("Page title*").fill("KPI review drill")
    field(page, "summary").fill("Practise one weekly review end to end.")

    add_block(page, "Text")
    rich_text(page, "body-0-value", "A review walks metric, cause and action.")
    add_block(page, "Heading")
    field(page, "body-1-value-text").fill("Before the meeting")
    add_block(page, "Video")
    field(page, "body-2-value-url").fill("https://vimeo.com/76979871")
    add_block(page, "Downloads")
    field(page, "body-3-value-heading").fill("Templates")
    choose(
        page,
        "Choose a document",
        "周复盘模板 · Weekly review template",
    )
    add_block(page, "Image")
    choose(
        page, "Choose an image", "KPI 树 · KPI tree", input_name="body-4-value-image"
    )
    field(page, "body-4-value-caption").fill("The KPI tree")
    add_block(page, "Callout")
    field(page, "body-5-value-kind").select_option("pitfall")
    field(page, "body-5-value-title").fill("KPIs only to punish")
    rich_text(page, "body-5-value-body", "People hide problems.")
    add_block(page, "Checklist")
    field(page, "body-6-value-title").fill("Prepare")
    field(page, "body-6-value-items-0-value").fill("Refresh the data")
    add_list_item(page, "body-6-value-items-count")
    field(page, "body-6-value-items-1-value").fill("Invite the owners")
    add_block(page, "Quiz question")
    field(page, "body-7-value-question").fill("What comes after the cause?")
    field(page, "body-7-value-options-0-value-text").fill("A penalty")
    add_list_item(page, "body-7-value-options-count")
    field(page, "body-7-value-options-1-value-text").fill("An action with an owner")
    add_block(page, "Workbook exercise")
    field(page, "body-8-value-title").fill("Log this week's review")
    rich_text(page, "body-8-value-instructions", "Use your own data.")
    field(page, "body-8-value-step").select_option("review")
    add_block(page, "Assignment link")
    field(page, "body-9-value-title").fill("Submit your review")
    field(page, "body-9-value-link").fill("/cohorts/")

    # No correct answer yet: publishing is refused with a message.
    publish(page)
    expect(page.get_by_text("Mark at least one answer as correct.")).to_be_visible()
    assert not LessonPage.objects.filter(title="KPI review drill", live=True).exists()
    page.screenshot(
        path=screenshot_dir / "courses-admin-quiz-refused-laptop.png", full_page=True
    )

    field(page, "body-7-value-options-1-value-is_correct").check()
    publish(page)
    errors = page.locator(".error-message, .help-critical")
    published = page.get_by_text(re.compile("KPI review drill.*published"))
    expect(published.or_(errors.first)).to_be_visible()
    assert published.is_visible(), errors.all_inner_texts()

    lesson = LessonPage.objects.get(title="KPI review drill")
    assert lesson.live
    assert [child.block_type for child in lesson.body] == list(
        LessonBodyBlock.base_blocks
    )

    page.goto(live_server.url + lesson.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("KPI review drill")
    for text in (
        "Before the meeting",
        "周复盘模板",
        "The KPI tree",
        "KPIs only to punish",
        "Invite the owners",
        "An action with an owner",
        "Log this week's review",
        "Submit your review",
    ):
        expect(page.locator(".lesson-body")).to_contain_text(text)
    page.screenshot(
        path=screenshot_dir / "courses-admin-lesson-published-laptop.png",
        full_page=True,
    )
