"""Review means approving a version: a verdict is published only as a second person read it, and
a published one stays public, as approved, while it is revised."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from annotations import services
from annotations.models import Annotation, FactCheck
from tests.api.conftest import client_for
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/annotations/factcheckinreview/"


@pytest.fixture
def people(db) -> dict:
    return {
        "ed1": UserFactory(username="ed1", is_staff=True, groups=["Editor"]),
        "fc1": UserFactory(username="fc1", is_staff=True, groups=["Fact-checker"]),
        "fc2": UserFactory(username="fc2", is_staff=True, groups=["Fact-checker"]),
    }


def _submitted(author, verdict: str = "true", annotation=None) -> FactCheck:
    article = annotation.article if annotation else ArticleFactory()
    claim = services.claim_create(
        article=article, text="The harbour was built in 1850.", created_by=author, annotation=annotation
    )
    fact_check = services.factcheck_create(claim=claim, author=author, verdict=verdict, rationale="Records.")
    return services.factcheck_submit(fact_check=fact_check, expected_version=1, user=author)


def _confirmation(client, fact_check: FactCheck, action: str = "publish_selected") -> dict[str, str]:
    """Open the action's confirmation page and return the versions it carries, as a browser would."""
    page = client.post(QUEUE, {"action": action, "_selected_action": [fact_check.pk]}).content.decode()
    field = f'name="version-{fact_check.pk}" value="'
    assert field in page, page[:3000]
    version = page.split(field, 1)[1].split('"', 1)[0]
    return {f"version-{fact_check.pk}": version}


def _approve(client, fact_check: FactCheck, versions: dict[str, str]):
    return client.post(
        QUEUE,
        {"action": "publish_selected", "_selected_action": [fact_check.pk], "apply": "1", **versions},
        follow=True,
    )


# --- Reproduction 4 -------------------------------------------------------------------------------


def test_the_admin_approves_only_the_version_the_reviewer_read(client, people):
    fact_check = _submitted(people["ed1"], verdict="true")
    client.force_login(people["fc1"])
    read = _confirmation(client, fact_check)  # fc1 reads "true"
    assert (
        "true"
        in client.post(
            QUEUE, {"action": "publish_selected", "_selected_action": [fact_check.pk]}
        ).content.decode()
    )

    # the author changes the verdict through the API meanwhile
    author = client_for(people["ed1"])
    url = f"/api/fact-checks/{fact_check.pk}/"
    etag = author.get(url)["ETag"]
    changed = author.patch(url, {"verdict": "false"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content

    page = _approve(client, fact_check, read).content.decode()
    assert "was changed by someone else" in page
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.status, fresh.verdict, fresh.reviewer) == ("in_review", "false", None)

    # read again, the new verdict is approved as read
    page = _approve(client, fact_check, _confirmation(client, fact_check)).content.decode()
    assert "1 fact-check(s) published." in page
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.status, fresh.verdict, fresh.reviewer) == ("published", "false", people["fc1"])


def test_a_reviewer_who_changes_the_verdict_cannot_approve_it(client, people):
    fact_check = _submitted(people["ed1"], verdict="true")
    client.force_login(people["fc1"])
    response = client.post(
        f"/admin/annotations/factcheck/{fact_check.pk}/change/",
        {"verdict": "false", "rationale": "Records.", "evidence": "[]", "expected_version": 2},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert fresh.verdict == "false" and list(fresh.co_authors.all()) == [people["fc1"]]

    page = _approve(client, fact_check, _confirmation(client, fact_check)).content.decode()
    assert "co-author" in page
    assert FactCheck.objects.get(pk=fact_check.pk).status == "in_review"

    # nor through the API
    reviewer = client_for(people["fc1"])
    url = f"/api/fact-checks/{fact_check.pk}/"
    etag = reviewer.get(url)["ETag"]
    assert reviewer.post(url + "publish/", HTTP_IF_MATCH=etag).status_code == 403
    # a reviewer who changes it through the API becomes a co-author as well
    fc2 = client_for(people["fc2"])
    patched = fc2.patch(url, {"rationale": "Better records."}, format="json", HTTP_IF_MATCH=etag)
    assert patched.status_code == 200, patched.content
    assert fc2.post(url + "publish/", HTTP_IF_MATCH=patched["ETag"]).status_code == 403

    # the second person who changed nothing approves it
    third = UserFactory(username="fc3", groups=["Fact-checker"])
    assert client_for(third).post(url + "publish/", HTTP_IF_MATCH=patched["ETag"]).status_code == 200
    assert FactCheck.objects.get(pk=fact_check.pk).reviewer == third


def test_a_send_back_names_the_version_too(client, people):
    fact_check = _submitted(people["ed1"])
    client.force_login(people["fc1"])
    read = _confirmation(client, fact_check, "send_back_selected")
    services.factcheck_update(
        fact_check=fact_check, expected_version=2, user=people["ed1"], rationale="More."
    )
    client.post(
        QUEUE,
        {
            "action": "send_back_selected",
            "_selected_action": [fact_check.pk],
            "apply": "1",
            "comment": "c",
            **read,
        },
    )
    assert FactCheck.objects.get(pk=fact_check.pk).status == "in_review"


# --- Reproduction 5 -------------------------------------------------------------------------------


def _public(client, fact_check: FactCheck) -> str:
    response = client.get(f"/fact-checks/{fact_check.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _claimreview(fact_check: FactCheck) -> dict:
    from django.test import Client

    response = Client().get(f"/fact-checks/{fact_check.pk}/")
    body = response.content.decode()
    return json.loads(body.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])


def test_a_published_fact_check_stays_public_while_it_is_revised(client, people, tmp_path):
    fact_check = _submitted(people["ed1"], verdict="false")
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=people["fc1"])
    client.force_login(people["ed1"])
    response = client.post(
        f"/admin/annotations/factcheck/{fact_check.pk}/change/",
        {"verdict": "mostly_false", "rationale": "Newer records.", "evidence": "[]", "expected_version": 3},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.status, fresh.verdict, fresh.revision_status) == ("published", "false", "in_review")

    # the public page, its ClaimReview and the exports keep the approved version
    page = _public(client, fact_check)
    assert "Verdict: False" in page and "Newer records" not in page
    review = _claimreview(fact_check)
    assert review["reviewRating"]["alternateName"] == "False" and "dateModified" not in review
    anonymous = client_for(None).get(f"/api/fact-checks/{fact_check.pk}/").json()
    assert (anonymous["verdict"], anonymous["revision"]) == ("false", None)
    target = tmp_path / "dataset.jsonl"
    call_command("export", "--format", "jsonl", "--output", str(target), stdout=StringIO())
    exported = [json.loads(line) for line in target.read_text().splitlines() if line.strip()]
    checks = [c["fact_check"] for a in exported for c in a["claims"] if c["fact_check"]]
    assert [(c["verdict"], c["status"]) for c in checks] == [("false", "published")]

    # the revision is in the queue, with the writer's edit in the form
    client.force_login(people["fc2"])
    assert "The harbour was built" in client.get(QUEUE).content.decode()
    form = client.get(f"{QUEUE}{fact_check.pk}/change/").content.decode()
    assert "Newer records." in form
    page = _approve(client, fact_check, _confirmation(client, fact_check)).content.decode()
    assert "1 fact-check(s) published." in page
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.status, fresh.verdict, fresh.revision, fresh.reviewer) == (
        "published",
        "mostly_false",
        None,
        people["fc2"],
    )
    page = _public(client, fact_check)
    assert "Verdict: Mostly false" in page and "Newer records." in page and "updated" in page
    review = _claimreview(fact_check)
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["dateModified"] == fresh.modified_at.date().isoformat()


# --- Reproduction 7 -------------------------------------------------------------------------------


def test_the_highlight_of_a_published_claim_stays_until_the_fact_check_is_withdrawn(client, people):
    highlight = AnnotationFactory(author=people["ed1"])
    fact_check = _submitted(people["ed1"], annotation=highlight)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=people["fc1"])

    client.force_login(people["ed1"])
    page = client.post(
        f"/admin/annotations/annotation/{highlight.pk}/delete/", {"post": "yes"}, follow=True
    ).content.decode()
    assert "withdraw the fact-check" in page
    assert Annotation.objects.filter(pk=highlight.pk).exists()
    api = client_for(people["ed1"])
    url = f"/api/annotations/{highlight.pk}/"
    refused = api.delete(url, HTTP_IF_MATCH=api.get(url)["ETag"])
    assert refused.status_code == 400 and "withdraw" in refused.content.decode()
    assert Annotation.objects.filter(pk=highlight.pk).exists()

    # a reviewer withdraws it, with a reason the history keeps; then the highlight may go
    reviewer = client_for(people["fc2"])
    check_url = f"/api/fact-checks/{fact_check.pk}/"
    etag = reviewer.get(check_url)["ETag"]
    assert (
        reviewer.post(check_url + "withdraw/", {"reason": ""}, format="json", HTTP_IF_MATCH=etag).status_code
        == 400
    )
    withdrawn = reviewer.post(
        check_url + "withdraw/", {"reason": "Wrong passage."}, format="json", HTTP_IF_MATCH=etag
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "draft"
    assert client.get(f"/fact-checks/{fact_check.pk}/").status_code == 404
    history = FactCheck.objects.get(pk=fact_check.pk).history.first()
    assert (history.history_user, history.review_comment) == (people["fc2"], "Withdrawn: Wrong passage.")
    assert api.delete(url, HTTP_IF_MATCH=api.get(url)["ETag"]).status_code == 204


# --- The review screen ----------------------------------------------------------------------------


def test_the_review_screen_shows_what_is_approved_and_approves_that_version(
    client, people, django_assert_num_queries
):
    highlight = AnnotationFactory(author=people["ed1"])
    fact_check = _submitted(people["ed1"], verdict="false", annotation=highlight)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=people["fc1"])
    services.factcheck_update(
        fact_check=fact_check,
        expected_version=3,
        user=people["ed1"],
        verdict="mostly_false",
        rationale="Newer.",
    )
    url = f"{QUEUE}{fact_check.pk}/review/"
    client.force_login(people["fc2"])
    assert f'href="{url}"' in client.get(QUEUE).content.decode()
    client.get(url)  # warm the per-process caches (content types, templates)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    words = highlight.article.text[highlight.start : highlight.end]
    assert f"<mark>{words}</mark>" in page
    assert "The harbour was built in 1850." in page and "Verdict: <strong>mostly_false</strong>" in page
    assert "-verdict: false" in page and "+verdict: mostly_false" in page and "+  Newer." in page
    assert 'name="version" value="4"' in page

    # the writer changes it again: the version shown is refused, nothing is published
    services.factcheck_update(
        fact_check=fact_check, expected_version=4, user=people["ed1"], rationale="Newest."
    )
    page = client.post(url, {"version": 4, "decision": "approve"}, follow=True).content.decode()
    assert "was changed by someone else" in page
    assert FactCheck.objects.get(pk=fact_check.pk).verdict == "false"
    response = client.post(url, {"version": 5, "decision": "approve"})
    assert response.status_code == 302
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.verdict, fresh.rationale, fresh.reviewer) == ("mostly_false", "Newest.", people["fc2"])


def test_the_review_screen_sends_back_and_refuses_the_writers(client, people):
    fact_check = _submitted(people["ed1"])
    url = f"{QUEUE}{fact_check.pk}/review/"
    client.force_login(people["ed1"])
    assert client.get(url).status_code == 403  # an editor is no reviewer
    client.force_login(people["fc1"])
    page = client.get(url).content.decode()
    assert "Never published before." in page
    page = client.post(
        url, {"version": 2, "decision": "send_back", "comment": " "}, follow=True
    ).content.decode()
    assert "say what needs to change" in page
    client.post(url, {"version": 2, "decision": "send_back", "comment": "Cite it."})
    fresh = FactCheck.objects.get(pk=fact_check.pk)
    assert (fresh.status, fresh.review_comment) == ("draft", "Cite it.")


def test_the_approval_page_costs_the_same_for_one_or_many(client, people, django_assert_num_queries):
    checks = [_submitted(people["ed1"]) for _ in range(4)]
    client.force_login(people["fc1"])

    def confirm(selected):
        return client.post(
            QUEUE, {"action": "publish_selected", "_selected_action": [c.pk for c in selected]}
        )

    confirm(checks[:1])  # warm the per-process caches
    with django_assert_num_queries(7):
        one = confirm(checks[:1]).content.decode()
    with django_assert_num_queries(7):
        many = confirm(checks).content.decode()
    assert one.count('name="version-') == 1 and many.count('name="version-') == 4
    assert "Records." in many and "ed1" in many


def test_the_highlight_of_a_published_claim_keeps_its_place_and_status(people):
    highlight = AnnotationFactory(author=people["ed1"], status="published")
    fact_check = _submitted(people["ed1"], annotation=highlight)
    services.factcheck_publish(fact_check=fact_check, expected_version=2, user=people["fc1"])
    with pytest.raises(ValidationError, match="withdraw the fact-check"):
        services.annotation_update(
            annotation=highlight, expected_version=1, user=people["ed1"], status="rejected"
        )
    with pytest.raises(ValidationError, match="withdraw the fact-check"):
        services.annotation_update(
            annotation=highlight, expected_version=1, user=people["ed1"], start=0, end=highlight.end
        )
    # its note and tags may still change
    services.annotation_update(
        annotation=highlight, expected_version=1, user=people["ed1"], note="more context"
    )
    assert Annotation.objects.get(pk=highlight.pk).status == "published"
