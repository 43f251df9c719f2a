"""The exports are built from plain rows as they stream; these tests hold them to what the model
instances say, byte for byte, on a corpus with every case (orphans, every target, several tags or none,
machine annotations, escapes, drafts, claims without a fact-check), and through every block boundary."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC

import pytest
from django.core.management import call_command
from django.db.models import Prefetch

from annotations import services, w3c
from annotations.exports import dataset, tables
from annotations.exports.claimreview import rating
from annotations.exports.selection import ExportOptions, Selection
from annotations.models import Annotation, CheckWorthyDismissal, Claim, FactCheck
from config.site import site_url
from corpus.models import Anchor, Article, Paragraph, Quote, Speaker
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db

ODD_NOTE = 'café “q” ☃ 😀 \u2028 line\nnext\ttab \x01 </script> back\\slash "quoted"'
VARIANTS = [
    [],
    ["--include-drafts"],
    ["--include-orphans", "--include-drafts"],
    ["--text", "none"],
    ["--anonymize-authors"],
    ["--tag", "claim"],
]


@pytest.fixture
def varied(corpus):
    """The export corpus, plus one of every case the rows have to get right."""
    first, second = corpus.articles
    for slug in ("zeta", "alpha", "mid"):
        TagFactory(slug=slug)
    quotes = list(second.quotes.exclude(start=None).order_by("start"))
    paragraphs = list(second.paragraphs.order_by("position"))
    several = services.annotation_create(
        article=second,
        author=corpus.editor,
        start=paragraphs[1].start,
        end=paragraphs[1].start + 10,
        tags=["zeta", "claim", "alpha", "mid"],
        note=ODD_NOTE,
        status="published",
    )
    same_span = services.annotation_create(
        article=second,
        author=corpus.reviewer,
        start=several.start,
        end=several.end,
        tags=["zeta"],
        status="published",
    )
    machine = services.annotation_create(
        article=first, target="article", tags=["mid"], origin="machine", rule="r-7", status="published"
    )
    orphan = services.annotation_create(
        article=second,
        author=corpus.editor,
        start=paragraphs[3].start,
        end=paragraphs[3].start + 5,
        tags=["alpha"],
        note="lost its place",
        status="published",
    )
    Annotation.objects.filter(pk=orphan.pk).update(anchor=Anchor.ORPHANED, start=None, end=None)
    Quote.objects.filter(pk=quotes[-1].pk).update(anchor=Anchor.ORPHANED, start=None, end=None)
    relaying = Speaker.objects.exclude(pk=quotes[0].speaker_id).filter(article__isnull=True).first()
    Quote.objects.filter(pk=quotes[1].pk).update(
        via=relaying, continues=quotes[0], speaker=None, verified=True, origin="editor", cue="said"
    )
    Article.objects.filter(pk=first.pk).update(source=None, title="Zürich “x” 😀\t")
    services.claim_create(article=second, text="A claim nobody checked.", created_by=corpus.editor)
    services.claim_create(
        article=second, text="On the machine's note.", created_by=corpus.editor, annotation=same_span
    )
    FactCheck.objects.filter(pk=corpus.fact_check.pk).update(
        evidence=[{"url": "https://example.org/ü", "extra": 1}, {"title": "T", "accessed": "2021"}]
    )
    # Dismissed suggestions, in the order made, not of their words.
    CheckWorthyDismissal.objects.create(
        article=second, text="Zoning rose 9% in 2023.", dismissed_by=corpus.editor
    )
    CheckWorthyDismissal.objects.create(
        article=second, text="Arrivals fell 4%.", dismissed_by=corpus.reviewer
    )
    # One whose words are in the text, after characters outside ASCII: its offsets are code points.
    last = paragraphs[-1]
    assert not second.text[: last.start].isascii()
    CheckWorthyDismissal.objects.create(
        article=second, text=second.text[last.start : last.end], dismissed_by=corpus.editor
    )
    return {"several": several, "machine": machine, "orphan": orphan}


# --- The instances' view: the records as the export made them from model instances. ---


def _span_key(item) -> tuple:
    return (-1 if item.start is None else item.start, -1 if item.end is None else item.end, item.pk)


def _rfc3339(value):
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dismissal_span(text: str, words: str) -> dict:
    """Where the dismissed words first are in the article's text, in code points (null when not there)."""
    at = text.find(words)
    return {"start": None, "end": None} if at < 0 else {"start": at, "end": at + len(words)}


def _fact_check_of(claim):
    try:
        return claim.fact_check
    except Claim.fact_check.RelatedObjectDoesNotExist:
        return None


def _reference_records(options: ExportOptions) -> list[dict]:
    selection = Selection(options)
    articles = selection.articles.select_related("source").prefetch_related(
        Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
        Prefetch("quotes", queryset=selection.quotes.select_related("speaker", "via")),
        Prefetch(
            "annotations",
            queryset=selection.annotations.select_related("author", "paragraph").prefetch_related("tags"),
        ),
        Prefetch(
            "claims",
            queryset=selection.claims.select_related(
                "claimant", "fact_check__author", "fact_check__reviewer"
            ),
        ),
        Prefetch(
            "checkworthy_dismissals",
            queryset=CheckWorthyDismissal.objects.select_related("dismissed_by").order_by("id"),
        ),
    )
    records = []
    for article in articles:
        text = article.text if options.with_text else None
        paragraphs = list(article.paragraphs.all())
        positions = {p.pk: p.position for p in paragraphs}
        quotes = sorted(article.quotes.all(), key=_span_key)
        annotations = sorted(article.annotations.all(), key=_span_key)
        claims = []
        for claim in article.claims.all():
            check = _fact_check_of(claim)
            claims.append(
                {
                    "id": claim.pk,
                    "text": claim.text,
                    "claimant": claim.claimant.name if claim.claimant else None,
                    "annotation": claim.annotation_id,
                    "fact_check": check
                    and {
                        "verdict": check.verdict,
                        "rationale": check.rationale,
                        "evidence": [
                            {k: item.get(k, "") for k in ("url", "title", "publisher", "accessed")}
                            for item in check.evidence
                        ],
                        "status": check.status,
                        "author": options.author(check.author.username),
                        "reviewer": options.author(check.reviewer.username if check.reviewer else None),
                        "published_at": _rfc3339(check.published_at),
                    },
                }
            )
        records.append(
            {
                "id": article.pk,
                "url": article.url,
                "source": article.source.name if article.source else None,
                "published_at": _rfc3339(article.published_at),
                "language": article.language,
                "title": article.title if options.with_text else None,
                "content_hash": article.content_hash,
                "text": text,
                "paragraphs": [
                    {
                        "position": p.position,
                        "role": p.role,
                        "rule": p.rule,
                        "start": p.start,
                        "end": p.end,
                        "text": text[p.start : p.end] if text is not None else None,
                    }
                    for p in paragraphs
                ],
                "quotes": [
                    {
                        "id": q.pk,
                        "kind": q.kind,
                        "text": None
                        if text is None
                        else q.exact
                        if q.start is None
                        else text[q.start : q.end],
                        "start": q.start,
                        "end": q.end,
                        "paragraph": positions.get(q.paragraph_id),
                        "continues": q.continues_id,
                        "speaker": q.speaker.name if q.speaker else None,
                        "speaker_kind": q.speaker.kind if q.speaker else None,
                        "speaker_mention": q.speaker_mention,
                        "cue": q.cue,
                        "via": q.via.name if q.via else None,
                        "origin": q.origin,
                        "verified": q.verified,
                        "cluster": q.cluster_id,
                        "cluster_fixed": q.cluster_fixed,
                    }
                    for q in quotes
                ],
                "annotations": [
                    {
                        "id": a.pk,
                        "target": a.target,
                        "paragraph": a.paragraph.position if a.paragraph else None,
                        "quote": a.quote_id,
                        "start": a.start,
                        "end": a.end,
                        "exact": a.exact if options.with_text else None,
                        "tags": sorted(t.slug for t in a.tags.all()),
                        "note": a.note,
                        "status": a.status,
                        "origin": a.origin,
                        "author": options.author(a.author.username if a.author else None),
                        "project": a.project_id,
                        "layer": None if a.project_id is None else ("curated" if a.curated else "annotator"),
                    }
                    for a in annotations
                ],
                "claims": claims,
                "checkworthy_dismissals": [
                    {
                        **_dismissal_span(article.text, d.text),
                        "text": d.text if options.with_text else None,
                        "dismissed_by": options.author(d.dismissed_by.username),
                        "dismissed_at": _rfc3339(d.dismissed_at),
                    }
                    for d in article.checkworthy_dismissals.all()
                ],
            }
        )
    return records


def _options(extra: list[str]) -> ExportOptions:
    return ExportOptions(
        filters={"tag": extra[1]} if extra[:1] == ["--tag"] else {},
        include_drafts="--include-drafts" in extra,
        include_orphans="--include-orphans" in extra,
        text="none" if "--text" in extra else "full",
        anonymize_authors="--anonymize-authors" in extra,
    )


def _export(tmp_path, fmt: str, name: str, *extra: str) -> bytes:
    out = tmp_path / name
    call_command("export", "--format", fmt, "--output", str(out), *extra, verbosity=0)
    return out.read_bytes()


@pytest.mark.parametrize("extra", VARIANTS, ids=lambda extra: " ".join(extra) or "default")
def test_jsonl_lines_are_json_dumps_of_the_instances_records(tmp_path, varied, extra):
    raw = _export(tmp_path, "jsonl", "out.jsonl", *extra)
    expected = "".join(
        json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        for record in _reference_records(_options(extra))
    )
    assert raw.decode("utf-8") == expected
    if not extra:
        assert ODD_NOTE in {a["note"] for line in raw.splitlines() for a in json.loads(line)["annotations"]}
        several = next(
            a
            for line in raw.splitlines()
            for a in json.loads(line)["annotations"]
            if a["id"] == varied["several"].pk
        )
        assert several["tags"] == ["alpha", "claim", "mid", "zeta"]


def test_jsonl_counts_in_the_manifest(tmp_path, varied):
    _export(tmp_path, "jsonl", "out.jsonl", "--include-drafts", "--include-orphans")
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    records = _reference_records(_options(["--include-drafts", "--include-orphans"]))
    assert manifest["counts"] == {
        "articles": len(records),
        "paragraphs": sum(len(r["paragraphs"]) for r in records),
        "quotes": sum(len(r["quotes"]) for r in records),
        "annotations": sum(len(r["annotations"]) for r in records),
        "claims": sum(len(r["claims"]) for r in records),
        "fact_checks": sum(1 for r in records for c in r["claims"] if c["fact_check"]),
        "checkworthy_dismissals": sum(len(r["checkworthy_dismissals"]) for r in records),
        "tags": manifest["counts"]["tags"],
        "speakers": manifest["counts"]["speakers"],
    }


# --- W3C: the export's documents against the API's mapping of the same instances. ---


def _reference_w3c(options: ExportOptions) -> list[dict]:
    from annotations.exports.w3c import _iri_parts, _motivation, _redact_target, contexts

    def iri(name, pk):
        head, tail = _iri_parts(name, site_url())
        return f"{head}{pk}{tail}"

    selection = Selection(options)
    documents = []
    annotations = selection.annotations.select_related("author", "paragraph", "quote").prefetch_related(
        "tags", Prefetch("claims", queryset=selection.claims.select_related("fact_check"))
    )
    for annotation in annotations:
        # The API's mapping of the instance, drafts as the export's options have them, ClaimReview
        # bodies included; only what the options change is done here.
        document = w3c.to_w3c(annotation, drafts=options.include_drafts)
        bodies = document["body"] if isinstance(document["body"], list) else [document["body"]]
        reviews = [b for b in bodies if b.get("type") == "ClaimReview"]
        checks = [(_fact_check_of(claim), claim.text) for claim in annotation.claims.all()]
        expected = [
            (check.pk, text)
            for check, text in checks
            if check is not None and (options.include_drafts or check.status == "published")
        ]
        assert [(iri("api:factcheck-detail", pk), text) for pk, text in expected] == [
            (b["id"], b["claimReviewed"]) for b in reviews
        ]
        for review, (pk, _) in zip(reviews, expected, strict=True):
            check = FactCheck.objects.get(pk=pk)
            assert (review["verdict"], review["reviewRating"]) == (check.verdict, rating(check.verdict))
        assert document["@context"] == contexts()
        assert document["motivation"] == _motivation(bodies)
        document["target"] = _redact_target(document["target"], options)
        creator = document.get("creator", {})
        if creator.get("nickname"):
            document["creator"] = {**creator, "nickname": options.author(creator["nickname"])}
        documents.append(document)
    kinds = {
        "person": "Person",
        "organization": "Organization",
        "group": "Group",
        "anonymous": "AnonymousSource",
    }
    for quote in selection.quotes.select_related("speaker"):
        selectors = []
        if options.with_text and quote.exact:
            selectors.append({"type": "TextQuoteSelector", "exact": quote.exact})
        if quote.start is not None:
            selectors.append({"type": "TextPositionSelector", "start": quote.start, "end": quote.end})
        source = iri("api:article-detail", quote.article_id)
        document = {
            "@context": contexts(),
            "id": iri("api:quote-detail", quote.pk) + "#annotation",
            "type": "Annotation",
            "motivation": "identifying",
            "created": w3c._timestamp(quote.created_at),
            "modified": w3c._timestamp(quote.updated_at),
            "quoteKind": quote.kind,
            "speakerMention": quote.speaker_mention,
            "cue": quote.cue,
            "origin": quote.origin,
            "verified": quote.verified,
        }
        if quote.via_id is not None:
            document["relayedBy"] = iri("api:speaker-detail", quote.via_id)
        if quote.cluster_id is not None:
            document["quoteCluster"] = iri("api:quote-cluster-detail", quote.cluster_id)
        document["clusterFixed"] = quote.cluster_fixed
        if quote.speaker is not None:
            document["body"] = {
                "id": iri("api:speaker-detail", quote.speaker_id),
                "type": kinds[quote.speaker.kind],
                "name": quote.speaker.name,
                "speakerKind": quote.speaker.kind,
                "purpose": "identifying",
            }
        document["target"] = (
            {"type": "SpecificResource", "source": source, "selector": selectors} if selectors else source
        )
        documents.append(document)
    return documents


@pytest.mark.parametrize(
    "extra",
    [[], ["--include-drafts", "--include-orphans", "--text", "none", "--anonymize-authors"]],
    ids=["default", "drafts-orphans-no-text-anonymized"],
)
def test_w3c_items_are_the_api_mapping_of_the_instances(tmp_path, varied, extra):
    raw = _export(tmp_path, "w3c", "out.jsonld", *extra).decode("utf-8")
    _, _, items = raw.partition('"items":[')
    expected = ",\n".join(
        json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in _reference_w3c(_options(extra))
    )
    assert items == "\n" + expected + "\n]}}\n"


# --- The tables agree with the JSONL, whatever the block boundaries. ---


def _csv_tables(raw: bytes) -> dict[str, list[dict]]:
    import csv

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {
            name.rsplit("/", 1)[-1].removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))
            )
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def test_csv_tables_say_what_the_jsonl_says(tmp_path, varied):
    extra = ("--include-drafts", "--include-orphans")
    records = [json.loads(line) for line in _export(tmp_path, "jsonl", "a.jsonl", *extra).splitlines()]
    found = _csv_tables(_export(tmp_path, "csv", "t.zip", *extra))
    quotes = {q["id"]: q for r in records for q in r["quotes"]}
    assert {int(q["id"]): q["text"] for q in found["quotes"]} == {pk: q["text"] for pk, q in quotes.items()}
    assert {int(q["id"]): q["verified"] for q in found["quotes"]} == {
        pk: "true" if q["verified"] else "false" for pk, q in quotes.items()
    }
    paragraphs = {(r["id"], p["position"]): p["text"] for r in records for p in r["paragraphs"]}
    assert {(int(p["article_id"]), int(p["position"])): p["text"] for p in found["paragraphs"]} == paragraphs
    annotations = {a["id"]: a for r in records for a in r["annotations"]}
    assert {int(a["id"]): (a["tags"], a["note"], a["author"]) for a in found["annotations"]} == {
        pk: (";".join(a["tags"]), a["note"], a["author"] or "") for pk, a in annotations.items()
    }


def test_every_format_is_the_same_through_any_block_boundary(tmp_path, varied, monkeypatch):
    """Tiny chunks, blocks and text windows: an annotation's tag rows split across blocks, texts the
    stream has passed fetched again, and still the same bytes."""
    quote = Quote.objects.filter(article=varied["machine"].article).exclude(start=None).first()
    late = Quote.objects.create(  # a higher id on the first article: the texts stream has passed it
        article=quote.article,
        paragraph=quote.paragraph,
        kind=quote.kind,
        start=quote.start,
        end=quote.end,
        exact=quote.exact,
        speaker=quote.speaker,
    )
    extra = ("--include-drafts", "--include-orphans")
    normal = {
        fmt: _export(tmp_path, fmt, f"a-{fmt}.zip", *extra) for fmt in ("csv", "parquet", "w3c", "jsonl")
    }
    monkeypatch.setattr(dataset, "STREAM_SIZE", 2)
    monkeypatch.setattr(tables, "_TEXTS_SIZE", 1)
    for fmt, raw in normal.items():
        tiny = _export(tmp_path, fmt, f"b-{fmt}.zip", *extra, "--chunk-size", "1")
        if fmt == "parquet":  # one row group per chunk: compare the decoded tables
            import pyarrow.parquet as pq

            with zipfile.ZipFile(io.BytesIO(raw)) as a, zipfile.ZipFile(io.BytesIO(tiny)) as b:
                for name in a.namelist():
                    if name.endswith(".parquet"):
                        assert (
                            pq.read_table(io.BytesIO(a.read(name))).to_pylist()
                            == pq.read_table(io.BytesIO(b.read(name))).to_pylist()
                        ), name
        else:
            assert tiny == raw, fmt
    assert str(late.pk) in {q["id"] for q in _csv_tables(normal["csv"])["quotes"]}
