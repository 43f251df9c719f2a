"""The annotate screen from the keyboard, and the desk's smaller promises: the label bar with colours and
keys, a refused save that keeps the editor's choices, a clear word on an oversize note, a question before
a half-written note is lost, and orphans placed without the create panel in the way."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Annotation
from tests.browser.helpers import SELECT_PASSAGE, leave_and_refuse
from tests.factories import TagFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACTIVE_IS_ARTICLE = "() => document.activeElement === document.getElementById('annotate-article')"


@pytest.fixture
def vocabulary():
    claim = TagFactory(slug="claim", name="claim", colour="#ffb74d")
    framing = TagFactory(slug="framing", name="framing", colour="#90caf9")
    TagFactory(slug="framing-wolf-warrior", name="wolf-warrior diplomacy", parent=framing, colour="#64b5f6")
    return claim


def _tab_to_article(page, presses: int = 80) -> int:
    """Tab from the top of the page until the article has the focus; how many presses it took."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for count in range(1, presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_IS_ARTICLE):
            return count
    raise AssertionError(f"the article text never got the focus in {presses} Tab presses")


def test_a_passage_is_annotated_with_the_keyboard_only(annotate_page, editor, article, vocabulary):
    page = annotate_page(editor, article)
    _tab_to_article(page)
    keys = page.keyboard
    keys.press("ArrowDown")  # the end of the title
    keys.press("ArrowDown")  # the end of the second paragraph
    keys.press("ArrowUp")  # its start
    for _ in range(3):
        keys.press("Shift+Control+ArrowRight")  # word by word, over the family emoji
    for _ in range(3):
        keys.press("Shift+ArrowRight")  # " on", a character at a time
    passage = "The council 👩‍👩‍👧 voted on"
    assert page.evaluate("() => window.getSelection().toString()") == passage

    keys.press("Enter")
    panel = page.locator("#annotate-panel")
    panel.wait_for()
    assert passage in panel.locator(".panel-excerpt").inner_text()
    # The keys are on the chips, "1" the first of the vocabulary.
    assert panel.locator(".quick-tag kbd").all_inner_texts() == ["1", "2", "3"]
    keys.press("1")
    keys.press("3")
    assert panel.locator(".quick-tag[aria-pressed=true]").count() == 2
    keys.press("Enter")  # saves
    page.locator("#annotate-messages li.success", has_text="Annotation saved").wait_for()
    assert page.evaluate(ACTIVE_IS_ARTICLE)  # the focus is back where it was

    saved = Annotation.objects.get(author=editor)
    start = article.text.index(passage)
    assert (saved.start, saved.end, saved.exact) == (start, start + len(passage), passage)
    assert article.text[saved.start : saved.end] == passage  # code points, not UTF-16 units
    assert sorted(saved.tags.values_list("slug", flat=True)) == ["claim", "framing-wolf-warrior"]

    # j goes to a highlight, Enter opens it, Escape closes it and gives the focus back to the text.
    keys.press("Home")
    keys.press("Control+Home")
    keys.press("j")
    keys.press("Enter")
    page.locator("#annotate-popover").wait_for()
    assert page.evaluate("() => document.getElementById('annotate-popover').contains(document.activeElement)")
    keys.press("Escape")
    page.locator("#annotate-popover").wait_for(state="detached")
    assert page.evaluate(ACTIVE_IS_ARTICLE)
    assert page.script_errors == []


def test_escape_cancels_and_gives_the_focus_back(annotate_page, editor, article, vocabulary):
    page = annotate_page(editor, article)
    _tab_to_article(page)
    page.keyboard.press("Shift+End")
    page.keyboard.press("a")
    page.locator("#annotate-panel").wait_for()
    page.keyboard.press("2")
    page.keyboard.press("Escape")
    page.locator("#annotate-panel").wait_for(state="detached")
    assert page.evaluate(ACTIVE_IS_ARTICLE)
    assert not Annotation.objects.filter(author=editor).exists()


def test_the_label_bar_shows_every_tag_with_its_colour_and_key(annotate_page, editor, article, vocabulary):
    page = annotate_page(editor, article)
    chips = page.evaluate(
        """() => [...document.querySelectorAll('#annotate-labels .label-chip')].map((chip) => [
              chip.dataset.slug, (chip.querySelector('kbd') || {}).textContent || null,
              chip.style.getPropertyValue('--tag').trim()])"""
    )
    # The spam tag the ingestion made is listed too, in the spam colour and with no key.
    assert [(slug, key) for slug, key, _ in chips] == [
        ("claim", "1"),
        ("framing", "2"),
        ("framing-wolf-warrior", "3"),
        ("injected-spam", None),
    ]
    assert chips[3][2] == "#c62828"
    groups = page.locator("#annotate-labels .label-group")
    assert groups.count() == 3  # grouped under their parents
    assert groups.nth(1).locator(".label-chip").count() == 2
    assert len({colour for _, _, colour in chips}) == 4
    # The highlight of a tagged passage is drawn in the colour its label shows.
    passage = "voted on Tuesday"
    start = article.text.index(passage)
    services.annotation_create(
        article=article, author=editor, start=start, end=start + len(passage), tags=["framing"]
    )
    page.reload()
    page.wait_for_selector("#annotate-root[data-ready=true]")
    shadow = page.evaluate(
        "() => document.querySelector('#annotate-article .seg.hl-annotation').style.boxShadow"
    )
    framing = page.evaluate(
        "() => document.querySelector('#annotate-labels [data-slug=framing]').style.getPropertyValue('--tag')"
    )
    red, green, blue = (int(framing.strip()[i : i + 2], 16) for i in (1, 3, 5))
    assert f"rgb({red}, {green}, {blue})" in shadow
    # Choosing a label with a passage selected opens the panel with it applied.
    page.evaluate(SELECT_PASSAGE, "the plan")
    page.locator("#annotate-panel").wait_for()
    page.keyboard.press("Escape")
    page.evaluate(SELECT_PASSAGE, "the plan")
    page.locator("#annotate-panel").wait_for()
    page.locator("#annotate-labels [data-slug=claim]").click()
    assert page.locator("#annotate-panel .quick-tag[data-slug=claim]").get_attribute("aria-pressed") == "true"


def test_a_refused_save_keeps_tags_status_and_note(annotate_page, editor, article, vocabulary):
    passage = "부두 wall"
    start = article.text.index(passage)
    annotation = services.annotation_create(
        article=article, author=editor, start=start, end=start + len(passage), note="first"
    )
    page = annotate_page(editor, article)
    services.annotation_update(
        annotation=annotation, expected_version=1, user=editor, note="changed elsewhere"
    )
    page.locator(f'#annotate-sidebar [data-annotation-id="{annotation.pk}"] .edit-button').click()
    panel = page.locator("#annotate-panel")
    panel.locator(".quick-tag[data-slug=framing]").click()
    panel.locator(".status-select").select_option("published")
    panel.locator(".note-input").fill("mine")
    panel.locator(".save-button").click()
    refusal = panel.locator(".panel-error")
    refusal.get_by_text("now version 2").wait_for()
    assert panel.locator(".note-input").input_value() == "mine"
    assert panel.locator(".status-select").input_value() == "published"
    assert panel.locator(".quick-tag[aria-pressed=true]").evaluate_all(
        "(els) => els.map((el) => el.dataset.slug)"
    ) == ["framing"]
    assert "changed elsewhere" in refusal.inner_text()
    annotation.refresh_from_db()
    assert (annotation.note, annotation.status) == ("changed elsewhere", "draft")
    # Saving again applies them, knowingly, over version 2.
    panel.locator(".save-button").click()
    page.locator("#annotate-messages li.success", has_text="version 3").wait_for()
    annotation.refresh_from_db()
    assert (annotation.note, annotation.status, annotation.version) == ("mine", "published", 3)
    assert list(annotation.tags.values_list("slug", flat=True)) == ["framing"]


def test_an_oversize_note_gets_a_clear_error(annotate_page, editor, article, vocabulary, settings):
    # A lower limit than the default (the ingestion limit, 20 MB): a textarea of tens of megabytes keeps
    # Chromium's main thread busy for longer than the test waits, and the message is the same.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    page = annotate_page(editor, article)
    page.evaluate(SELECT_PASSAGE, "the plan")
    panel = page.locator("#annotate-panel")
    panel.wait_for()
    page.evaluate(
        "(size) => { document.querySelector('#annotate-panel .note-input').value = 'x'.repeat(size); }",
        limit + 1024 * 1024,
    )
    panel.locator(".save-button").click()
    error = panel.locator(".panel-error")
    error.get_by_text(f"at most {limit / 1048576:.1f} MB").wait_for()
    assert "Shorten the note" in error.inner_text() and "400" not in error.inner_text()
    assert not Annotation.objects.filter(author=editor).exists()


def test_a_half_written_note_is_not_lost_without_a_question(annotate_page, editor, article, vocabulary):
    page = annotate_page(editor, article)
    page.evaluate(SELECT_PASSAGE, "the plan")
    panel = page.locator("#annotate-panel")
    panel.locator(".note-input").click()
    page.keyboard.type("half a thought")
    asked = leave_and_refuse(page, lambda: page.locator(".breadcrumbs a").first.click())
    assert asked == ["beforeunload"]
    assert panel.locator(".note-input").input_value() == "half a thought"


def test_placing_an_orphan_opens_no_create_panel(annotate_page, editor, article, vocabulary):
    passage = "네 to the plan"
    start = article.text.index(passage)
    orphan = services.annotation_create(
        article=article, author=editor, start=start, end=start + len(passage), note="lost"
    )
    Annotation.objects.filter(pk=orphan.pk).update(anchor="orphaned", start=None, end=None)
    page = annotate_page(editor, article)
    # Place first, then select: the selection places it, with no panel in between.
    page.locator(f'#annotate-sidebar [data-annotation-id="{orphan.pk}"] .place-button').click()
    page.locator(".orphan-hint", has_text=f"annotation {orphan.pk}").wait_for()
    page.evaluate(SELECT_PASSAGE, "voted on Tuesday")
    page.locator("#annotate-messages li.success", has_text=f"Annotation {orphan.pk} placed").wait_for()
    assert page.locator("#annotate-panel").count() == 0
    orphan.refresh_from_db()
    assert orphan.exact == "voted on Tuesday"


def test_a_drag_from_a_role_label_to_past_the_column_still_annotates(
    annotate_page, editor, article, vocabulary
):
    page = annotate_page(editor, article)
    paragraph = page.locator(".para").nth(1)
    label, words = paragraph.locator(".role-label"), paragraph.locator(".para-text")
    start, end = label.bounding_box(), words.bounding_box()
    page.mouse.move(start["x"] + 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    # Released past the right edge of the text column, level with the paragraph's last line.
    page.mouse.move(end["x"] + end["width"] + 60, end["y"] + end["height"] - 6, steps=8)
    page.mouse.up()
    panel = page.locator("#annotate-panel")
    panel.wait_for()
    excerpt = panel.locator(".panel-excerpt").inner_text()
    assert excerpt.startswith("The council") and "wall" in excerpt, excerpt
