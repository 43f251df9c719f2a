# Over 500 lines: matching, the ingest hook, the recounts and the editors' merges and splits all keep
# the same figures of a cluster (size, articles, first appearance, speakers), kept in one module so
# that they cannot drift apart.
"""The same quote across articles: fingerprints, matching and clusters.

Two outlets quoting the same words rarely quote them identically: one trims the start, one puts
"[the minister]" for "he", one writes curly quotation marks, one cuts the middle with an ellipsis, one
quotes a few words of a sentence the other gives whole. The words that survive are runs of the same
tokens, so quotes are compared by their word 3-grams:

1. **Normalize** (``tokens``): NFKC, case-folded, curly apostrophes made straight; an ellipsis or a
   [bracketed insertion] ends a segment, since the words on either side were not next to each other in
   what was said.
2. **Fingerprint** (``fingerprints``): hash every 3-gram of a segment and keep, by winnowing, the
   smallest hash of every window of ``WINDOW`` consecutive ones. Any run of ``MIN_RUN`` tokens that two
   quotes share gives them at least one fingerprint in common, and a quote keeps about a third of its
   3-grams.
3. **Find candidates** through the fingerprint index: a constant number of queries per batch of quotes,
   never a scan of the corpus or a comparison of every pair.
4. **Verify** (``same_words``): the share of the shorter quote's 3-grams that the other has. A partial
   quote inside a longer direct one shares all of its own.

Matched quotes of different articles join one cluster. Each cluster records its first appearance (the
earliest article by publication date, undated ones after every dated one, then by ingest time, then by
quote id, so that articles ingested in one batch without dates still give one answer), its size, and whether its quotes name
different speakers, which is news in itself. Editors merge and split clusters; a quote an editor moved
keeps its place (``Quote.cluster_fixed``): the machine neither moves it nor merges its cluster into
another.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b
from itertools import chain
from operator import attrgetter, itemgetter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, QuerySet, Subquery
from django.db.models.sql.constants import MULTI

from .bulk import UPDATE_ROWS, insert_values, row_type, update_column, update_rows
from .models import Article, Quote, QuoteCluster, QuoteFingerprint, QuoteKind
from .versioning import versioned_update

SHINGLE = 3  # words per hashed n-gram (``shingles`` is written for 3)
WINDOW = 4  # winnowing window, in n-grams (``fingerprints`` is written for 4)
MIN_RUN = SHINGLE + WINDOW - 1  # a shared run of this many tokens always shares a fingerprint
MIN_TOKENS = 6  # shorter quotes are too common to say where else they were said
MIN_SHARED = 4  # 3-grams in common (six words in a row) ...
MIN_CONTAINMENT = 0.75  # ... and this share of the shorter quote's 3-grams
# Earliest appearance first: by the article's publication date (undated last), then by ingest time. The
# cluster's first appearance, its members in the API and the ClaimReview appearances all order by it.
APPEARANCE_ORDER = (F("article__published_at").asc(nulls_last=True), "article__ingested_at", "id")
FINGERPRINT_CAP = 12  # quotes kept per fingerprint: enough to reach a cluster, never the whole corpus
QUERY_CHUNK = 5000  # values in one IN (...) list (SQLite allows 32766 parameters)
CLUSTERED_KINDS = (QuoteKind.DIRECT, QuoteKind.PARTIAL)  # an indirect quote is the writer's words
CLUSTER_PERMISSION = "corpus.change_quote"
CLUSTERING_HOOK = "corpus.clusters.quotes_cluster"  # the ingest hook, when settings.INGEST_HOOKS has it

_BREAK = re.compile(r"\.\s*\.\s*\.|…|\[[^\]]*\]|[()\[\]]")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def tokens(text: str) -> list[list[str]]:
    """The quote's words, case-folded, in segments that an ellipsis or a bracket separates."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    return [found for part in _BREAK.split(text) if (found := _TOKEN.findall(part))]


def _hash(gram: str) -> int:
    # Stable across processes and versions (Python's hash() is salted), signed to fit a BigIntegerField.
    return int.from_bytes(blake2b(gram.encode(), digest_size=8).digest(), "big", signed=True)


def shingles(segments: Sequence[Sequence[str]]) -> list[list[int]]:
    """The hashes of every 3-gram, segment by segment (``_hash`` of each, written out: this runs for
    every quote ingested)."""
    from_bytes = int.from_bytes
    return [
        [
            from_bytes(blake2b(f"{a} {b} {c}".encode(), digest_size=8).digest(), "big", signed=True)
            for a, b, c in zip(segment, segment[1:], segment[2:], strict=False)
        ]
        for segment in segments
        if len(segment) >= SHINGLE
    ]


def fingerprints(hashed: Sequence[Sequence[int]]) -> set[int]:
    """Winnowing: the smallest hash of each window of ``WINDOW`` consecutive 3-grams (a segment shorter
    than the window gives its smallest)."""
    chosen: set[int] = set()
    for segment in hashed:
        if len(segment) <= WINDOW:
            chosen.add(min(segment))
            continue
        chosen.update(map(min, segment, segment[1:], segment[2:], segment[3:]))
    return chosen


@dataclass(frozen=True, slots=True)
class Shape:
    """What matching needs of one quote's words."""

    grams: frozenset[int]
    prints: frozenset[int]

    @classmethod
    def of(cls, text: str) -> Shape | None:
        return _shape_of(text)


@lru_cache(maxsize=1 << 13)
def _shape_of(text: str) -> Shape | None:
    # Remembered by text (a Shape is immutable): the quotes that hold a fingerprint are read again as
    # candidates by every batch that repeats their words, and syndicated copy repeats whole quotes.
    segments = tokens(text)
    if sum(len(s) for s in segments) < MIN_TOKENS:
        return None
    hashed = shingles(segments)
    if not hashed:
        return None
    return Shape(grams=frozenset().union(*hashed), prints=frozenset(fingerprints(hashed)))


def same_words(a: Shape, b: Shape) -> bool:
    """True when the shorter quote's words are, for the most part, the other's."""
    shared = len(a.grams & b.grams)
    if shared < MIN_SHARED:
        return False
    return shared / min(len(a.grams), len(b.grams)) >= MIN_CONTAINMENT


# --- The ingest hook -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Member:
    pk: int
    article_id: int
    cluster_id: int | None
    fixed: bool
    speaker_id: int | None
    appearance: tuple  # sorts as APPEARANCE_ORDER does
    shape: Shape


# What the hook reads of a quote: enough to match it and to keep its cluster's figures.
_MEMBER_FIELDS = (
    "id",
    "article_id",
    "exact",
    "cluster_id",
    "cluster_fixed",
    "speaker_id",
    "article__published_at",
    "article__ingested_at",
)


def _appearance(published_at, ingested_at, pk: int) -> tuple:
    """A quote's place in APPEARANCE_ORDER: dated before undated, then by date, ingest time and id."""
    return (published_at is None, published_at, ingested_at, pk)


def _member(row: tuple) -> _Member | None:
    pk, article_id, exact, cluster_id, fixed, speaker_id, published_at, ingested_at = row
    shape = Shape.of(exact)
    if shape is None:
        return None
    return _Member(
        pk, article_id, cluster_id, fixed, speaker_id, _appearance(published_at, ingested_at, pk), shape
    )


def _member_rows(quotes: QuerySet) -> list[tuple]:
    """``quotes.values_list(*_MEMBER_FIELDS)``: the same one query and the same values, with each column's
    conversion from what the database returns (a date from SQLite's text, say) done once per distinct
    value rather than once per row. The quotes of an article share its dates, and the articles of a batch
    their ingest time, while Django's SQLite conversion of a date costs more than the rest of the row."""
    compiler = quotes.values_list(*_MEMBER_FIELDS).query.get_compiler(quotes.db)
    chunks = compiler.execute_sql(MULTI)
    converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
    if not converters:
        return [tuple(row) for chunk in chunks for row in chunk]
    connection = compiler.connection
    steps = [
        (position, functions, expression, {}) for position, (functions, expression) in converters.items()
    ]
    rows = []
    for chunk in chunks:
        for row in chunk:
            row = list(row)
            for position, functions, expression, done in steps:
                value = row[position]
                try:
                    row[position] = done[value]
                except KeyError:
                    converted = value
                    for function in functions:
                        converted = function(converted, expression, connection)
                    row[position] = done[value] = converted
            rows.append(tuple(row))
    return rows


FingerprintRow = row_type(QuoteFingerprint, "quote", "value")


def _chunks(values: Sequence, size: int = QUERY_CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def quotes_cluster(*, items: Sequence[tuple[Article, object]]) -> None:
    """Ingest hook: fingerprint the articles' quotes and put each in the cluster of the quotes of other
    articles that have the same words.

    Called inside the batch's transaction with the articles just written (or re-processed, or revised);
    a fixed number of queries per chunk of quotes, whatever the size of the corpus, and work that does
    not grow with the clusters joined: their figures follow from the joining quotes alone. Batched
    ingestion places its new articles' quotes before writing them (``quotes_cluster_unwritten``).
    """
    _cluster_new_quotes([article.pk for article, _ in items])


def quotes_cluster_unwritten(
    *, items: Sequence[tuple[Article, object]], rows: Sequence[tuple]
) -> tuple[dict[int, int], Callable[[], None]]:
    """Batched ingestion's clustering, before the quote rows of its new articles are written (``rows``:
    every quote row of these articles, which are new, as it will be inserted, ``QuoteRow``: id, article,
    kind, start, exact, speaker; taken instead of read back, in id order). The same work as
    ``quotes_cluster``, but each new quote's cluster is returned, to be written in its row, rather than
    set by an UPDATE of every row just written (on PostgreSQL a second version of each row, in every
    index of the table). Returns those clusters (quote id -> cluster id) and the
    recounts that read the clusters' members, to be called once the rows are written.

    The rows that the clusters and fingerprints written here point to are written later in the same
    transaction: the foreign keys are checked at commit."""
    new = _new_members(items, rows)
    unwritten = _Unwritten(quotes=new.keys())
    _cluster(new, new_articles=[article.pk for article, _ in items], unwritten=unwritten)
    return unwritten.clusters, unwritten.recount


def _new_members(items: Sequence[tuple[Article, object]], rows: Sequence[tuple]) -> dict[int, _Member]:
    dates = {article.pk: (article.published_at, article.ingested_at) for article, _ in items}
    new: dict[int, _Member] = {}
    for row in sorted(rows, key=attrgetter("id")):
        if row.kind not in CLUSTERED_KINDS or row.start is None:
            continue
        shape = Shape.of(row.exact)
        if shape is None:
            continue
        published_at, ingested_at = dates[row.article]
        new[row.id] = _Member(
            row.id,
            row.article,
            None,
            False,
            row.speaker,
            _appearance(published_at, ingested_at, row.id),
            shape,
        )
    return new


@dataclass(slots=True)
class _Unwritten:
    """The new quotes are not written yet: where each goes, and the recounts that must wait for them."""

    quotes: Collection[int]  # the quotes not written yet
    clusters: dict[int, int] = field(default_factory=dict)  # quote -> cluster, for its row
    firsts: list[int] = field(default_factory=list)  # clusters whose first appearance is found again
    merged: list[int] = field(default_factory=list)  # clusters that took others in, counted again

    def recount(self) -> None:
        clusters_firsts_recount(self.firsts)
        if self.merged:
            clusters_refresh(ids=self.merged)


def articles_cluster(*, article_ids: Iterable[int], chunk: int = 2000) -> None:
    """The ingest hook's work for articles written another way (an import): their quotes without
    fingerprints get them, and clusters, as if just ingested; ``chunk`` articles at a time."""
    ids = sorted(set(article_ids))
    for part in _chunks(ids, chunk):
        _cluster_new_quotes(list(part))


def _cluster_new_quotes(article_ids: list[int], *, only: Sequence[int] | None = None) -> None:
    # Only the quotes without a fingerprint: a quote that has one was placed when it was written, and
    # keeps its place while its words and speaker stay (re-processing keeps such a quote's row). One
    # query, through the fingerprints' quote index, that returns nothing when nothing is new. ``only``:
    # these quotes of the articles and no others.
    printed = QuoteFingerprint.objects.filter(quote_id=OuterRef("pk"))
    rows = []
    for chunk in _chunks(article_ids):
        quotes = Quote.objects.filter(article_id__in=chunk, kind__in=CLUSTERED_KINDS, start__isnull=False)
        if only is not None:
            quotes = quotes.filter(pk__in=only)
        rows.extend(_member_rows(quotes.exclude(Exists(printed)).order_by()))
    # In id order, whatever order the database returned them in: which quote of a batch keeps a capped
    # fingerprint, and so the fingerprints' ids, must not depend on where rows sit in the table.
    rows.sort(key=itemgetter(0))
    new: dict[int, _Member] = {}
    for row in rows:
        if (member := _member(row)) is not None:
            new[member.pk] = member
    _cluster(new)


def _cluster(
    new: dict[int, _Member], new_articles: Collection[int] = (), unwritten: _Unwritten | None = None
) -> None:
    """Place the ``new`` quotes (none of them fingerprinted yet). ``new_articles``: articles whose quotes
    are all among those just written, none of them clustered before. ``unwritten``: the new quotes' rows
    are not written yet (``quotes_cluster_unwritten``)."""
    if not new:
        return
    # Candidates through the index: the quotes that hold a fingerprint of a new quote. A fingerprint is
    # kept for at most FINGERPRINT_CAP quotes, so words quoted by a thousand articles cost what words
    # quoted by twelve do: the twelve are in the cluster the new quote joins.
    by_print: dict[int, set[int]] = defaultdict(set)
    values = sorted({v for m in new.values() for v in m.shape.prints})
    for chunk in _chunks(values):
        for value, quote_id in QuoteFingerprint.objects.filter(value__in=chunk).values_list(
            "value", "quote_id"
        ):
            by_print[value].add(quote_id)
    stored = []
    for member in new.values():
        for value in sorted(member.shape.prints):
            held = by_print[value]
            if len(held) < FINGERPRINT_CAP:
                stored.append((member.pk, value))
                held.add(member.pk)  # the later quotes of this batch find it too
    # A quote whose words no other has yet writes all its fingerprints (about one per 2.5 words): the
    # hook's largest write on a corpus of new stories, written as rows rather than model instances.
    insert_values(FingerprintRow, stored)
    candidates = {q for ids in by_print.values() for q in ids} - new.keys()
    others: dict[int, _Member] = {}
    for chunk in _chunks(sorted(candidates)):
        for row in sorted(_member_rows(Quote.objects.filter(pk__in=chunk).order_by()), key=itemgetter(0)):
            if (member := _member(row)) is not None:
                others[member.pk] = member
    members = {**others, **new}

    # Union-find over verified pairs of different articles, each pair seen once. Every quote compared
    # with another article's is in ``parent``, matched or not (one left alone is a group of its own).
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while (up := parent[x]) != x:
            parent[x] = parent[up]
            x = parent[x]
        return x

    # Each new quote's best match: where it goes when clusters stay apart.
    best: dict[int, tuple[float, int]] = {}
    # The quotes holding any of a shape's fingerprints, each once, in the order first met: the same for
    # every quote of the same words, as the index does not change in this loop (by id of the shape, which
    # ``members`` keeps alive).
    held_by: dict[int, tuple[int, ...]] = {}
    for quote in new.values():
        pk, article_id, shape = quote.pk, quote.article_id, quote.shape
        grams = shape.grams
        size = len(grams)
        candidates = held_by.get(id(shape))
        if candidates is None:
            candidates = held_by[id(shape)] = tuple(
                dict.fromkeys(chain.from_iterable([by_print[value] for value in shape.prints]))
            )
        root = None  # pk's root once it matched: only this loop joins pk's group to others meanwhile
        for other_pk in candidates:
            other = members.get(other_pk)
            if other is None or other.article_id == article_id:
                continue  # pk itself among them
            parent.setdefault(pk, pk)
            parent.setdefault(other_pk, other_pk)
            if root is not None and (parent[other_pk] == root or root == find(other_pk)):
                continue  # already together through another quote
            # same_words(), written out with the share it counts kept as the score
            other_grams = other.shape.grams
            shared = len(grams & other_grams)
            if shared < MIN_SHARED or shared / min(size, len(other_grams)) < MIN_CONTAINMENT:
                continue
            joined = find(other_pk)
            parent[find(pk) if root is None else root] = joined
            root = joined
            if shared > best.get(pk, (0, 0))[0]:
                best[pk] = (shared, other_pk)
    if not parent:
        return
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in parent:
        groups[find(pk)].append(pk)
    _assign(groups.values(), members, best, new_articles, unwritten)


def _assign(
    groups: Iterable[list[int]],
    members: dict[int, _Member],
    best: dict[int, tuple],
    new_articles: Collection[int] = (),
    unwritten: _Unwritten | None = None,
) -> None:
    """Give every group one cluster. A group that reaches existing clusters joins them; clusters that
    hold a quote an editor placed are never merged by the machine (a new quote joins the one it matches
    best instead). A fixed number of queries for all the groups of a batch."""
    groups = _joined_through_clusters(groups, members)
    reached = sorted({m.cluster_id for g in groups for pk in g if (m := members[pk]).cluster_id is not None})
    locked: set[int] = set()
    for chunk in _chunks(reached):
        # Through the partial index of placed quotes (quote_cluster_fixed_idx): not the clusters' members.
        locked.update(
            Quote.objects.filter(cluster_id__in=chunk, cluster_fixed=True)
            .order_by()
            .values_list("cluster_id", flat=True)
        )
    placements: dict[int, int] = {}  # quote -> cluster id
    fresh: list[list[_Member]] = []  # the quotes of each new cluster
    merges: dict[int, list[int]] = {}  # surviving cluster -> clusters merged into it
    for group in groups:
        clusters = sorted({members[pk].cluster_id for pk in group if members[pk].cluster_id is not None})
        if len(clusters) > 1 and locked.intersection(clusters):
            # Don't undo an editor's split: each unclustered quote goes where its best match is.
            for pk in group:
                if members[pk].cluster_id is None and pk in best:
                    target = members[best[pk][1]].cluster_id
                    if target is not None:
                        placements[pk] = target
            continue
        if not clusters:
            placed = [members[pk] for pk in group if not members[pk].fixed]
            if len({m.article_id for m in placed}) > 1:
                fresh.append(placed)
            continue
        target, rest = clusters[0], clusters[1:]
        if rest:
            merges[target] = rest
        for pk in group:
            if members[pk].cluster_id != target and not members[pk].fixed:
                placements[pk] = target
    made = QuoteCluster.objects.bulk_create([_cluster_of(placed) for placed in fresh])
    for placed, cluster in zip(fresh, made, strict=True):
        for member in placed:
            placements[member.pk] = cluster.pk
    for target, rest in merges.items():
        Quote.objects.filter(cluster_id__in=rest).update(cluster_id=target)
    if merges:
        QuoteCluster.objects.filter(pk__in=[c for rest in merges.values() for c in rest]).delete()
    # One UPDATE ... WHERE id IN (...) per cluster: a CASE per row (bulk_update) is far slower on SQLite.
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for pk, cluster in placements.items():
        if unwritten is not None and pk in unwritten.quotes:
            unwritten.clusters[pk] = cluster  # its row is written with it
        else:
            by_cluster[cluster].append(pk)
    for cluster, quote_ids in sorted(by_cluster.items()):
        for chunk in _chunks(quote_ids):
            update_column(Quote, "cluster", cluster, chunk)
    # The clusters made here were counted from their quotes; a merge is counted again (it is rare, and
    # costs what moving the merged quotes costs); every other cluster takes in its joining quotes.
    made_ids = {cluster.pk for cluster in made}
    joins: dict[int, list[_Member]] = defaultdict(list)
    for pk, cluster in placements.items():
        if cluster not in made_ids and cluster not in merges and members[pk].cluster_id is None:
            joins[cluster].append(members[pk])
    # The clustered quotes of new articles are those just placed.
    placed_new: dict[int, list[tuple[int, int]]] = {article: [] for article in new_articles}
    for pk, cluster in placements.items():
        if (article := members[pk].article_id) in placed_new:
            placed_new[article].append((pk, cluster))
    unknown_first = _clusters_grow(joins, placed_new)
    if unwritten is not None:
        # Both read the clusters' members, the new quotes among them.
        unwritten.firsts.extend(unknown_first)
        unwritten.merged.extend(merges)
        return
    clusters_firsts_recount(unknown_first)
    if merges:
        clusters_refresh(ids=merges)


def _joined_through_clusters(groups: Iterable[list[int]], members: dict[int, _Member]) -> list[list[int]]:
    """The groups, those that reach the same existing cluster (through different members of it: the
    cluster's members are not all read) made one, so that a cluster is merged or joined by one group
    only."""
    groups = [sorted(group) for group in groups]
    parent = list(range(len(groups)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holder: dict[int, int] = {}  # cluster -> the first group that reached it
    for i, group in enumerate(groups):
        for pk in group:
            cluster = members[pk].cluster_id
            if cluster is None:
                continue
            if cluster in holder:
                parent[find(i)] = find(holder[cluster])
            else:
                holder[cluster] = i
    joined: dict[int, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        joined[find(i)].extend(group)
    return [sorted(group) for group in joined.values()]


def _cluster_of(placed: Sequence[_Member]) -> QuoteCluster:
    """A new cluster with its figures, from all its quotes (they are all here)."""
    speakers = {m.speaker_id for m in placed if m.speaker_id is not None}
    return QuoteCluster(
        first_quote_id=min(placed, key=lambda m: m.appearance).pk,
        size=len(placed),
        articles=len({m.article_id for m in placed}),
        speakers_disagree=len(speakers) > 1,
        speaker_id=next(iter(speakers)) if len(speakers) == 1 else None,
    )


_CLUSTER_FIGURES = ["first_quote", "size", "articles", "speakers_disagree", "speaker"]


def _clusters_grow(
    joins: dict[int, list[_Member]], known: Mapping[int, list[tuple[int, int]]] | None = None
) -> list[int]:
    """Existing clusters take in quotes that were in none (already placed in them): each cluster's size,
    articles, first appearance and speakers follow from its row, its first quote's date and the joining
    quotes alone, whatever its size. Three queries for all the clusters of a batch, two when ``known``
    gives the clustered quotes, ``(quote, cluster)``, of every joining article (new articles: their
    quotes were all just placed). Returns the clusters whose earliest quote was deleted, for
    ``clusters_firsts_recount`` once every joining quote is written."""
    if not joins:
        return []
    known = known or {}
    joining = {m.pk for ms in joins.values() for m in ms}
    articles = sorted({m.article_id for ms in joins.values() for m in ms})
    # The joining articles' quotes (read by article, never by cluster): is an article already counted?
    counted: set[tuple[int, int]] = {
        (cluster_id, article_id)
        for article_id in articles
        if article_id in known
        for pk, cluster_id in known[article_id]
        if pk not in joining
    }
    articles = [article_id for article_id in articles if article_id not in known]
    for chunk in _chunks(articles):
        for pk, article_id, cluster_id in (
            Quote.objects.filter(article_id__in=chunk)
            .order_by()
            .values_list("id", "article_id", "cluster_id")
        ):
            if pk not in joining and cluster_id is not None:
                counted.add((cluster_id, article_id))
    changed, unknown_first = [], []
    for chunk in _chunks(sorted(joins)):
        for cluster in QuoteCluster.objects.filter(pk__in=chunk).select_related("first_quote__article"):
            joined = joins[cluster.pk]
            cluster.size += len(joined)
            cluster.articles += len(
                {m.article_id for m in joined if (cluster.pk, m.article_id) not in counted}
            )
            earliest = min(joined, key=lambda m: m.appearance)
            first = cluster.first_quote
            if first is None:
                unknown_first.append(cluster.pk)  # its earliest quote was deleted and not yet replaced
            elif earliest.appearance < _appearance(
                first.article.published_at, first.article.ingested_at, first.pk
            ):
                cluster.first_quote_id = earliest.pk
            for member in joined:
                if member.speaker_id is None or cluster.speakers_disagree:
                    continue
                if cluster.speaker_id is None:
                    cluster.speaker_id = member.speaker_id
                elif cluster.speaker_id != member.speaker_id:
                    cluster.speakers_disagree, cluster.speaker_id = True, None
            changed.append(cluster)
    for chunk in _chunks(changed, UPDATE_ROWS):
        update_rows(chunk, _CLUSTER_FIGURES)
    return unknown_first


def clusters_firsts_recount(ids: Sequence[int]) -> None:
    """Find the first appearance again among all the members: only when the earliest one left."""
    first = Quote.objects.filter(cluster_id=OuterRef("pk")).order_by(*APPEARANCE_ORDER).values("id")[:1]
    for chunk in _chunks(sorted(set(ids))):
        found = list(QuoteCluster.objects.filter(pk__in=chunk).annotate(first=Subquery(first)))
        for cluster in found:
            cluster.first_quote_id = cluster.first
        QuoteCluster.objects.bulk_update(found, ["first_quote"], batch_size=500)


def clusters_speakers_recount(*, ids: Iterable[int]) -> None:
    """Read which speakers the clusters' quotes name again: after a quote's speaker is corrected, speakers
    are merged, or the quote that named the cluster's speaker (or disagreed with it) left."""
    ids = sorted({pk for pk in ids if pk is not None})
    for chunk in _chunks(ids):
        named: dict[int, set[int]] = defaultdict(set)
        for cluster_id, speaker_id in (
            Quote.objects.filter(cluster_id__in=chunk, speaker__isnull=False)
            .order_by()
            .values_list("cluster_id", "speaker_id")
            .distinct()
        ):
            named[cluster_id].add(speaker_id)
        found = list(QuoteCluster.objects.filter(pk__in=chunk))
        for cluster in found:
            speakers = named[cluster.pk]
            cluster.speakers_disagree = len(speakers) > 1
            cluster.speaker_id = next(iter(speakers)) if len(speakers) == 1 else None
        QuoteCluster.objects.bulk_update(found, ["speakers_disagree", "speaker"], batch_size=500)


def clusters_refresh(*, ids: Iterable[int]) -> None:
    """Recount clusters from all their members and find their first appearance again; a cluster left with
    quotes of one article only is dissolved. For editors' merges and splits, machine merges and imports,
    where quotes move in numbers; quotes joining and leaving one by one keep the figures instead
    (``_clusters_grow``, ``quotes_delete``)."""
    ids = sorted(set(ids))
    changed, dissolved = [], []
    first = Quote.objects.filter(cluster_id=OuterRef("pk")).order_by(*APPEARANCE_ORDER).values("id")[:1]
    for chunk in _chunks(ids):
        stats = {
            row["cluster_id"]: row
            for row in Quote.objects.filter(cluster_id__in=chunk)
            .values("cluster_id")
            .annotate(
                size=Count("id"),
                articles=Count("article_id", distinct=True),
                speakers=Count("speaker_id", distinct=True),
                speaker=Min("speaker_id"),
            )
            .order_by()
        }
        for cluster in QuoteCluster.objects.filter(pk__in=chunk).annotate(first=Subquery(first)):
            row = stats.get(cluster.pk)
            if row is None or row["articles"] < 2:
                dissolved.append(cluster.pk)
                continue
            cluster.first_quote_id = cluster.first
            cluster.size, cluster.articles = row["size"], row["articles"]
            cluster.speakers_disagree = row["speakers"] > 1
            cluster.speaker_id = row["speaker"] if row["speakers"] == 1 else None
            changed.append(cluster)
    QuoteCluster.objects.bulk_update(changed, _CLUSTER_FIGURES, batch_size=500)
    _dissolve(dissolved)


def _dissolve(ids: Sequence[int]) -> None:
    for chunk in _chunks(ids):
        Quote.objects.filter(cluster_id__in=chunk).update(cluster=None)
    for chunk in _chunks(ids):
        QuoteCluster.objects.filter(pk__in=chunk).delete()


def clusters_settle(*, ids: Iterable[int]) -> None:
    """Dissolve the clusters left with quotes of one article only (their others taken down or revised
    away), from their kept counts: called once an article's new quotes have been clustered, so words
    replaced by the same words keep their cluster."""
    ids = sorted(set(ids))
    alone = []
    for chunk in _chunks(ids):
        alone.extend(QuoteCluster.objects.filter(pk__in=chunk, articles__lt=2).values_list("pk", flat=True))
    _dissolve(alone)


def cluster_members(quotes) -> list[tuple[int, int, int, int | None]]:
    """``(quote, cluster, article, speaker)`` of the clustered quotes among ``quotes`` (a queryset), read
    before they are deleted, for ``clusters_leave`` after."""
    return list(
        quotes.filter(cluster__isnull=False)
        .order_by()
        .values_list("id", "cluster_id", "article_id", "speaker_id")
    )


def clusters_leave(removed: Sequence[tuple[int, int, int, int | None]]) -> set[int]:
    """The clusters' figures once the ``removed`` quotes (``cluster_members``) are deleted: sizes and
    articles from the leaving quotes; the first appearance found again only when it left, the speakers
    read again only when a leaving quote named the cluster's speaker or one of its disagreeing ones.
    Returns the clusters touched, for ``clusters_settle``."""
    if not removed:
        return set()
    by_cluster: dict[int, list[tuple]] = defaultdict(list)
    for row in removed:
        by_cluster[row[1]].append(row)
    remaining: set[tuple[int, int]] = set()  # read by article, never by cluster
    for chunk in _chunks(sorted({article for _, _, article, _ in removed})):
        remaining.update(
            Quote.objects.filter(article_id__in=chunk).order_by().values_list("cluster_id", "article_id")
        )
    changed, refirst, respeak = [], [], []
    for chunk in _chunks(sorted(by_cluster)):
        for cluster in QuoteCluster.objects.filter(pk__in=chunk):
            gone = by_cluster[cluster.pk]
            cluster.size = max(cluster.size - len(gone), 0)
            lost = {article for _, _, article, _ in gone if (cluster.pk, article) not in remaining}
            cluster.articles = max(cluster.articles - len(lost), 0)
            if cluster.first_quote_id is None or cluster.first_quote_id in {pk for pk, *_ in gone}:
                refirst.append(cluster.pk)
            speakers = {speaker for *_, speaker in gone if speaker is not None}
            if speakers and (cluster.speakers_disagree or cluster.speaker_id in speakers):
                respeak.append(cluster.pk)
            changed.append(cluster)
    QuoteCluster.objects.bulk_update(changed, ["size", "articles"], batch_size=500)
    clusters_firsts_recount(refirst)
    clusters_speakers_recount(ids=respeak)
    return set(by_cluster)


def quotes_delete(*, ids: Sequence[int]) -> set[int]:
    """Delete quotes (re-processing and revisions replace the machine's), keep their clusters' figures,
    and return the clusters they were in, for ``clusters_settle`` once the article's new quotes have been
    clustered: a quote replaced by the same words keeps the cluster going, words that now stand in one
    article no longer make one."""
    removed = []
    for chunk in _chunks(list(ids)):
        removed.extend(cluster_members(Quote.objects.filter(pk__in=chunk)))
        Quote.objects.filter(pk__in=chunk).delete()
    return clusters_leave(removed)


def quote_kind_changed(*, quote: Quote, previous_kind: str) -> None:
    """A quote's kind was corrected: clusters hold quoted words, so a quote that becomes ``indirect`` (the
    writer's words) leaves its cluster, whoever put it there, and gives up its fingerprints, so that no
    later article joins it; the cluster's figures follow, and it is dissolved when one article is left.
    A quote that becomes ``direct`` or ``partial`` is fingerprinted and clustered as an ingested one is,
    when ingestion clusters (``INGEST_HOOKS``); between those two it keeps its place."""
    was, now = previous_kind in CLUSTERED_KINDS, quote.kind in CLUSTERED_KINDS
    if was and not now:
        removed = cluster_members(Quote.objects.filter(pk=quote.pk))
        QuoteFingerprint.objects.filter(quote_id=quote.pk).delete()
        Quote.objects.filter(pk=quote.pk).update(cluster=None, cluster_fixed=False)
        clusters_settle(ids=clusters_leave(removed))
    elif now and not was and CLUSTERING_HOOK in getattr(settings, "INGEST_HOOKS", ()):
        _cluster_new_quotes([quote.article_id], only=[quote.pk])
    else:
        return
    quote.refresh_from_db(fields=["cluster", "cluster_fixed"])


# --- Editors' decisions --------------------------------------------------------------------------


def _may_curate(actor) -> None:
    if not (actor and actor.is_authenticated and actor.has_perm(CLUSTER_PERMISSION)):
        raise PermissionDenied("Only editors merge and split quote clusters.")


@transaction.atomic
def quote_clusters_merge(
    *, target: QuoteCluster, expected_version: int, sources: Sequence[QuoteCluster], actor
) -> QuoteCluster:
    """Put the quotes of ``sources`` in ``target`` (read at ``expected_version``): the editor says they are
    the same words. The quotes moved are marked as placed by an editor, so a re-run keeps them together."""
    _may_curate(actor)
    source_ids = [c.pk for c in sources if c.pk != target.pk]
    if not source_ids:
        raise ValidationError({"clusters": "name at least one other cluster to merge into this one."})
    versioned_update(target, expected_version=expected_version, fields={})
    Quote.objects.filter(cluster_id__in=[target.pk, *source_ids]).update(
        cluster_id=target.pk, cluster_fixed=True
    )
    QuoteCluster.objects.filter(pk__in=source_ids).delete()
    clusters_refresh(ids=[target.pk])
    target.refresh_from_db()
    return target


@transaction.atomic
def quote_cluster_split(
    *, cluster: QuoteCluster, expected_version: int, quotes: Sequence[Quote], actor
) -> QuoteCluster | None:
    """Take quotes out of ``cluster`` (read at ``expected_version``): the editor says they are not the same
    words as the rest. Quotes of two or more articles taken out together form a cluster of their own,
    which is returned; the quotes taken out and those left stay where the editor put them whatever the
    machine finds later."""
    _may_curate(actor)
    if not quotes:
        raise ValidationError({"quotes": "name the quotes to take out."})
    strays = sorted(q.pk for q in quotes if q.cluster_id != cluster.pk)
    if strays:
        raise ValidationError({"quotes": f"not in cluster {cluster.pk}: {', '.join(map(str, strays))}."})
    versioned_update(cluster, expected_version=expected_version, fields={})
    previous = {cluster.pk}
    ids = [q.pk for q in quotes]
    articles = {q.article_id for q in quotes}
    new = QuoteCluster.objects.create() if len(articles) > 1 else None
    Quote.objects.filter(pk__in=ids).update(cluster=new, cluster_fixed=True)
    # The quotes left behind are the editor's decision too (not the same words as those taken out): placed
    # by no one, a re-run that finds them anew would put them with the quotes taken out.
    Quote.objects.filter(cluster_id=cluster.pk).update(cluster_fixed=True)
    clusters_refresh(ids=[*previous, *([new.pk] if new else [])])
    if new is not None and QuoteCluster.objects.filter(pk=new.pk).exists():
        new.refresh_from_db()
        return new
    return None
