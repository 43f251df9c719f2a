"""A quotation over several paragraphs is one quote per paragraph, linked by ``continues``: a corrected
speaker goes to the whole chain, and what an editor set on a link of its own stays."""

from __future__ import annotations

import pytest

from corpus.models import Quote, Speaker
from corpus.services import quote_correct
from corpus.versioning import StaleVersion
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

# The coach's quotation runs over three paragraphs; the referee's is a quote of its own.
LINES = [
    "Coach loses patience",
    "The home side lost again on Sunday.",
    '"We had them in the fourth quarter," Ortega said. "We stopped defending.',
    '"You cannot do that against a team like this.',
    '"We will train on Monday."',
    '"It was a fair result," said referee Ann Kim.',
]


def _chain():
    """The article, the quotes of the coach's quotation in order, and the other quotes."""
    article = ArticleFactory(body="\n".join(LINES) + "\n")
    linked, single = [], []
    for q in article.quotes.filter(kind="direct").order_by("start"):
        (linked if q.continues_id is not None or q.continuations.exists() else single).append(q)
    assert len(linked) >= 3, [(q.text, q.continues_id) for q in linked + single]
    assert len({q.speaker_id for q in linked}) == 1
    return article, linked, single


def _speakers(quotes) -> list[int | None]:
    return [Quote.objects.get(pk=q.pk).speaker_id for q in quotes]


@pytest.mark.parametrize("corrected", [0, 1, -1], ids=["head", "middle", "tail"])
def test_a_new_speaker_goes_to_the_whole_chain_from_any_link(corrected):
    _, chain, others = _chain()
    editor = UserFactory(groups=["Editor"])
    other_speakers = _speakers(others)
    versions = {q.pk: q.version for q in chain}
    coach = Speaker.objects.create(name="Luis Ortega", description="head coach")

    quote = chain[corrected]
    quote_correct(quote=quote, expected_version=quote.version, user=editor, speaker=coach)

    assert _speakers(chain) == [coach.pk] * len(chain)
    assert _speakers(others) == other_speakers  # quotes outside the chain are not touched
    for q in Quote.objects.filter(pk__in=versions):
        assert q.version == versions[q.pk] + 1
        assert q.corrected_by == editor
        # each link has its own history record of the change, by the editor
        assert q.history.first().speaker_id == coach.pk
        assert q.history.first().history_user == editor


def test_a_link_an_editor_gave_its_own_speaker_keeps_it():
    _, chain, _ = _chain()
    editor = UserFactory(groups=["Editor"])
    coach = Speaker.objects.create(name="Luis Ortega")
    assistant = Speaker.objects.create(name="Assistant Coach")
    tail = chain[-1]
    quote_correct(quote=tail, expected_version=tail.version, user=editor, speaker=assistant)
    # the tail led: the rest of the chain followed it
    assert _speakers(chain) == [assistant.pk] * len(chain)

    middle = Quote.objects.get(pk=chain[1].pk)
    quote_correct(quote=middle, expected_version=middle.version, user=editor, speaker=None)
    assert _speakers(chain) == [None] * len(chain)

    # now the head alone is set apart, then the tail is corrected: the head keeps its own speaker
    head = Quote.objects.get(pk=chain[0].pk)
    Quote.objects.filter(pk=head.pk).update(speaker=coach)
    tail = Quote.objects.get(pk=chain[-1].pk)
    quote_correct(quote=tail, expected_version=tail.version, user=editor, speaker=assistant)
    assert _speakers(chain) == [coach.pk] + [assistant.pk] * (len(chain) - 1)


def test_kind_and_verified_stay_with_the_one_quote():
    _, chain, _ = _chain()
    editor = UserFactory(groups=["Editor"])
    head = chain[0]
    quote_correct(quote=head, expected_version=head.version, user=editor, kind="partial", verified=True)
    rest = Quote.objects.filter(pk__in=[q.pk for q in chain[1:]])
    assert {(q.kind, q.verified, q.version) for q in rest} == {("direct", False, 1)}


def test_a_stale_correction_changes_no_link():
    _, chain, _ = _chain()
    editor = UserFactory(groups=["Editor"])
    coach = Speaker.objects.create(name="Luis Ortega")
    before = _speakers(chain)
    head = chain[0]
    with pytest.raises(StaleVersion):
        quote_correct(quote=head, expected_version=head.version + 1, user=editor, speaker=coach)
    assert _speakers(chain) == before
    assert set(Quote.objects.filter(pk__in=[q.pk for q in chain]).values_list("version", flat=True)) == {1}


def test_a_new_speaker_chosen_in_the_admin_goes_to_the_whole_chain(client):
    """The admin's change form corrects through the same service: the form's values are not taken for
    what the quote was, so the rest of the quotation follows."""
    _, chain, others = _chain()
    other_speakers = _speakers(others)
    client.force_login(UserFactory(is_staff=True, groups=["Editor"]))
    coach = Speaker.objects.create(name="Luis Ortega", description="head coach")
    quote = chain[0]
    response = client.post(
        f"/admin/corpus/quote/{quote.pk}/change/",
        {"kind": quote.kind, "speaker": coach.pk, "expected_version": quote.version},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _speakers(chain) == [coach.pk] * len(chain)
    assert _speakers(others) == other_speakers
