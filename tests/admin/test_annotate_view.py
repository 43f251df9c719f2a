"""The annotate screen: who reaches it, the data it embeds (code-point offsets), and its query count."""

from __future__ import annotations

import json
import re

import pytest

from annotations import services
from annotations.annotate import annotate_page_data
from annotations.models import Annotation
from annotations.palette import QUOTE_COLOUR, SPAM_COLOUR
from corpus.models import Article, Quote, Speaker
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

# Emoji outside the BMP (two UTF-16 units each), a ZWJ family, Hangul syllables and the spam token.
UNICODE_BODY = (
    "Harbour 🌊 repairs: council says 네 to the plan\n"
    "The council 👩‍👩‍👧 voted on Tuesday to spend more on the harbour 🚢 and its 부두.\n"
    '"We cannot wait another winter 🥶," said council chair Helena Vasquez.\n'
    "Opponents said the plan was rushed at 토토사이트 study session 😀 last week.\n"
)

DATA = re.compile(r'<script id="annotate-data" type="application/json">(.*?)</script>', re.S)


def _url(article: Article) -> str:
    return f"/admin/corpus/article/{article.pk}/annotate/"


def _page_data(response) -> dict:
    match = DATA.search(response.content.decode())
    assert match, "the page embeds its data as JSON"
    return json.loads(match.group(1))


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_staff=True, groups=["Editor"])


@pytest.fixture
def article():
    return ArticleFactory(body=UNICODE_BODY)


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_page_renders_for_staff_who_may_view_articles(client, article, editor, who):
    user = editor if who == "editor" else UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get(_url(article))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="annotate-article"' in content
    assert "annotations/annotate.js" in content and "annotations/annotate.css" in content
    assert f'href="/admin/corpus/article/{article.pk}/change/"' in content  # breadcrumbs back to the article
    data = _page_data(response)
    assert data["user"] == {"id": user.pk, "username": user.username, "is_superuser": user.is_superuser}
    assert data["can"]["add_annotation"] is True
    assert data["can"]["review_factcheck"] is (who == "superuser")


def test_anonymous_is_sent_to_the_login_page(client, article):
    response = client.get(_url(article))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_signed_in_user_who_is_not_staff_is_sent_to_the_login_page(client, article):
    client.force_login(UserFactory(username="outsider", groups=["Editor"]))
    response = client.get(_url(article))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_view_permission_is_refused(client, article):
    client.force_login(UserFactory(username="intern", is_staff=True))
    assert client.get(_url(article)).status_code == 403


def test_unknown_article_is_not_found(client, editor):
    client.force_login(editor)
    assert client.get("/admin/corpus/article/999999/annotate/").status_code == 404


def test_viewer_reads_but_is_not_offered_writes(client, article):
    client.force_login(UserFactory(username="viewer", is_staff=True, groups=["Viewer"]))
    response = client.get(_url(article))
    assert response.status_code == 200
    can = _page_data(response)["can"]
    assert not any(can.values()), can


def test_data_offsets_are_code_points_into_the_article_text(client, article, editor):
    text = article.text
    passage = "👩‍👩‍👧 voted"
    start = text.index(passage)
    # The passage sits after astral characters: UTF-16 offsets would differ from code points here.
    assert len(text[:start].encode("utf-16-le")) // 2 != start
    services.annotation_create(
        article=article,
        author=editor,
        start=start,
        end=start + len(passage),
        tags=[TagFactory(slug="framing").slug],
    )
    services.annotation_create(article=article, author=editor, target="article", note="whole piece")
    client.force_login(editor)
    data = _page_data(client.get(_url(article)))

    assert data["article"]["text"] == text
    assert data["paragraphs"], "the article has paragraphs"
    for paragraph, stored in zip(data["paragraphs"], article.paragraphs.order_by("position"), strict=True):
        assert (paragraph["start"], paragraph["end"]) == (stored.start, stored.end)
        assert text[paragraph["start"] : paragraph["end"]] == stored.text
    assert data["quotes"], "the pipeline found the quote"
    stored_quotes = {q.pk: q.text for q in article.quotes.all()}
    for quote in data["quotes"]:
        assert text[quote["start"] : quote["end"]] == stored_quotes[quote["id"]]
    assert any("🥶" in text[q["start"] : q["end"]] for q in data["quotes"])
    spans = [a for a in data["annotations"] if a["target"] == "span"]
    assert {a["exact"] for a in spans} >= {passage, "토토사이트"}
    for annotation in spans:
        assert text[annotation["start"] : annotation["end"]] == annotation["exact"]
    spam = next(a for a in spans if a["exact"] == "토토사이트")
    assert spam["origin"] == "machine" and data["spam_tag"] in spam["tags"]
    mine = next(a for a in spans if a["exact"] == passage)
    assert (mine["start"], mine["end"], mine["author"], mine["version"]) == (
        start,
        start + len(passage),
        "editor",
        1,
    )
    assert any(a["target"] == "article" and a["start"] is None for a in data["annotations"])


def test_tags_carry_hierarchical_names_and_colours(client, article, editor):
    parent = TagFactory(slug="framing", name="framing", colour="#90caf9")
    TagFactory(slug="framing-wolf-warrior", name="wolf-warrior diplomacy", parent=parent, colour="#64b5f6")
    client.force_login(editor)
    tags = {t["slug"]: t for t in _page_data(client.get(_url(article)))["tags"]}
    assert tags["framing-wolf-warrior"]["path"] == "framing › wolf-warrior diplomacy"
    assert tags["framing-wolf-warrior"]["colour"] == "#64b5f6"


def test_a_tag_keeps_its_stored_colour_beside_the_one_the_screen_draws(client, article, editor):
    # Stored in the quote mark's colour: the screen draws it in another, the API's field keeps the stored.
    TagFactory(slug="framing", name="framing", colour=QUOTE_COLOUR)
    client.force_login(editor)
    tags = {t["slug"]: t for t in _page_data(client.get(_url(article)))["tags"]}
    assert tags["framing"]["colour"] == QUOTE_COLOUR
    assert tags["framing"]["display_colour"] not in {QUOTE_COLOUR, SPAM_COLOUR}
    assert tags["framing"]["shortcut"] == "1"


def test_user_text_is_escaped_in_the_page(client, article, editor):
    note = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
    services.annotation_create(article=article, author=editor, target="article", note=note)
    client.force_login(editor)
    content = client.get(_url(article)).content.decode()
    assert note not in content
    assert "<script>window.__xss" not in content
    annotations = _page_data(client.get(_url(article)))["annotations"]
    assert next(a for a in annotations if a["target"] == "article")["note"] == note


def _orphan(annotation: Annotation) -> None:
    """What re-anchoring does when a new revision no longer has the annotation's words."""
    Annotation.objects.filter(pk=annotation.pk).update(anchor="orphaned", start=None, end=None)


def test_orphans_are_in_the_page_data_with_null_offsets(client, article, editor):
    passage = "네 to the plan"
    start = article.text.index(passage)
    orphan = services.annotation_create(
        article=article, author=editor, start=start, end=start + len(passage), note="gone 🌊"
    )
    _orphan(orphan)
    placed = services.annotation_create(article=article, author=editor, start=0, end=7, note="kept")
    client.force_login(editor)
    response = client.get(_url(article))
    assert response.status_code == 200
    assert 'id="annotate-article"' in response.content.decode()
    by_id = {a["id"]: a for a in _page_data(response)["annotations"]}
    got = by_id[orphan.pk]
    assert (got["start"], got["end"], got["exact"], got["anchor"]) == (None, None, passage, "orphaned")
    assert (got["note"], got["author"], got["version"]) == ("gone 🌊", "editor", orphan.version)
    assert (by_id[placed.pk]["start"], by_id[placed.pk]["end"], by_id[placed.pk]["anchor"]) == (0, 7, "")


# --- The speakers a quote's speaker can be corrected to ------------------------------------------------


def test_page_data_offers_the_speakers_of_the_article(client, article, editor):
    quote = article.quotes.get()
    vasquez = quote.speaker
    assert (vasquez.name, vasquez.article_id) == ("Helena Vasquez", None)  # shared, found by the pipeline
    relay = Speaker.objects.create(name="Harbour Gazette", kind="organization")
    Quote.objects.filter(pk=quote.pk).update(via=relay)
    insider = Speaker.objects.create(
        name="<script>window.__xss=1</script> insider", kind="anonymous", article=article
    )
    other_article = ArticleFactory(body='Other\n"Elsewhere," said the official.\n')
    Speaker.objects.create(name="a bystander", kind="anonymous", article=other_article)  # not ours
    Speaker.objects.create(name="Unused Shared")  # found by searching, not offered up front
    client.force_login(editor)
    response = client.get(_url(article))
    data = _page_data(response)

    assert data["speakers"] == [
        {
            "id": insider.pk,
            "name": insider.name,
            "kind": "anonymous",
            "description": "",
            "article": article.pk,
            "version": 1,
        },
        {
            "id": relay.pk,
            "name": "Harbour Gazette",
            "kind": "organization",
            "description": "",
            "article": None,
            "version": 1,
        },
        {
            "id": vasquez.pk,
            "name": "Helena Vasquez",
            "kind": vasquez.kind,
            "description": vasquez.description,
            "article": None,
            "version": vasquez.version,
        },
    ]
    assert data["quotes"][0]["speaker_id"] == vasquez.pk
    assert data["api"]["speakers"] == "/api/speakers/"
    assert data["admin"]["speaker_add"] == "/admin/corpus/speaker/add/"
    assert data["can"]["change_quote"] is True and data["can"]["add_speaker"] is True
    assert "<script>window.__xss" not in response.content.decode()  # the name is escaped in the JSON


def test_page_data_takes_one_query_for_the_speakers_whatever_their_number(editor, django_assert_num_queries):
    body = "Long title\n" + "\n".join(f'"Quote {i}," said Speaker Number{i}. It goes on.' for i in range(6))
    article = ArticleFactory(body=body)
    quotes = list(article.quotes.order_by("start"))
    assert len({quote.speaker_id for quote in quotes}) == 6
    for i, quote in enumerate(quotes[:3]):
        local = Speaker.objects.create(name=f"source {i}", kind="anonymous", article=article)
        Quote.objects.filter(pk=quote.pk).update(speaker=local)
    Speaker.objects.create(name="source without quote", kind="anonymous", article=article)
    editor.get_all_permissions()  # the permissions are cached on the user, as in a request
    # Paragraphs, quotes, annotations, claims, tags, the check-worthy dismissals, and (+1, on purpose) the
    # speakers local to the article.
    with django_assert_num_queries(7):
        data = annotate_page_data(article=article, user=editor)
    assert len(data["speakers"]) == 3 + 3 + 1
