"""Correcting a quote's speaker from the annotate screen's sidebar, in a real browser.

The speaker box offers this article's speakers at once and searches the shared ones as the editor
types; saves go through the quotes API with If-Match, like the kind and the verified box.
Run with `pytest -m slow tests/browser/test_annotate_speaker.py`; they need /usr/bin/chromium.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from corpus import services as corpus_services
from corpus.models import Quote, Speaker
from tests.browser.helpers import assert_no_injected_script_ran
from tests.factories import ArticleFactory, UserFactory

# serialized_rollback: the flush after each test would otherwise drop the role groups of the data migration.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LABEL_TEXT = "(el) => getComputedStyle(el, '::before').content"


@pytest.fixture
def quote(article) -> Quote:
    quote = Quote.objects.select_related("speaker").get(article=article)
    assert quote.speaker.name == "Helena Vasquez"
    return quote


@pytest.fixture
def insider(article) -> Speaker:
    """An anonymous source of this article: it belongs to the article, like the pipeline's."""
    return Speaker.objects.create(
        name="a council insider",
        kind="anonymous",
        article=article,
        description="a harbour worker who asked not to be named",
    )


@pytest.fixture
def okafor() -> Speaker:
    return Speaker.objects.create(name="Marta Okafor", description="harbour engineer at the port authority")


def _item(page, quote):
    return page.locator(f'#annotate-sidebar .side-quote[data-quote-id="{quote.pk}"]')


def _speaker_box(page, quote):
    # Found by its accessible name, as a screen reader user would find it.
    return page.get_by_role("combobox", name=f"Speaker of quote {quote.pk}")


def _wait_for_message(page, level: str, text: str) -> str:
    message = page.locator(f"#annotate-messages li.{level}", has_text=text)
    message.wait_for()
    return message.inner_text()


def _shown_speaker(page, quote) -> tuple[str, str]:
    """The speaker as the sidebar and the label on the highlight (drawn by CSS from data-label) show it."""
    sidebar = _item(page, quote).locator(".side-speaker").inner_text()
    label = page.locator(".speaker-label").first.get_attribute("data-label")
    return sidebar, label


def test_speaker_changed_to_another_of_the_article_with_the_keyboard_and_kept(
    annotate_page, editor, article, quote, insider
):
    page = annotate_page(editor, article)
    box = _speaker_box(page, quote)
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    box.press("ArrowDown")  # opens the list: this article's speakers, no typing needed
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("role") == "listbox"
    group = listbox.get_by_role("group", name="On this article")
    assert group.get_by_role("option").all_inner_texts() == [
        "unknown speaker",
        "a council insider\nanonymous · this article only · a harbour worker who asked not to be named",
        "Helena Vasquez\ncurrent · 1 quote here · council chair",
    ]
    # Moving through the list saves nothing; the active option is announced through aria-activedescendant.
    box.press("ArrowDown")
    active = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
    assert active.inner_text().startswith("a council insider")
    assert active.get_attribute("aria-selected") == "true"
    quote.refresh_from_db()
    assert (quote.speaker_id, quote.version) != (insider.pk, 2)
    box.press("Enter")
    _wait_for_message(page, "success", f"Quote {quote.pk} corrected: speaker “a council insider” now")

    quote.refresh_from_db()
    assert (quote.speaker, quote.version, quote.corrected_by) == (insider, 2, editor)
    assert _shown_speaker(page, quote) == ("a council insider", "a council insider")  # without a reload
    assert _speaker_box(page, quote).evaluate("(el) => el === document.activeElement")  # focus kept

    page.reload()
    page.wait_for_selector("#annotate-root[data-ready=true]")
    assert _shown_speaker(page, quote) == ("a council insider", "a council insider")
    assert page.locator(".speaker-label").first.evaluate(LABEL_TEXT) == '"a council insider"'
    page.locator(f'.seg[data-items~="q{quote.pk}"]').first.click()
    card = page.locator("#annotate-popover .card-quote")
    assert "a council insider (anonymous)" in card.locator(".card-title").inner_text()
    assert card.get_by_text("a harbour worker who asked not to be named").count() == 1
    # Helena Vasquez no longer speaks in this article: after the reload she is found by typing.
    page.keyboard.press("Escape")
    box = _speaker_box(page, quote)
    box.click()
    item = _item(page, quote)
    assert item.get_by_role("option", name="Helena Vasquez").count() == 0
    box.press_sequentially("vasq")
    shared = item.get_by_role("group", name="Other shared speakers")
    shared.get_by_role("option", name="Helena Vasquez").wait_for()
    assert page.script_errors == []


def test_shared_speaker_found_by_typing_then_unknown(annotate_page, editor, article, quote, okafor):
    Speaker.objects.create(name="Martin Okonkwo")
    elsewhere = ArticleFactory(body='Elsewhere\n"Not here," said Ben Adler.\n')
    Speaker.objects.create(name="Marta's neighbour", kind="anonymous", article=elsewhere)
    page = annotate_page(editor, article)
    searched: list[str] = []

    def record_search(request) -> None:
        if "/api/speakers/" in request.url:
            query = parse_qs(urlsplit(request.url).query)
            searched.extend(f"{name} shared={query.get('shared')}" for name in query.get("name", []))

    page.on("request", record_search)
    box = _speaker_box(page, quote)
    box.click()
    box.press_sequentially("mart", delay=30)
    item = _item(page, quote)
    shared = item.get_by_role("group", name="Other shared speakers")
    shared.get_by_role("option").first.wait_for()
    assert [name.split("\n")[0] for name in shared.get_by_role("option").all_inner_texts()] == [
        "Marta Okafor",
        "Martin Okonkwo",
    ]
    status = item.locator(".speaker-status")
    assert "2 other shared speakers" in status.inner_text()
    # Marta's neighbour, local to another article, is not even asked for (shared=true).
    assert "belongs to other articles" not in status.inner_text()
    assert searched == ["mart shared=['true']"]  # one request once the typing paused, not one per letter

    shared.get_by_role("option", name="Marta Okafor").click()
    _wait_for_message(page, "success", "speaker “Marta Okafor” now")
    quote.refresh_from_db()
    assert (quote.speaker, quote.version) == (okafor, 2)
    assert _shown_speaker(page, quote) == ("Marta Okafor", "Marta Okafor")
    page.locator(f'.seg[data-items~="q{quote.pk}"]').first.click()
    assert page.locator("#annotate-popover .card-quote").get_by_text("harbour engineer").count() == 1
    page.keyboard.press("Escape")

    # Now one of this article's speakers: offered without a search. And back to unknown.
    box = _speaker_box(page, quote)
    box.click()
    on_article = item.get_by_role("group", name="On this article")
    assert on_article.get_by_role("option", name="Marta Okafor").count() == 1
    box.press_sequentially("unkn")
    assert item.locator(".speaker-option.active").inner_text() == "unknown speaker"
    box.press("Enter")
    _wait_for_message(page, "success", "unknown speaker now")
    quote.refresh_from_db()
    assert (quote.speaker, quote.version) == (None, 3)
    assert _shown_speaker(page, quote) == ("unknown speaker", "unknown speaker")
    page.reload()
    page.wait_for_selector("#annotate-root[data-ready=true]")
    assert _shown_speaker(page, quote) == ("unknown speaker", "unknown speaker")
    assert page.script_errors == []


def test_stale_speaker_change_is_refused_and_shows_their_version(
    annotate_page, editor, article, quote, insider, okafor
):
    page = annotate_page(editor, article)
    # Someone else corrects the quote after the page was loaded.
    colleague = UserFactory(username="colleague", is_staff=True, groups=["Editor"])
    corpus_services.quote_correct(quote=quote, expected_version=1, user=colleague, speaker=okafor)

    box = _speaker_box(page, quote)
    box.click()
    _item(page, quote).get_by_role("option", name="a council insider").click()
    warning = _wait_for_message(page, "warning", f"someone else corrected quote {quote.pk} first")
    assert "Their version 2 is shown (speaker “Marta Okafor”" in warning
    notice = _item(page, quote).locator(".quote-notice-warning")
    assert "Their version 2 is shown" in notice.inner_text()
    assert box.get_attribute("aria-describedby").split()[-1] == notice.get_attribute("id")
    assert _shown_speaker(page, quote) == ("Marta Okafor", "Marta Okafor")
    quote.refresh_from_db()
    assert (quote.speaker, quote.version, quote.corrected_by) == (okafor, 2, colleague)
    # Their speaker, unknown to the page until now, comes with its description.
    page.locator(f'.seg[data-items~="q{quote.pk}"]').first.click()
    assert page.locator("#annotate-popover .card-quote").get_by_text("harbour engineer").count() == 1
    page.keyboard.press("Escape")

    # The correction applied again, on their version, is saved.
    box.click()
    _item(page, quote).get_by_role("option", name="a council insider").click()
    _wait_for_message(page, "success", "speaker “a council insider” now")
    assert _item(page, quote).locator(".quote-notice").count() == 0
    quote.refresh_from_db()
    assert (quote.speaker, quote.version, quote.corrected_by) == (insider, 3, editor)
    assert page.script_errors == []


def test_speaker_of_another_article_is_refused_with_a_clear_message(
    annotate_page, editor, article, quote, insider
):
    page = annotate_page(editor, article)
    # Meanwhile the anonymous source turns out to be another article's.
    elsewhere = ArticleFactory(body='Elsewhere\n"Not here," said Ben Adler.\n')
    Speaker.objects.filter(pk=insider.pk).update(article=elsewhere)
    box = _speaker_box(page, quote)
    box.click()
    _item(page, quote).get_by_role("option", name="a council insider").click()
    error = _wait_for_message(page, "error", "belongs to another article")
    assert error.startswith("Not saved: “a council insider” belongs to another article.")
    assert "still has speaker “Helena Vasquez”" in error
    assert "belongs to another article" in _item(page, quote).locator(".quote-notice-error").inner_text()
    quote.refresh_from_db()
    assert (quote.speaker.name, quote.version) == ("Helena Vasquez", 1)
    assert _shown_speaker(page, quote) == ("Helena Vasquez", "Helena Vasquez")
    box.click()  # no longer offered
    assert _item(page, quote).get_by_role("option", name="a council insider").count() == 0
    assert page.script_errors == []


def test_speaker_names_with_markup_stay_inert(annotate_page, editor, article, quote):
    name = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script> Harbour Board'
    Speaker.objects.create(name=name, kind="organization", description="<b>bold</b> claims")
    page = annotate_page(editor, article)
    box = _speaker_box(page, quote)
    box.click()
    box.press_sequentially("harbour b")
    option = _item(page, quote).get_by_role("group", name="Other shared speakers").get_by_role("option")
    option.first.wait_for()
    assert option.first.inner_text().split("\n")[0] == name
    box.press("Enter")
    _wait_for_message(page, "success", "Harbour Board")
    assert _shown_speaker(page, quote) == (name, name)
    page.locator(f'.seg[data-items~="q{quote.pk}"]').first.click()
    assert page.locator("#annotate-popover .card-quote").get_by_text("<b>bold</b> claims").count() == 1
    assert_no_injected_script_ran(page)
    assert page.locator("#annotate-root img, #annotate-popover img, #annotate-root b").count() == 0
    assert page.script_errors == []


def test_readers_without_the_permission_get_no_speaker_controls(annotate_page, article, quote, insider):
    viewer = UserFactory(username="viewer", is_staff=True, groups=["Viewer"])
    page = annotate_page(viewer, article)
    box = _speaker_box(page, quote)
    assert box.is_disabled()
    assert page.locator("#annotate-sidebar .speaker-add-link").count() == 0
    assert _item(page, quote).locator(".speaker-options").is_hidden()


CHAIN_BODY = (
    "Coach loses patience\n"
    "The home side lost again on Sunday.\n"
    '"We had them in the fourth quarter," Ortega said. "We stopped defending.\n'
    '"You cannot do that against a team like this.\n'
    '"We will train on Monday."\n'
)


def test_a_new_speaker_shows_on_every_paragraph_of_the_quotation(annotate_page, editor, okafor):
    article = ArticleFactory(body=CHAIN_BODY)
    quotes = list(Quote.objects.filter(article=article, kind="direct").order_by("start"))
    chain = [q for q in quotes if q.continues_id is not None or q.continuations.exists()]
    assert len(chain) >= 3, [(q.text, q.continues_id) for q in quotes]
    head, rest = chain[0], chain[1:]
    page = annotate_page(editor, article)
    box = _speaker_box(page, head)
    box.click()
    box.press_sequentially("okaf")
    _item(page, head).get_by_role("option", name="Marta Okafor").click()
    count = len(rest)
    _wait_for_message(
        page, "success", f"Quote {head.pk} corrected: speaker “Marta Okafor” now, with the {count} quotes"
    )
    # every link shows the new speaker without a reload, and holds its new version: a later correction
    # of a link is not refused as stale
    for link in rest:
        assert _item(page, link).locator(".side-speaker").inner_text() == "Marta Okafor"
    last = rest[-1]
    _item(page, last).locator(".quote-verified").check()
    _wait_for_message(page, "success", f"Quote {last.pk} corrected")
    assert Quote.objects.get(pk=last.pk).verified
    assert set(Quote.objects.filter(pk__in=[q.pk for q in chain]).values_list("speaker", flat=True)) == {
        okafor.pk
    }
    assert page.script_errors == []
