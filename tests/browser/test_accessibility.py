"""axe-core over the editors' screens (the annotate screen with its panel open, the review queue and the
dashboard): no serious or critical violation. Screenshots of each are kept as test artefacts in
var/test-artifacts/ (ignored by git) for a person to look at.

axe-core comes from the axe-playwright-python package (a dev dependency), which ships axe.min.js; the
script is injected from that file, never fetched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from annotations import services, work_queue
from tests.browser.conftest import PASSWORD
from tests.browser.helpers import SELECT_PASSAGE
from tests.factories import TagFactory

try:
    import axe_playwright_python
except ImportError:  # the dev extra is not installed
    axe_playwright_python = None

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}"""


def _axe_script() -> Path:
    if axe_playwright_python is None:
        pytest.skip("axe-playwright-python is not installed: pip install -e '.[dev]'")
    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def _assert_no_serious_violations(page) -> None:
    page.add_script_tag(path=str(_axe_script()))
    found = [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def _screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _sign_in(browser, live_server, user, target: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next={target}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url(f"{live_server.url}{target}")
    return page


@pytest.fixture
def worked_article(article, editor, factchecker):
    framing = TagFactory(slug="framing", name="framing", colour="#90caf9")
    TagFactory(slug="framing-wolf-warrior", name="wolf-warrior diplomacy", parent=framing, colour="#64b5f6")
    TagFactory(slug="claim", name="claim", colour="#ffb74d")
    passage = "voted on Tuesday to spend"
    start = article.text.index(passage)
    annotation = services.annotation_create(
        article=article, author=editor, start=start, end=start + len(passage), tags=["claim"], note="check"
    )
    claim = services.claim_create(article=article, text=passage, created_by=editor, annotation=annotation)
    fact_check = services.factcheck_create(claim=claim, author=factchecker, verdict="mixed", rationale="r")
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=factchecker)
    return article


def test_annotate_screen_has_no_serious_violations(annotate_page, editor, factchecker, worked_article):
    # In the editor's work queue, so that the queue bar is on the screen too.
    work_queue.assignments_create(article_ids=[worked_article.pk], assignee=editor, user=factchecker)
    page = annotate_page(editor, worked_article)
    page.locator("#queue-bar", has_text="0 of 1 done").wait_for()
    _assert_no_serious_violations(page)
    _screenshot(page, "annotate-screen")
    # and with the panel open over a selected passage
    page.evaluate(SELECT_PASSAGE, "the plan")
    page.locator("#annotate-panel").wait_for()
    _assert_no_serious_violations(page)
    _screenshot(page, "annotate-panel")


def test_review_queue_has_no_serious_violations(browser, live_server, factchecker, worked_article):
    target = "/admin/annotations/factcheckinreview/"
    page = _sign_in(browser, live_server, factchecker, target)
    _assert_no_serious_violations(page)
    _screenshot(page, "review-queue")


def test_dashboard_has_no_serious_violations(browser, live_server, editor, worked_article):
    page = _sign_in(browser, live_server, editor, "/admin/dashboard/")
    page.locator("#chart-quality").wait_for()
    _assert_no_serious_violations(page)
    _screenshot(page, "dashboard")
    page = _sign_in(browser, live_server, editor, "/admin/")
    _assert_no_serious_violations(page)
    _screenshot(page, "admin-index")


def test_work_queue_has_no_serious_violations(browser, live_server, editor, factchecker, worked_article):
    work_queue.assignments_create(article_ids=[worked_article.pk], assignee=editor, user=factchecker)
    page = _sign_in(browser, live_server, editor, "/admin/annotations/assignment/?mine=1")
    page.locator("#result_list", has_text="New").wait_for()
    _assert_no_serious_violations(page)
    _screenshot(page, "work-queue")
