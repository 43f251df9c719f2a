"""Re-processing keeps editors' work: corrected and verified quotes, editor-set roles, annotations."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from annotations import services as annotation_services
from annotations.models import Annotation
from corpus.models import Article, Quote, Speaker
from corpus.services import paragraph_set_role, quote_correct
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Harbour repairs approved\n"
    "The city council voted on Tuesday to spend more on the harbour.\n"
    '"We cannot wait another winter," said council chair Helena Vasquez.\n'
    '"The pier is older than all of us," she said.\n'
    '"It is a waste of money," said opposition leader Tom Reyes.\n'
)


def _setup():
    article = ArticleFactory(body=BODY)
    quotes = list(article.quotes.filter(kind="direct").order_by("start"))
    assert len(quotes) == 3, [(q.kind, q.text) for q in article.quotes.all()]
    return article, quotes


def test_reprocess_keeps_corrections_verified_quotes_roles_and_annotations(tmp_path):
    article, (vasquez, pier, reyes) = _setup()
    editor = UserFactory(groups=["Editor"])
    other = Speaker.objects.create(name="Somebody Else")
    quote_correct(quote=pier, expected_version=pier.version, user=editor, speaker=other)
    quote_correct(quote=reyes, expected_version=reyes.version, user=editor, verified=True)
    on_quote = annotation_services.annotation_create(
        article=article, author=editor, target="quote", quote=vasquez, note="check this"
    )
    span = annotation_services.annotation_create(
        article=article, author=editor, start=0, end=7, note="headline"
    )
    paragraph = article.paragraphs.get(position=1)
    paragraph_set_role(paragraph=paragraph, expected_version=1, role="standfirst")
    Article.objects.filter(pk=article.pk).update(pipeline_version="0")
    machine_before = set(Quote.objects.filter(article=article).values_list("pk", flat=True))

    call_command("reprocess", "--outdated", verbosity=0)

    article.refresh_from_db()
    assert article.pipeline_version != "0"
    survivors = set(Quote.objects.filter(article=article).values_list("pk", flat=True))
    # the corrected, the verified and the annotated quotes are the same rows; the rest were replaced
    assert {pier.pk, reyes.pk, vasquez.pk} <= survivors
    assert Quote.objects.get(pk=pier.pk).speaker == other
    assert Quote.objects.get(pk=reyes.pk).verified
    assert Annotation.objects.filter(pk__in=[on_quote.pk, span.pk]).count() == 2
    assert article.paragraphs.get(position=1).role == "standfirst"
    # no span is stored twice
    spans = list(Quote.objects.filter(article=article).values_list("start", "end", "kind"))
    assert len(spans) == len(set(spans))
    assert machine_before & survivors >= {pier.pk, reyes.pk, vasquez.pk}


def test_reprocess_is_idempotent_and_refuses_bad_arguments():
    article, _ = _setup()
    before = list(Quote.objects.filter(article=article).values_list("start", "end", "kind", "speaker__name"))
    call_command("reprocess", str(article.pk), verbosity=0)
    call_command("reprocess", "--all", verbosity=0)
    after = list(Quote.objects.filter(article=article).values_list("start", "end", "kind", "speaker__name"))
    assert sorted(before, key=str) == sorted(after, key=str)
    with pytest.raises(CommandError, match="one of them"):
        call_command("reprocess")
    with pytest.raises(CommandError, match="No article with id 999"):
        call_command("reprocess", "999")


def _state() -> list:
    from corpus.models import Paragraph

    paragraphs = list(
        Paragraph.objects.order_by("article_id", "position").values_list("article_id", "role", "rule")
    )
    quotes = sorted(
        Quote.objects.values_list("article_id", "start", "end", "kind", "speaker__name", "cue"), key=str
    )
    return [paragraphs, quotes]


def test_reprocess_in_worker_processes_gives_what_one_process_gives_and_sums_up(tmp_path, capsys):
    import json

    from bench.generate import articles
    from corpus.models import Paragraph

    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in articles(30, seed=4)))
    call_command("ingest", str(path), verbosity=0)
    ingested = _state()
    paragraphs = Paragraph.objects.count()

    def outdated() -> None:
        """What an older pipeline would have left: other rule names, one role off, no machine quotes."""
        Paragraph.objects.update(rule="older-rule")
        first = Paragraph.objects.filter(role="body").order_by("id").first()
        Paragraph.objects.filter(pk=first.pk).update(role="caption")
        Quote.objects.all().delete()
        Article.objects.update(pipeline_version="0")

    outdated()
    call_command("reprocess", "--outdated", "--jobs", "1", verbosity=0)
    one_process = _state()
    outdated()
    capsys.readouterr()
    call_command("reprocess", "--outdated", "--jobs", "2")
    out = capsys.readouterr().out

    assert _state() == one_process
    assert one_process[0] == ingested[0] and len(one_process[1]) == len(ingested[1])
    assert "30 article(s) re-processed" in out and "2 process(es)" in out and "0 failed" in out
    assert f"Paragraphs: 1 role(s) changed, {paragraphs - 1:,} kept their role under a renamed rule" in out
    assert "article " not in out.split("re-processed")[0]  # no line per article without -v 2


def test_a_renamed_rule_is_reported_as_such_not_as_a_changed_role(capsys):
    from corpus.models import Paragraph

    article, _ = _setup()
    paragraph = article.paragraphs.exclude(rule="editor").order_by("position").first()
    Paragraph.objects.filter(pk=paragraph.pk).update(rule="a-rule-since-renamed")
    capsys.readouterr()
    call_command("reprocess", str(article.pk), verbosity=2)
    out = capsys.readouterr().out
    assert (
        f"article {article.pk}: 0 paragraph role(s) changed, 1 paragraph(s) with the same role under a "
        "renamed rule, " in out
    )
    assert "Paragraphs: 0 role(s) changed, 1 kept their role under a renamed rule." in out
    paragraph.refresh_from_db()
    assert paragraph.rule != "a-rule-since-renamed"


def test_a_quote_found_again_as_it_is_keeps_its_row_and_writes_no_history(capsys):
    """Re-processing rewrites only what changed: the rows of quotes the pipeline finds again stay (their
    pipeline version brought up to date), with no history row for a delete and an insert."""
    from corpus.ingest.pipeline import PIPELINE_VERSION

    article, _ = _setup()
    call_command("reprocess", str(article.pk), verbosity=0)  # with the speaker directory, as a run has it
    rows = sorted(article.quotes.values_list("pk", "start", "end", "kind", "speaker_id", "continues_id"))
    history = Quote.history.count()
    Article.objects.filter(pk=article.pk).update(pipeline_version="0")
    Quote.objects.filter(article=article).update(pipeline_version="0")
    call_command("reprocess", "--outdated")
    assert (
        sorted(article.quotes.values_list("pk", "start", "end", "kind", "speaker_id", "continues_id")) == rows
    )
    assert Quote.history.count() == history
    assert set(article.quotes.values_list("pipeline_version", flat=True)) == {PIPELINE_VERSION}
    assert f"0 replaced by 0, {len(rows)} unchanged, 0 kept." in capsys.readouterr().out


def test_only_the_quotes_that_changed_are_replaced_and_continuations_follow_them(capsys):
    _setup()
    call_command("reprocess", "--all", verbosity=0)  # with the speaker directory, as a run has it
    article = Article.objects.get()
    vasquez, pier, reyes = article.quotes.filter(kind="direct").order_by("start")
    # What an older pipeline would have stored: another cue on the first quote, which the second continues.
    Quote.objects.filter(pk=vasquez.pk).update(cue="whispered")
    continued = Quote.objects.get(pk=pier.pk).continues_id == vasquez.pk
    deletes = Quote.history.filter(history_type="-").count()
    call_command("reprocess", str(article.pk), verbosity=2)
    out = capsys.readouterr().out
    after = {q.pk: q for q in article.quotes.all()}
    assert reyes.pk in after and vasquez.pk not in after
    (fresh,) = [q for q in after.values() if (q.start, q.end) == (vasquez.start, vasquez.end)]
    assert fresh.cue == vasquez.cue
    replaced = 2 if continued else 1  # a continuation of a replaced quote is replaced with it
    assert f"{replaced} machine quote(s) replaced by {replaced}" in out
    assert Quote.history.filter(history_type="-").count() == deletes + replaced
    if continued:
        (second,) = [q for q in after.values() if (q.start, q.end) == (pier.start, pier.end)]
        assert second.continues_id == fresh.pk
    else:
        assert pier.pk in after


def _rows() -> list:
    """Every stored row re-processing may touch, with its id."""
    from corpus.models import Paragraph

    quotes = Quote.objects.order_by("id").values_list(
        "id", "article_id", "paragraph_id", "kind", "start", "end", "exact", "anchor", "anchor_score",
        "continues_id", "speaker_id", "speaker_mention", "cue", "via_id", "confidence", "rule", "origin",
        "verified", "corrected_by_id", "cluster_id", "pipeline_version", "version",
    )  # fmt: skip
    paragraphs = Paragraph.objects.order_by("id").values_list("id", "article_id", "position", "role", "rule")
    articles = Article.objects.order_by("id").values_list(
        "id", "title", "standfirst", "byline", "pipeline_version", "updated_at"
    )
    speakers = Speaker.objects.order_by("id").values_list("id", "name", "kind", "description", "article_id")
    annotations = Annotation.objects.order_by("id").values_list("id", "start", "end", "quote_id", "rule")
    return [list(rows) for rows in (quotes, paragraphs, articles, speakers, annotations)]


def _generated(tmp_path, count: int, seed: int):
    import json

    from bench.generate import articles

    path = tmp_path / f"generated-{seed}.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in articles(count, seed=seed)))
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reprocess_right_after_ingest_changes_nothing(tmp_path, capsys, jobs):
    """Ingest and re-processing make the same rows from the same text, whatever the speaker registry
    held when each ran: re-processing what was just ingested rewrites nothing and writes no history."""
    from tests.conftest import SEEDS

    call_command("ingest", str(SEEDS), verbosity=0)
    call_command("ingest", str(_generated(tmp_path, 40, seed=7)), verbosity=0)
    before, history = _rows(), Quote.history.count()
    quotes = len(before[0])
    capsys.readouterr()
    call_command("reprocess", "--all", "--jobs", jobs)
    out = capsys.readouterr().out
    after = _rows()
    for old, new in zip(before, after, strict=True):
        assert [row for row in new if row not in old] == [] and len(new) == len(old)
    assert Quote.history.count() == history
    assert "42 article(s) re-processed" in out and "42 unchanged, 0 failed" in out
    assert f"Machine quotes: 0 replaced by 0, {quotes:,} unchanged, 0 kept." in out


def _outdate() -> None:
    """What an older pipeline would have left, the same whatever the rows' ids: other rule names, one
    role off, every third article without machine quotes, every fifth quote with another cue."""
    from corpus.models import Paragraph

    Paragraph.objects.exclude(rule="editor").update(rule="older-rule")
    first = Paragraph.objects.filter(role="body").order_by("article_id", "position").first()
    Paragraph.objects.filter(pk=first.pk).update(role="caption")
    articles = list(Article.objects.order_by("id").values_list("pk", flat=True))
    machine = Quote.objects.filter(origin="machine", verified=False, corrected_by=None, annotations=None)
    machine.filter(article_id__in=articles[::3]).delete()
    spans = list(machine.order_by("article_id", "start", "end", "kind").values_list("pk", flat=True))
    Quote.objects.filter(pk__in=spans[::5]).update(cue="whispered")
    Article.objects.update(pipeline_version="0")


def _canonical(history_after: int) -> list:
    """The corpus as re-processing leaves it, ids aside: spans, speakers, continuations, and the history
    written after the history row ``history_after``."""
    from corpus.models import Paragraph

    spans = {q.pk: (q.article_id, q.start, q.end, q.kind) for q in Quote.objects.all()}
    quotes = sorted(
        (
            spans[q.pk],
            q.speaker.name if q.speaker else None,
            q.via.name if q.via else None,
            q.speaker_mention,
            q.cue,
            q.confidence,
            q.rule,
            q.origin,
            q.verified,
            q.pipeline_version,
            spans.get(q.continues_id),
        )
        for q in Quote.objects.select_related("speaker", "via")
    )
    paragraphs = list(
        Paragraph.objects.order_by("article_id", "position").values_list("article_id", "role", "rule")
    )
    speakers = sorted(Speaker.objects.values_list("name", "kind", "description", "article_id"), key=str)
    history = sorted(
        Quote.history.filter(history_id__gt=history_after).values_list(
            "history_type", "article_id", "start", "end", "kind", "cue"
        )
    )
    return [quotes, paragraphs, speakers, history]


def test_reprocess_in_batches_gives_what_one_article_at_a_time_gives(tmp_path):
    """Many articles per transaction, or one: the same rows, the same history, editors' work kept."""
    from corpus.selectors import speaker_directory
    from corpus.services import batch_reprocess
    from tests.conftest import SEEDS

    call_command("ingest", str(SEEDS), verbosity=0)
    call_command("ingest", str(_generated(tmp_path, 45, seed=11)), verbosity=0)
    editor = UserFactory(groups=["Editor"])
    corrected, verified, annotated = Quote.objects.filter(kind="direct").order_by("id")[:3]
    quote_correct(quote=corrected, expected_version=corrected.version, user=editor, speaker=Speaker.objects.create(name="Somebody Else"))  # fmt: skip
    quote_correct(quote=verified, expected_version=verified.version, user=editor, verified=True)
    annotation_services.annotation_create(
        article=annotated.article, author=editor, target="quote", quote=annotated, note="check"
    )
    paragraph = Article.objects.order_by("id").last().paragraphs.get(position=1)
    paragraph_set_role(paragraph=paragraph, expected_version=1, role="standfirst")
    pks = list(Article.objects.order_by("id").values_list("pk", flat=True))

    def run(batch_size: int) -> tuple[list, list]:
        _outdate()
        history = Quote.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
        results = list(batch_reprocess(pks=pks, directory=speaker_directory(), batch_size=batch_size))
        said = [(r.article.pk, r.message, r.changed) for r in results]
        return _canonical(history), said

    one_by_one, said_one = run(batch_size=1)
    batched, said_batched = run(batch_size=20)
    assert batched == one_by_one
    assert said_batched == said_one  # per article: the same counts, the same message
    assert {corrected.pk, verified.pk, annotated.pk} <= set(Quote.objects.values_list("pk", flat=True))
    assert Quote.objects.get(pk=corrected.pk).speaker.name == "Somebody Else"
    assert paragraph.article.paragraphs.get(position=1).role == "standfirst"
    assert sum(changed for _, _, changed in said_batched) == len(pks)  # every article had a rule renamed
    assert any(", 0 machine quote(s)" not in message for _, message, _ in said_batched)


def test_a_replaced_quote_leaves_a_deletion_row_with_every_field_it_had_in_the_order_of_the_quotes():
    from django.utils import timezone

    article, _ = _setup()
    call_command("reprocess", "--all", verbosity=0)
    Quote.objects.filter(article=article).update(cue="whispered", pipeline_version="0")
    history = Quote.history.model
    fields = [field.attname for field in history.tracked_fields]
    stored = list(Quote.objects.filter(article=article).values_list(*fields))  # in the model's order
    last = Quote.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    started = timezone.now()
    call_command("reprocess", str(article.pk), verbosity=0)
    rows = Quote.history.filter(history_id__gt=last, history_type="-").order_by("history_id")
    assert [tuple(getattr(row, name) for name in fields) for row in rows] == stored
    assert {(row.history_user_id, row.history_change_reason) for row in rows} == {(None, None)}
    assert len({row.history_date for row in rows}) == 1 and rows[0].history_date >= started


def test_the_deletion_rows_of_a_reprocess_run_in_a_request_name_its_user():
    from types import SimpleNamespace

    from simple_history.models import HistoricalRecords

    article, _ = _setup()
    editor = UserFactory(groups=["Editor"])
    Quote.objects.filter(article=article).update(cue="whispered", pipeline_version="0")
    HistoricalRecords.context.request = SimpleNamespace(user=editor)
    try:
        call_command("reprocess", str(article.pk), verbosity=0)
    finally:
        del HistoricalRecords.context.request
    users = set(Quote.history.filter(history_type="-").values_list("history_user_id", flat=True))
    assert users == {editor.pk}
