"""The work queue in Chromium: Start, "Done, next article" through an editor's queue to its end, the
progress on the way, and a half-written note that is not lost to the button without a question."""

from __future__ import annotations

import pytest

from annotations import work_queue
from annotations.models import Assignment
from tests.browser.helpers import SELECT_PASSAGE, leave_and_refuse
from tests.browser.test_accessibility import _screenshot
from tests.factories import ArticleFactory, TagFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _state(article, editor) -> str:
    return Assignment.objects.get(article=article, assignee=editor).state


def test_done_next_article_walks_the_queue_to_its_end(annotate_page, live_server, editor, factchecker):
    articles = [ArticleFactory() for _ in range(3)]
    work_queue.assignments_create(article_ids=[a.pk for a in articles], assignee=editor, user=factchecker)
    page = annotate_page(editor, articles[0])
    bar = page.locator("#queue-bar")
    assert "0 of 3 done" in bar.inner_text() and "this article is New" in bar.inner_text()

    bar.get_by_role("button", name="Start").click()
    page.wait_for_selector("#annotate-root[data-ready=true]")
    assert "this article is In Progress" in page.locator("#queue-bar").inner_text()
    assert _state(articles[0], editor) == "in_progress"

    for index, following in enumerate(articles[1:], start=1):
        page.locator("#queue-bar .queue-next").click()
        page.wait_for_url(f"{live_server.url}/admin/corpus/article/{following.pk}/annotate/")
        page.wait_for_selector("#annotate-root[data-ready=true]")
        assert f"{index} of 3 done" in page.locator("#queue-bar").inner_text()
        assert _state(articles[index - 1], editor) == "done"
        assert f"Next in your queue: {following}" in page.locator(".messagelist").first.inner_text()

    page.locator("#queue-bar .queue-next").click()
    page.wait_for_url(f"{live_server.url}/admin/annotations/assignment/?mine=1")
    assert "that was the last article in your queue" in page.locator(".messagelist").inner_text()
    assert [_state(a, editor) for a in articles] == ["done", "done", "done"]
    _screenshot(page, "work-queue-done")
    assert page.script_errors == []


def test_done_next_asks_before_a_half_written_note_is_lost(annotate_page, editor, factchecker):
    TagFactory(slug="claim", name="claim", colour="#ffb74d")
    first, second = ArticleFactory(), ArticleFactory()
    work_queue.assignments_create(article_ids=[first.pk, second.pk], assignee=editor, user=factchecker)
    page = annotate_page(editor, first)
    page.evaluate(SELECT_PASSAGE, "the plan")
    page.locator("#annotate-panel .note-input").fill("Half a thought")
    asked = leave_and_refuse(page, lambda: page.locator("#queue-bar .queue-next").click())
    assert asked == ["beforeunload"]
    assert page.locator("#annotate-panel .note-input").input_value() == "Half a thought"
    assert _state(first, editor) == "new"
