"""The annotate screen in a real browser: selecting, tagging, reviewing, concurrent edits and inert notes.

Run with `pytest tests/browser`; they need /usr/bin/chromium and the playwright package.
"""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Annotation, Claim, FactCheck
from corpus.models import Quote
from tests.browser.helpers import HIGHLIGHT_TEXT, SELECT_PASSAGE, assert_no_injected_script_ran
from tests.factories import TagFactory

# serialized_rollback: the flush after each test would otherwise drop the role groups of the data migration.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def vocabulary():
    framing = TagFactory(slug="framing", name="framing", colour="#90caf9")
    TagFactory(slug="framing-wolf-warrior", name="wolf-warrior diplomacy", parent=framing, colour="#64b5f6")
    return TagFactory(slug="claim", name="claim", colour="#ffb74d")


def _annotate(article, author, passage: str, **kwargs) -> Annotation:
    """A span annotation on the first occurrence of passage, through the service."""
    start = article.text.index(passage)
    return services.annotation_create(
        article=article, author=author, start=start, end=start + len(passage), **kwargs
    )


def _wait_for_message(page, level: str, text: str) -> str:
    message = page.locator(f"#annotate-messages li.{level}", has_text=text)
    message.wait_for()
    return message.inner_text()


def test_offset_conversion_round_trips_emoji_and_hangul(annotate_page, editor, article):
    page = annotate_page(editor, article)
    result = page.evaluate(
        """() => {
          const {toUnits, toPoints} = window.newsdeskOffsets;
          const text = "a😀b 토토사이트 👩‍👩‍👧 c🚢";
          const points = [...text];  // code points, as the server counts
          const out = {units: [], back: []};
          for (let p = 0; p <= points.length; p += 1) {
            const u = toUnits(text, p);
            out.units.push(u);
            out.back.push(toPoints(text, u));
            if (text.slice(0, u) !== points.slice(0, p).join("")) throw new Error("bad prefix at " + p);
          }
          out.inside = toPoints(text, 2);  // between the halves of 😀
          return out;
        }"""
    )
    text = "a😀b 토토사이트 👩‍👩‍👧 c🚢"
    assert result["back"] == list(range(len(text) + 1))
    assert result["units"] == [len(text[:p].encode("utf-16-le")) // 2 for p in range(len(text) + 1)]
    assert result["inside"] == 1


def test_tag_a_passage_with_emoji_and_find_it_after_reload(annotate_page, editor, article, vocabulary):
    page = annotate_page(editor, article)
    passage = "👩‍👩‍👧 voted on Tuesday to spend 😀 more"
    assert page.evaluate(SELECT_PASSAGE, passage) == passage

    panel = page.locator("#annotate-panel")
    panel.wait_for()
    assert passage in panel.locator(".panel-excerpt").inner_text()
    panel.locator(".tag-input").fill("wolf")
    suggestion = panel.locator(".tag-suggestions li", has_text="framing › wolf-warrior diplomacy")
    suggestion.wait_for()
    panel.locator(".tag-input").press("Enter")
    panel.locator(".tag-chip", has_text="wolf-warrior diplomacy").wait_for()
    panel.locator(".note-input").fill("Loaded wording 🧐")
    panel.locator(".save-button").click()
    _wait_for_message(page, "success", "Annotation saved")

    annotation = Annotation.objects.get(note="Loaded wording 🧐")
    start = article.text.index(passage)
    assert (annotation.start, annotation.end) == (start, start + len(passage))
    assert annotation.exact == passage == article.text[annotation.start : annotation.end]
    assert [t.slug for t in annotation.tags.all()] == ["framing-wolf-warrior"]
    assert annotation.author == editor
    key = f"a{annotation.pk}"
    assert page.evaluate(HIGHLIGHT_TEXT, key) == passage  # drawn without a reload

    page.reload()
    page.wait_for_selector("#annotate-root[data-ready=true]")
    assert page.evaluate(HIGHLIGHT_TEXT, key) == passage
    sidebar_item = page.locator(f'#annotate-sidebar [data-annotation-id="{annotation.pk}"]')
    sidebar_item.get_by_text("wolf-warrior").wait_for()
    assert page.script_errors == []


def test_overlapping_highlights_split_into_segments(annotate_page, editor, article, vocabulary):
    outer, inner = "spend 😀 more on the harbour", "😀 more"
    a = _annotate(article, editor, outer, tags=["claim"])
    b = _annotate(article, editor, inner, tags=["framing"])
    page = annotate_page(editor, article)
    assert page.evaluate(HIGHLIGHT_TEXT, f"a{a.pk}") == outer
    assert page.evaluate(HIGHLIGHT_TEXT, f"a{b.pk}") == inner
    both = page.locator(f'.seg[data-items~="a{a.pk}"][data-items~="a{b.pk}"]')
    assert both.inner_text() == inner
    assert both.evaluate("(el) => getComputedStyle(el).boxShadow.split('inset').length - 1") == 2
    spam = Annotation.objects.get(article=article, origin="machine", exact="토토사이트")
    assert "hl-spam" in page.locator(f'.seg[data-items~="a{spam.pk}"]').get_attribute("class")
    quote = Quote.objects.filter(article=article).first()
    label = page.locator(".speaker-label").first
    assert label.evaluate("(el) => getComputedStyle(el, '::before').content") == f'"{quote.speaker.name}"'
    # Clicking a highlight shows everything on it; the sidebar jumps to an item and flashes it.
    both.click()
    popover = page.locator("#annotate-popover")
    popover.locator(".card-annotation").nth(1).wait_for()
    assert popover.locator(".edit-button").count() == 2
    page.keyboard.press("Escape")
    page.locator(f'#annotate-sidebar [data-annotation-id="{b.pk}"] .side-jump').click()
    page.locator(f'.seg.flash[data-items~="a{b.pk}"]').first.wait_for()


def test_claim_is_fact_checked_by_the_editor_and_published_by_a_fact_checker(
    annotate_page, editor, factchecker, article, vocabulary
):
    # The whole workflow goes through the sidebar's buttons, each user in their own browser context.
    page = annotate_page(editor, article)
    passage = "voted on Tuesday to spend 😀 more on the harbour 🚢"
    page.evaluate(SELECT_PASSAGE, passage)
    panel = page.locator("#annotate-panel")
    panel.locator(".tag-input").fill("claim")
    panel.locator(".tag-suggestions li", has_text="claim").first.wait_for()
    panel.locator(".tag-input").press("Enter")
    panel.locator(".claim-input").check()
    panel.locator(".save-button").click()
    _wait_for_message(page, "success", "Annotation and claim saved")
    claim = Claim.objects.get()
    assert claim.text == passage and claim.created_by == editor
    assert claim.annotation.exact == passage

    item = page.locator(f'#annotate-sidebar [data-claim-id="{claim.pk}"]')
    item.locator(".factcheck-create").click()
    fact_panel = page.locator("#annotate-panel.factcheck-panel")
    fact_panel.locator(".verdict-select").select_option("mostly_false")
    fact_panel.locator(".rationale-input").fill("The budget line says otherwise.")
    fact_panel.locator(".factcheck-save").click()
    item.locator(".factcheck-submit").click()
    item.locator(".factcheck-state", has_text="in review").wait_for()
    assert item.locator(".factcheck-publish").count() == 0  # the author cannot approve their own

    reviewer = annotate_page(factchecker, article)
    review = reviewer.locator(f'#annotate-sidebar [data-claim-id="{claim.pk}"]')
    review.locator(".factcheck-publish").click()
    review.locator(".factcheck-state", has_text="reviewed by checker").wait_for()
    fact_check = FactCheck.objects.get(claim=claim)
    assert (fact_check.status, fact_check.verdict) == ("published", "mostly_false")
    assert (fact_check.author, fact_check.reviewer) == (editor, factchecker)
    assert fact_check.published_at is not None


def test_second_stale_save_is_refused_and_shows_the_fresh_version(annotate_page, editor, article, vocabulary):
    annotation = _annotate(article, editor, "부두 wall", note="first")
    first = annotate_page(editor, article)
    second = annotate_page(editor, article)

    def edit(page, note: str):
        page.locator(f'#annotate-sidebar [data-annotation-id="{annotation.pk}"] .edit-button').click()
        panel = page.locator("#annotate-panel")
        panel.locator(".note-input").fill(note)
        panel.locator(".save-button").click()
        return panel

    edit(first, "from the first window")
    _wait_for_message(first, "success", "saved (version 2)")
    panel = edit(second, "from the second window")
    refusal = panel.locator(".panel-error")
    refusal.get_by_text("someone else changed this annotation (now version 2)").wait_for()
    # Everything this editor chose stays in the fields; theirs is shown beside.
    assert panel.locator(".note-input").input_value() == "from the second window"
    assert "from the first window" in refusal.locator(".their-version").inner_text()
    assert "nothing was overwritten" in _wait_for_message(second, "warning", "changed by someone else")
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("from the first window", 2)
    # The sidebar of the second window shows the fresh note too.
    second.locator(
        f'#annotate-sidebar [data-annotation-id="{annotation.pk}"]', has_text="from the first window"
    ).wait_for()


def test_quote_kind_and_verified_are_corrected_in_place(annotate_page, editor, article):
    quote = Quote.objects.get(article=article)
    page = annotate_page(editor, article)
    item = page.locator(f'#annotate-sidebar [data-quote-id="{quote.pk}"]')
    item.locator(".quote-kind").select_option("indirect")
    _wait_for_message(page, "success", f"Quote {quote.pk} corrected")
    item.locator(".quote-verified").check()
    page.locator("#annotate-messages li.success").nth(1).wait_for()
    quote.refresh_from_db()
    assert (quote.kind, quote.verified, quote.version, quote.corrected_by) == ("indirect", True, 3, editor)


def test_a_note_with_markup_renders_as_inert_text(annotate_page, editor, article):
    note = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
    annotation = _annotate(article, editor, "rushed at", note=note)
    page = annotate_page(editor, article)
    page.locator(f'.seg[data-items~="a{annotation.pk}"]').first.click()
    card = page.locator("#annotate-popover .card-note")
    card.wait_for()
    assert card.inner_text() == note
    sidebar_item = page.locator(f'#annotate-sidebar [data-annotation-id="{annotation.pk}"]')
    assert sidebar_item.locator(".side-note").inner_text() == note
    assert_no_injected_script_ran(page)
    assert page.locator("#annotate-root img, #annotate-popover img").count() == 0


def test_whole_paragraph_and_whole_article_are_tagged_and_deleted(annotate_page, editor, article, vocabulary):
    paragraph = article.paragraphs.get(position=1)
    page = annotate_page(editor, article)
    page.locator(f'.para[data-position="{paragraph.position}"]').hover()
    page.get_by_label(f"Annotate paragraph {paragraph.position}").click()
    panel = page.locator("#annotate-panel")
    assert panel.locator(".panel-heading").inner_text().startswith(f"Paragraph {paragraph.position}")
    panel.locator(".tag-input").fill("isol")  # no such tag: nothing to choose
    assert panel.locator(".tag-suggestions li").count() == 0
    panel.locator(".tag-input").fill("framing")
    panel.locator(".tag-input").press("Enter")
    panel.locator(".save-button").click()
    _wait_for_message(page, "success", "Annotation saved")
    on_paragraph = Annotation.objects.get(target="paragraph")
    assert on_paragraph.paragraph == paragraph and on_paragraph.start is None
    assert page.evaluate(HIGHLIGHT_TEXT, f"a{on_paragraph.pk}") == paragraph.text

    page.locator(".annotate-article-button").click()
    panel.locator(".note-input").fill("Whole piece reads like a press release.")
    panel.locator(".save-button").click()
    page.locator(".article-annotation").wait_for()
    assert Annotation.objects.get(target="article").note == "Whole piece reads like a press release."

    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f'#annotate-sidebar [data-annotation-id="{on_paragraph.pk}"] .delete-button').click()
    _wait_for_message(page, "success", f"Annotation {on_paragraph.pk} deleted")
    assert not Annotation.objects.filter(pk=on_paragraph.pk).exists()
    assert page.locator(f'.seg[data-items~="a{on_paragraph.pk}"]').count() == 0


def test_an_orphan_is_placed_on_a_selected_passage(annotate_page, editor, article, vocabulary):
    orphan = _annotate(article, editor, "네 to the plan", note="about the vote", tags=["claim"])
    stale = _annotate(article, editor, "부두 wall", note="someone else moves this one")
    # What re-anchoring leaves when a new revision no longer has the words.
    Annotation.objects.filter(pk__in=[orphan.pk, stale.pk]).update(anchor="orphaned", start=None, end=None)
    page = annotate_page(editor, article)
    section = page.locator("#annotate-sidebar .side-section", has_text="Orphans (2)")
    item = section.locator(f'[data-annotation-id="{orphan.pk}"]')
    assert item.locator(".orphan-exact").inner_text() == "네 to the plan"
    assert "about the vote" in item.inner_text() and "by editor" in item.inner_text()
    item.locator(".tag-chip", has_text="claim").wait_for()
    assert page.locator(f'#annotate-article .seg[data-items~="a{orphan.pk}"]').count() == 0

    # A stale version is refused, like any other edit.
    Annotation.objects.filter(pk=stale.pk).update(version=stale.version + 1)
    assert page.evaluate(SELECT_PASSAGE, "study session") == "study session"
    section.locator(f'[data-annotation-id="{stale.pk}"] .place-button').click()
    assert "nothing was overwritten" in _wait_for_message(page, "warning", "Not placed")
    stale.refresh_from_db()
    assert (stale.anchor, stale.start) == ("orphaned", None)

    passage = "voted on Tuesday to spend 😀 more"
    assert page.evaluate(SELECT_PASSAGE, passage) == passage
    item.locator(".place-button").click()
    _wait_for_message(page, "success", f"Annotation {orphan.pk} placed")

    orphan.refresh_from_db()
    start = article.text.index(passage)
    assert (orphan.start, orphan.end) == (start, start + len(passage))
    assert orphan.exact == passage == article.text[orphan.start : orphan.end]
    assert orphan.anchor == ""
    assert page.evaluate(HIGHLIGHT_TEXT, f"a{orphan.pk}") == passage  # drawn without a reload
    page.locator("#annotate-sidebar .side-section", has_text="Orphans (1)").wait_for()
    assert page.locator(f'#annotate-sidebar .side-orphan[data-annotation-id="{orphan.pk}"]').count() == 0
    page.locator(f'#annotate-sidebar .side-annotation[data-annotation-id="{orphan.pk}"]').wait_for()
    assert page.script_errors == []
