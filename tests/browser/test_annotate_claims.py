"""Claims finished on the annotate screen, in Chromium: the claimant picker (a speaker of the article, a
shared one, or a new claimant described in words), the fact-check panel with its evidence rows, editing
one's own sent-back fact-check, a stale save refused with every field kept; where else a quote appears;
check-worthy suggestions turned into claims or dismissed by one key; messages beside the action."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from annotations import services
from annotations.models import CheckWorthyDismissal, Claim, FactCheck
from corpus.models import Article, Speaker
from corpus.services import article_ingest, article_input_from_json
from tests.browser.test_accessibility import _assert_no_serious_violations, _screenshot
from tests.factories import TagFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WALL = (
    "“We cannot wait another winter while the sea eats the road, and we will not ask the fishermen to pay "
    "for it,” said council chair Helena Vasquez."
)
EUROS = "The council voted on Tuesday to spend 4.2 million euros on the harbour 🚢, 30% more than last year."
JOBS = "Unemployment in the district rose to 12 percent in 2023, the highest level since 1998."
FERRY = (
    "Ferry traffic through the port doubled to 2.1 million passengers in 2024, the busiest year on record."
)
DESK_BODY = "\n\n".join(
    [EUROS, WALL, JOBS, "Opponents called the plan rushed at 토토사이트 study session 😀 last week.", FERRY]
)


def _ingest(url: str, body: str, published_at: str | None, source: str):
    data = {"url": url, "text": f"Harbour 🌊 repairs: council says 네\n\n{body}", "source": source}
    if published_at is not None:
        data["published_at"] = published_at
    record = article_input_from_json(data=json.dumps(data).encode(), origin=url)
    return article_ingest(record=record).article


@pytest.fixture
def desk():
    """The article the desk works on, and an earlier one in another outlet with the same quote."""
    TagFactory(slug="claim", name="claim", colour="#ffb74d")
    first = _ingest("https://coast.example/1", WALL, "2024-03-02T08:00:00Z", "Coast Times")
    article = _ingest("https://harbour.example/2", DESK_BODY, "2024-03-09T08:00:00Z", "Harbour Post")
    return first, article


def _claim_on(article, user, passage: str) -> Claim:
    start = article.text.index(passage)
    annotation = services.annotation_create(
        article=article, author=user, start=start, end=start + len(passage), tags=["claim"]
    )
    return services.claim_create(article=article, text=passage, created_by=user, annotation=annotation)


def _toast_beside(page, near: dict) -> None:
    """The message shows beside the control acted on (its box before the click), inside the window, not
    only in the corner."""
    toast = page.locator(".annotate-toast")
    toast.wait_for()
    box = toast.bounding_box()
    viewport = page.viewport_size
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    below = box["y"] - (near["y"] + near["height"])
    above = near["y"] - (box["y"] + box["height"])
    assert 0 <= below < 40 or 0 <= above < 40, (box, near)


def test_claimant_picker_offers_the_articles_speakers_and_a_new_description(annotate_page, editor, desk):
    _, article = desk
    claim = _claim_on(article, editor, EUROS)
    page = annotate_page(editor, article)
    item = page.locator(f'.side-claim[data-claim-id="{claim.pk}"]')
    picker = item.locator(".speaker-input")
    picker.fill("Vasq")
    option = item.locator(".speaker-option", has_text="Helena Vasquez")
    option.wait_for()
    near = picker.bounding_box()
    picker.press("Enter")
    item.locator(".claimant-name", has_text="claimed by Helena Vasquez").wait_for()
    claim.refresh_from_db()
    assert claim.claimant.name == "Helena Vasquez" and claim.version == 2
    _toast_beside(page, near)

    # Nobody named: the claimant as the article describes them becomes a speaker of this article.
    picker = page.locator(f'.side-claim[data-claim-id="{claim.pk}"] .speaker-input')
    picker.fill("a harbour engineer who asked not to be named")
    new = page.locator(".speaker-option-new", has_text="a harbour engineer")
    new.wait_for()
    new.click()
    page.locator(
        ".claimant-name", has_text="claimed by a harbour engineer who asked not to be named"
    ).wait_for()
    claim.refresh_from_db()
    assert (claim.claimant.kind, claim.claimant.article_id) == ("anonymous", article.pk)
    assert page.script_errors == []


def test_a_stale_claimant_is_refused_and_the_editors_choice_said_back(annotate_page, editor, desk):
    _, article = desk
    claim = _claim_on(article, editor, EUROS)
    page = annotate_page(editor, article)
    # Meanwhile, in another window, the same editor names someone else.
    other = Speaker.objects.create(name="Port authority", kind="organization")
    services.claim_update(claim=claim, expected_version=1, user=editor, claimant=other)
    picker = page.locator(f'.side-claim[data-claim-id="{claim.pk}"] .speaker-input')
    picker.fill("Helena")
    page.locator(".speaker-option", has_text="Helena Vasquez").click()
    notice = page.locator(f"#claim-{claim.pk}-notice")
    notice.wait_for()
    assert "someone else changed claim" in notice.inner_text()
    assert "“Helena Vasquez”, was not applied" in notice.inner_text()
    assert "claimed by “Port authority”" in notice.inner_text()
    claim.refresh_from_db()
    assert claim.claimant == other


def test_write_a_fact_check_with_evidence_rows(annotate_page, editor, desk):
    _, article = desk
    claim = _claim_on(article, editor, JOBS)
    page = annotate_page(editor, article)
    page.locator(f'.side-claim[data-claim-id="{claim.pk}"] .factcheck-create').click()
    panel = page.locator("#annotate-panel.factcheck-panel")
    panel.wait_for()
    panel.locator(".verdict-select").select_option("mostly_false")
    panel.locator(".rationale-input").fill("The office's figure for 2023 is 9.8 percent, not 12.")
    panel.locator(".evidence-add").click()
    panel.locator(".evidence-add").click()
    rows = panel.locator(".evidence-row")
    rows.nth(0).locator(".evidence-url").fill("https://wrong.example/")
    second = rows.nth(1)
    second.locator(".evidence-url").fill("https://stats.example/unemployment-2023")
    second.locator(".evidence-title").fill("Unemployment by district, 2023")
    second.locator(".evidence-publisher").fill("Statistics Office")
    second.locator(".evidence-accessed").fill("2024-03-10")
    rows.nth(0).locator(".evidence-remove").click()
    assert panel.locator(".evidence-number").all_inner_texts() == ["Source 1"]
    _assert_no_serious_violations(page)
    _screenshot(page, "annotate-factcheck-panel")
    panel.locator(".factcheck-save").click()
    page.locator(
        f'.side-claim[data-claim-id="{claim.pk}"] .evidence-list a', has_text="Unemployment by district"
    ).wait_for()
    fact_check = FactCheck.objects.get(claim=claim)
    assert (fact_check.verdict, fact_check.author, fact_check.status) == ("mostly_false", editor, "draft")
    assert fact_check.evidence == [
        {
            "url": "https://stats.example/unemployment-2023",
            "title": "Unemployment by district, 2023",
            "publisher": "Statistics Office",
            "accessed": "2024-03-10",
        }
    ]


def test_sent_back_fact_check_is_edited_on_the_page_and_a_stale_save_keeps_every_field(
    annotate_page, editor, factchecker, desk
):
    _, article = desk
    claim = _claim_on(article, editor, JOBS)
    fact_check = services.factcheck_create(claim=claim, author=editor, verdict="false", rationale="Wrong.")
    fact_check = services.factcheck_submit(fact_check=fact_check, expected_version=1, user=editor)
    services.factcheck_send_back(
        fact_check=fact_check, expected_version=2, user=factchecker, comment="Cite the office."
    )
    page = annotate_page(editor, article)
    item = page.locator(f'.side-claim[data-claim-id="{claim.pk}"]')
    assert "Sent back: Cite the office." in item.inner_text()
    item.locator(".factcheck-edit").click()
    panel = page.locator("#annotate-panel.factcheck-panel")
    panel.wait_for()
    assert panel.locator(".panel-sent-back").inner_text() == "Sent back: Cite the office."
    panel.locator(".verdict-select").select_option("mostly_false")
    panel.locator(".rationale-input").fill("The office says 9.8 percent.")
    panel.locator(".evidence-add").click()
    panel.locator(".evidence-url").fill("https://stats.example/2023")
    panel.locator(".evidence-publisher").fill("Statistics Office")

    # Meanwhile the author changes it in another window: this save is stale.
    services.factcheck_update(
        fact_check=FactCheck.objects.get(pk=fact_check.pk),
        expected_version=3,
        user=editor,
        rationale="Other words.",
    )
    panel.locator(".factcheck-save").click()
    error = panel.locator(".panel-error", has_text="Not saved")
    error.wait_for()
    assert "Their version: false" in error.inner_text() and "Other words." in error.inner_text()
    assert panel.locator(".verdict-select").input_value() == "mostly_false"
    assert panel.locator(".rationale-input").input_value() == "The office says 9.8 percent."
    assert panel.locator(".evidence-url").input_value() == "https://stats.example/2023"
    assert panel.locator(".evidence-publisher").input_value() == "Statistics Office"
    assert panel.locator(".panel-version").inner_text() == "version 4"
    assert FactCheck.objects.get(pk=fact_check.pk).rationale == "Other words."

    panel.locator(".factcheck-save").click()  # knowingly, over theirs
    page.locator("#annotate-panel").wait_for(state="detached")
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.verdict, fresh.rationale, fresh.version) == (
        "mostly_false",
        "The office says 9.8 percent.",
        5,
    )
    assert fresh.evidence[0]["publisher"] == "Statistics Office"
    item.locator(".factcheck-submit").click()
    item.locator(".factcheck-state", has_text="in review").wait_for()
    assert FactCheck.objects.get(pk=fact_check.pk).status == "in_review"
    assert item.locator(".factcheck-edit").count() == 1  # the author may still change it in review


def test_someone_elses_draft_offers_no_edit(annotate_page, editor, desk):
    _, article = desk
    other = UserFactory(username="other", is_staff=True, groups=["Editor"])
    claim = _claim_on(article, other, JOBS)
    services.factcheck_create(claim=claim, author=other, verdict="false")
    page = annotate_page(editor, article)
    item = page.locator(f'.side-claim[data-claim-id="{claim.pk}"]')
    item.wait_for()
    assert item.locator(".factcheck-edit, .factcheck-submit, .speaker-input").count() == 0


def test_an_undated_first_appearance_says_when_it_was_ingested(annotate_page, editor):
    """No article of the cluster has a publication date: the first appearance is the earliest ingested,
    and the line says so rather than "first on an undated day"."""
    TagFactory(slug="claim", name="claim", colour="#ffb74d")
    first = _ingest("https://coast.example/1", WALL, None, "Coast Times")
    article = _ingest("https://harbour.example/2", DESK_BODY, None, "Harbour Post")
    Article.objects.filter(pk=first.pk).update(ingested_at=datetime(2026, 5, 5, 9, tzinfo=UTC))
    line = annotate_page(editor, article).locator(".side-quote .cluster-line").first
    line.wait_for()
    assert line.inner_text() == "Also in 1 other article, first ingested on 5 May 2026, undated (Coast Times)"


def test_a_clustered_quote_says_where_else_and_links_its_first_appearance(annotate_page, editor, desk):
    first, article = desk
    page = annotate_page(editor, article)
    line = page.locator(".side-quote .cluster-line").first
    line.wait_for()
    assert line.inner_text() == "Also in 1 other article, first on 2 March 2024 (Coast Times)"
    link = line.locator("a.cluster-first")
    assert link.get_attribute("href") == f"/admin/corpus/article/{first.pk}/annotate/"
    link.click()
    page.wait_for_url(f"**/admin/corpus/article/{first.pk}/annotate/")
    page.wait_for_selector("#annotate-root[data-ready=true]")
    assert page.locator(".side-quote .cluster-line").first.inner_text() == (
        "Also in 1 other article, first on 2 March 2024 (Coast Times) — here"
    )


def test_a_corrected_speaker_updates_the_clusters_disagreement_without_a_reload(annotate_page, editor, desk):
    """The same words given to someone else here: the cluster line says the articles now name different
    speakers as soon as the correction is saved, and stops saying it when the speaker is put back."""
    _, article = desk
    reyes = Speaker.objects.create(name="Tom Reyes", description="councillor")
    quote = next(q for q in article.quotes.all() if "We cannot wait" in q.exact)
    page = annotate_page(editor, article)
    item = page.locator(f'#annotate-sidebar .side-quote[data-quote-id="{quote.pk}"]')
    line = item.locator(".cluster-line")
    line.wait_for()
    assert "different speakers" not in line.inner_text()
    box = page.get_by_role("combobox", name=f"Speaker of quote {quote.pk}")
    box.click()
    box.press_sequentially("reye", delay=30)
    item.get_by_role("group", name="Other shared speakers").get_by_role("option", name="Tom Reyes").click()
    page.locator("#annotate-messages li.success", has_text="speaker “Tom Reyes” now").wait_for()
    quote.refresh_from_db()
    assert quote.speaker == reyes and quote.cluster.speakers_disagree is True
    item.locator(".cluster-line .cluster-disagree").wait_for()
    assert line.inner_text().endswith("· the articles name different speakers")
    box = page.get_by_role("combobox", name=f"Speaker of quote {quote.pk}")
    box.click()
    box.press_sequentially("vasq", delay=30)
    item.get_by_role("option", name="Helena Vasquez").first.click()
    page.locator("#annotate-messages li.success", has_text="speaker “Helena Vasquez” now").wait_for()
    item.locator(".cluster-line .cluster-disagree").wait_for(state="detached")
    assert "different speakers" not in item.locator(".cluster-line").inner_text()
    assert page.script_errors == []


def test_a_colleagues_speaker_shown_after_a_refused_correction_brings_the_clusters_disagreement(
    annotate_page, editor, desk
):
    """Someone else gave the quote another speaker after the page was loaded: the refused correction shows
    their version, and the cluster line what their speaker makes of the cluster."""
    from corpus.services import quote_correct

    _, article = desk
    reyes = Speaker.objects.create(name="Tom Reyes", description="councillor")
    quote = next(q for q in article.quotes.all() if "We cannot wait" in q.exact)
    page = annotate_page(editor, article)
    item = page.locator(f'#annotate-sidebar .side-quote[data-quote-id="{quote.pk}"]')
    item.locator(".cluster-line").wait_for()
    assert item.locator(".cluster-line .cluster-disagree").count() == 0
    colleague = UserFactory(username="colleague", is_staff=True, groups=["Editor"])
    quote_correct(quote=quote, expected_version=quote.version, user=colleague, speaker=reyes)
    box = page.get_by_role("combobox", name=f"Speaker of quote {quote.pk}")
    box.click()
    item.get_by_role("option", name="unknown speaker").click()
    page.locator(
        "#annotate-messages li.warning", has_text=f"someone else corrected quote {quote.pk}"
    ).wait_for()
    item.locator(".cluster-line .cluster-disagree").wait_for()
    assert page.script_errors == []


def test_suggestions_become_claims_or_are_dismissed_with_one_key_or_a_click(annotate_page, editor, desk):
    _, article = desk
    page = annotate_page(editor, article)
    items = page.locator(".side-suggestion")
    items.first.wait_for()
    texts = [t.split("\n")[0] for t in items.all_inner_texts()]
    assert texts[:3] == [FERRY, EUROS, JOBS], texts
    _assert_no_serious_violations(page)

    # Keyboard: on the first suggestion, X dismisses it and the focus moves to the next one.
    page.locator(".side-suggestion .suggestion-jump").first.focus()
    page.keyboard.press("x")
    page.locator(".side-suggestion", has_text="Ferry traffic").wait_for(state="detached")
    assert CheckWorthyDismissal.objects.get(article=article).text == FERRY
    assert "4.2 million euros" in page.evaluate("document.activeElement.textContent")
    # C makes the focused one a claim: a span annotation tagged "claim", and the claim on it.
    page.keyboard.press("c")
    page.locator(".side-claim", has_text="4.2 million euros").wait_for()
    claim = Claim.objects.get(article=article)
    assert claim.text == EUROS
    assert claim.annotation.exact == EUROS and [t.slug for t in claim.annotation.tags.all()] == ["claim"]
    assert "12 percent" in page.evaluate("document.activeElement.textContent")

    # Mouse: the same with a click.
    page.locator(".side-suggestion", has_text="12 percent").locator(".suggestion-dismiss").click()
    page.locator(".side-suggestion", has_text="12 percent").wait_for(state="detached")
    assert CheckWorthyDismissal.objects.filter(article=article).count() == 2

    # The dismissals are kept: a reload suggests neither again, nor the sentence already a claim.
    page.reload()
    page.wait_for_selector("#annotate-root[data-ready=true]")
    remaining = " ".join(page.locator(".side-suggestion").all_inner_texts())
    assert "Ferry" not in remaining and "12 percent" not in remaining and "4.2 million" not in remaining
    assert page.script_errors == []


def test_annotate_screen_with_claims_clusters_and_suggestions_screenshot(
    annotate_page, editor, factchecker, desk
):
    _, article = desk
    claim = _claim_on(article, editor, JOBS)
    claim = services.claim_update(
        claim=claim, expected_version=1, user=editor, claimant=Speaker.objects.get(name="Helena Vasquez")
    )
    services.factcheck_create(
        claim=claim,
        author=editor,
        verdict="mostly_false",
        rationale="The office's figure is 9.8 percent.",
        evidence=[
            {
                "url": "https://stats.example/2023",
                "title": "Unemployment 2023",
                "publisher": "Statistics Office",
                "accessed": "2024-03-10",
            }
        ],
    )
    page = annotate_page(editor, article)
    page.locator(".cluster-line").first.wait_for()
    _assert_no_serious_violations(page)
    _screenshot(page, "annotate-claims-clusters-suggestions")
    # The sidebar scrolls on its own: the quotes with their cluster line, further down.
    page.locator(".cluster-line").first.scroll_into_view_if_needed()
    _screenshot(page, "annotate-quotes-clusters")


def test_messages_show_beside_the_action_when_the_page_is_scrolled(annotate_page, editor, desk):
    _, article = desk
    page = annotate_page(editor, article)
    page.set_viewport_size({"width": 1400, "height": 600})
    last = page.locator(".side-suggestion .suggestion-dismiss").last
    last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 0
    near = last.bounding_box()
    last.click()
    _toast_beside(page, near)
    assert "it is not suggested again" in page.locator(".annotate-toast").inner_text()
