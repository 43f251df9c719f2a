"""The public fact-check page in a real browser: a ``javascript:`` URL stored before URLs were checked
is shown as text, never as a link that runs script on the app's origin when clicked."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import FactCheck
from corpus.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCRIPT = "javascript:alert(document.domain)"
CONTROL_LINK = """() => {
  const link = document.createElement("a");
  link.id = "control-link";
  link.href = "javascript:alert('control')";
  link.textContent = "control";
  document.body.append(link);
}"""


def test_a_stored_script_url_is_not_a_link_on_the_public_page(browser, live_server):
    editor = UserFactory(username="writer", groups=["Editor"])
    checker = UserFactory(username="checker", groups=["Fact-checker"])
    article = ArticleFactory(title="Harbour budget")
    claim = services.claim_create(article=article, text="Spending doubled.", created_by=editor)
    good = {"url": "https://example.org/budget", "title": "Budget", "publisher": "", "accessed": ""}
    fact_check = services.factcheck_create(claim=claim, author=editor, verdict="false", evidence=[good])
    services.factcheck_submit(fact_check=fact_check, expected_version=1, user=editor)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=checker)
    # Past the checks, as data stored before them would be.
    bad = {"url": SCRIPT, "title": "Click me", "publisher": "", "accessed": ""}
    FactCheck.objects.filter(pk=fact_check.pk).update(evidence=[good, bad])
    Article.objects.filter(pk=article.pk).update(url=SCRIPT)

    page = browser.new_context().new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(f"{live_server.url}/fact-checks/{fact_check.pk}/")
    assert response is not None and response.status == 200
    links = page.eval_on_selector_all("a", "(as) => as.map((a) => a.href)")
    assert links == ["https://example.org/budget"], links
    # The words are there, as text: clicking them does nothing. Rather than sleeping, a control link
    # with a script URL is clicked last and its alert waited for: a script the clicks above had started
    # would have shown its alert first.
    page.get_by_text("Click me").click()
    page.get_by_text("Harbour budget").click()
    page.evaluate(CONTROL_LINK)
    with page.expect_event("dialog"):
        page.locator("#control-link").click()
    assert dialogs == ["control"]
    assert page.url == f"{live_server.url}/fact-checks/{fact_check.pk}/"
