"""How well quote clusters match hand-made gold (``tests/gold/clusters.json``).

The gold names each cluster's quotes by article and a passage of the quote, and the article where the
words first appeared. The articles are ingested as any others (in a transaction that is rolled back, so
the database is left as it was), then:

- **pairs**: two quotes of different articles are a pair when one cluster holds both. Precision is the
  share of the machine's pairs among the gold quotes that gold has too; recall the share of gold's pairs
  the machine found. Quotes gold does not name only count against precision when the machine put them
  with a gold quote.
- **first appearance**: for each gold cluster, whether the machine's cluster of its quotes names a quote
  of the gold's first article as the first appearance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from django.db import transaction

from .ingest.readers import IngestError
from .models import Quote, QuoteCluster, QuoteKind


@dataclass(frozen=True)
class ClusterScores:
    gold_pairs: int
    found_pairs: int
    right_pairs: int
    clusters: int
    first_right: int
    unmatched: tuple[str, ...]  # gold members no machine quote holds

    @property
    def precision(self) -> float:
        return self.right_pairs / self.found_pairs if self.found_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.right_pairs / self.gold_pairs if self.gold_pairs else 1.0

    @property
    def first_appearance(self) -> float:
        return self.first_right / self.clusters if self.clusters else 1.0


class _Rollback(Exception):
    pass


def clusters_evaluate(*, path: Path) -> ClusterScores:
    from .services import article_ingest, article_input_from_json

    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise IngestError(f"{path}: cannot read the gold file: {exc}") from None
    scores: ClusterScores | None = None
    try:
        with transaction.atomic():
            articles = {}
            for index, entry in enumerate(gold["articles"]):
                record = {k: entry[k] for k in ("url", "published_at", "text") if entry.get(k)}
                record["source"] = "gold"
                result = article_ingest(
                    record=article_input_from_json(
                        data=json.dumps(record).encode(), origin=f"{path.name} article {index}"
                    )
                )
                articles[entry["key"]] = result.article
            scores = _score(gold, articles)
            raise _Rollback
    except _Rollback:
        pass
    assert scores is not None
    return scores


def _score(gold: dict, articles: dict) -> ClusterScores:
    # Quoted words before reported speech, shorter before longer: the quote a passage names is the one
    # that holds just those words.
    quotes = sorted(
        Quote.objects.filter(article__in=articles.values()).values_list(
            "id", "article_id", "exact", "cluster_id", "kind"
        ),
        key=lambda row: (row[4] == QuoteKind.INDIRECT, len(row[2]), row[0]),
    )
    quotes = [row[:4] for row in quotes]
    member_of: dict[int, int] = {}  # machine quote id -> gold cluster index
    unmatched = []
    for index, cluster in enumerate(gold["clusters"]):
        for key, passage in cluster["members"]:
            article = articles[key]
            found = [
                pk for pk, article_id, exact, _ in quotes if article_id == article.pk and passage in exact
            ]
            if not found:
                unmatched.append(f"{key}: {passage}")
                continue
            member_of[found[0]] = index
    cluster_of = {pk: cluster_id for pk, _, _, cluster_id in quotes}
    article_of = {pk: article_id for pk, article_id, _, _ in quotes}
    gold_pairs = {
        frozenset(pair)
        for pair in combinations(member_of, 2)
        if member_of[pair[0]] == member_of[pair[1]] and article_of[pair[0]] != article_of[pair[1]]
    }
    found_pairs = {
        frozenset((a, b))
        for a, b in combinations(cluster_of, 2)
        if cluster_of[a] is not None
        and cluster_of[a] == cluster_of[b]
        and article_of[a] != article_of[b]
        and (a in member_of or b in member_of)
    }
    first_right = 0
    firsts = dict(QuoteCluster.objects.values_list("id", "first_quote__article_id"))
    for index, cluster in enumerate(gold["clusters"]):
        machine = {cluster_of[pk] for pk, i in member_of.items() if i == index} - {None}
        if len(machine) == 1 and firsts.get(machine.pop()) == articles[cluster["first"]].pk:
            first_right += 1
    return ClusterScores(
        gold_pairs=len(gold_pairs),
        found_pairs=len(found_pairs),
        right_pairs=len(found_pairs & gold_pairs),
        clusters=len(gold["clusters"]),
        first_right=first_right,
        unmatched=tuple(unmatched),
    )
