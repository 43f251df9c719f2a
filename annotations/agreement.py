"""Inter-annotator agreement of a project's layers, per tag and overall, for research datasets.

Units, as INCEpTION reports them:

- ``article`` and ``paragraph``: labels on the whole article or on a paragraph (annotations with that
  target); an item is an article or a paragraph, a value the tags an annotator gave it.
- ``token``: every word of the text (``\\w+``); a value is the tags of the annotator's spans over it.
- ``span_exact``: every span some annotator marked; another annotator agrees only with a span of the same
  start and end. ``span_overlap``: overlapping spans (of any annotator) form one item.
  For spans, an annotator who marked nothing there gives the value "none": a passage one marked and the
  other did not is a disagreement.

Overall, a value is the set of tags (``blame+praise``, or ``(none)``); per tag, it is whether the tag is
there (for spans, only over the items where someone used the tag). The articles measured are those
closed for curation or curated; their annotators are those the work queue gave them in the project.

Cohen's kappa is given where exactly two annotators rated the items, Fleiss' kappa over the items with
the most ratings (it needs the same number on each), Krippendorff's alpha (nominal, from the coincidence
matrix) over everything, missing ratings included. Each figure comes with the counts behind it; a figure
that is undefined (one category only) is null, with its counts.

Spans are also measured by Krippendorff's unitizing alpha (alpha_u, ``unitized_alpha``): the article's
text is the continuum, each tag a category, and an annotator's spans of a tag their units there (the
gaps between them the rest), after Krippendorff (2004, ch. 11). ``project_unitized`` gives it per article
and, when the same annotators had every article, over all of them end to end.

Every coefficient is worked out here, in plain Python, and checked in the tests against worked examples
from the literature (Cohen, Fleiss 1971, Krippendorff 2011 and 2004 p. 254). The ``krippendorff`` package
on PyPI computes the nominal alpha but not alpha_u, and it is GPL-3.0 while this project is MIT; the
nominal alpha is a few lines over the coincidence matrix, and needs no numpy.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence

import regex

NONE_LABEL = "(none)"
UNITS = ("article", "paragraph", "token", "span_exact", "span_overlap")
TOKEN = regex.compile(r"\w+")

Item = Mapping[str, Hashable]  # annotator -> value


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


# --- The three coefficients, on plain data --------------------------------------------------------


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> dict:
    """Cohen's kappa of two annotators: ``pairs`` holds each item's two values."""
    n = len(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    categories = sorted(set(first) | set(second), key=str)
    observed = sum(1 for a, b in pairs if a == b) / n if n else None
    expected = sum(first[c] * second[c] for c in categories) / (n * n) if n else None
    value = None
    if n and expected < 1:
        value = (observed - expected) / (1 - expected)
    return {
        "value": _rounded(value),
        "items": n,
        "observed": _rounded(observed),
        "expected": _rounded(expected),
        "categories": {str(c): first[c] + second[c] for c in categories},
    }


def fleiss_kappa(table: Sequence[Mapping[Hashable, int]]) -> dict:
    """Fleiss' kappa from each item's counts per category; every item has the same number of ratings."""
    n_items = len(table)
    raters = sum(table[0].values()) if table else 0
    if any(sum(row.values()) != raters for row in table):
        raise ValueError("Fleiss' kappa needs the same number of ratings on every item.")
    totals: Counter = Counter()
    for row in table:
        totals.update(row)
    value = observed = expected = None
    if n_items and raters > 1:
        observed = (
            sum((sum(k * k for k in row.values()) - raters) / (raters * (raters - 1)) for row in table)
            / n_items
        )
        expected = sum((count / (n_items * raters)) ** 2 for count in totals.values())
        if expected < 1:
            value = (observed - expected) / (1 - expected)
    return {
        "value": _rounded(value),
        "items": n_items,
        "raters_per_item": raters,
        "observed": _rounded(observed),
        "expected": _rounded(expected),
        "categories": {str(c): totals[c] for c in sorted(totals, key=str)},
    }


def krippendorff_alpha(items: Sequence[Item], annotators: Sequence[str]) -> dict:
    """Krippendorff's alpha (nominal) over items rated by any of ``annotators``; missing ratings allowed.

    From the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"): each
    pairable item (two values or more) adds, for every ordered pair of its values from different
    annotators, 1/(m-1) to the pair's cell, m being the item's number of values. With n_c the total of
    category c and n of all, alpha = 1 - (n - 1) * (disagreeing coincidences) / (sum over c != k of
    n_c * n_k). ``annotators`` only bounds who counts; an item's values are its annotators' ones.
    """
    allowed = set(annotators)
    pairable = []
    for item in items:
        values = [value for name, value in item.items() if name in allowed]
        if len(values) > 1:
            pairable.append(values)
    n = sum(len(values) for values in pairable)
    counts = Counter(value for values in pairable for value in values)
    value = None
    if pairable and len(counts) > 1:
        # Disagreeing coincidences: in an item with m values of which m_c are c, the ordered pairs of
        # different categories number m*m - sum(m_c*m_c), each weighing 1/(m-1).
        observed = 0.0
        for values in pairable:
            m = len(values)
            observed += (m * m - sum(k * k for k in Counter(values).values())) / (m - 1)
        expected = n * n - sum(k * k for k in counts.values())
        value = 1 - (n - 1) * observed / expected
    return {
        "value": _rounded(value),
        "items": len(pairable),
        "values": n,
        "categories": {str(c): counts[c] for c in sorted(counts, key=str)},
    }


def coefficients(items: Sequence[Item]) -> dict:
    """The three figures for one set of items, each with its counts."""
    annotators = sorted({name for item in items for name in item})
    rated = [item for item in items if len(item) > 1]
    cohen = None
    if len(annotators) == 2:
        a, b = annotators
        cohen = cohen_kappa([(item[a], item[b]) for item in rated if a in item and b in item])
    fleiss = None
    if rated:
        most = max(len(item) for item in rated)
        full = [Counter(item.values()) for item in rated if len(item) == most]
        fleiss = fleiss_kappa(full)
    return {
        "annotators": len(annotators),
        "cohen_kappa": cohen,
        "fleiss_kappa": fleiss,
        "krippendorff_alpha": krippendorff_alpha(items, annotators),
    }


def pair_matrix(items: Sequence[Item]) -> list[dict]:
    """Cohen's kappa of every pair of annotators over the items both rated."""
    annotators = sorted({name for item in items for name in item})
    rows = []
    for a, b in itertools.combinations(annotators, 2):
        both = [(item[a], item[b]) for item in items if a in item and b in item]
        if both:
            rows.append({"a": a, "b": b, "cohen_kappa": cohen_kappa(both)})
    return rows


# --- Krippendorff's unitizing alpha ----------------------------------------------------------------


def _segments(units: list[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int, bool]]:
    """A coder's continuum cut into (start, end, is_unit): their units (overlapping ones joined, as
    alpha_u wants a partition) and the gaps between them."""
    merged: list[list[int]] = []
    for start, stop in sorted(units):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    cut, at = [], begin
    for start, stop in merged:
        if start > at:
            cut.append((at, start, False))
        cut.append((start, stop, True))
        at = stop
    if at < end:
        cut.append((at, end, False))
    return cut


def _distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's squared distance of two overlapping segments of two coders."""
    if g[2] and h[2]:
        return (g[0] - h[0]) ** 2 + (g[1] - h[1]) ** 2
    if g[2] and h[0] <= g[0] and g[1] <= h[1]:
        return (g[1] - g[0]) ** 2
    if h[2] and g[0] <= h[0] and h[1] <= g[1]:
        return (h[1] - h[0]) ** 2
    return 0


def _observed(cuts: list[list[tuple[int, int, bool]]], length: int) -> float:
    total = 0
    for a, b in itertools.combinations(cuts, 2):
        x = y = 0  # both partition the continuum: walk them side by side
        while x < len(a) and y < len(b):
            if a[x][0] < b[y][1] and b[y][0] < a[x][1]:
                total += 2 * _distance(a[x], b[y])  # each ordered pair of coders
            if a[x][1] <= b[y][1]:
                x += 1
            else:
                y += 1
    m = len(cuts)
    return total / (m * (m - 1) * length**2)


def _expected(cuts: list[list[tuple[int, int, bool]]], length: int) -> float:
    m = len(cuts)
    units = [stop - start for cut in cuts for start, stop, unit in cut if unit]
    gaps = sorted(stop - start for cut in cuts for start, stop, unit in cut if not unit)
    # For a unit of length l: the sum of (gap - l + 1) over the gaps at least as long, from suffix sums.
    suffix = [*itertools.accumulate(reversed(gaps))][::-1]
    suffix.append(0)
    numerator = 0.0
    for size in units:
        at = bisect.bisect_left(gaps, size)
        within = suffix[at] - (len(gaps) - at) * (size - 1)
        numerator += (len(units) - 1) / 3 * (2 * size**3 - 3 * size**2 + size) + size**2 * within
    denominator = m * length * (m * length - 1) - sum(size * (size - 1) for size in units)
    return 2 / length * numerator / denominator


def unitized_alpha(
    units: Sequence[tuple[str, str, int, int]],
    *,
    begin: int,
    length: int,
    annotators: Sequence[str] | None = None,
) -> dict:
    """Krippendorff's alpha_u for coders who cut one continuum (``begin``, ``length``) into units of
    categories: ``units`` holds (annotator, category, start, length). Per category, the observed and
    expected disagreement (Krippendorff 2004, ch. 11) and alpha; overall, one minus the summed observed
    over the summed expected disagreements. An annotator who marked nothing of a category is a coder
    whose continuum is one gap there."""
    names = sorted(set(annotators or ()) | {name for name, *_ in units})
    if len(names) < 2:
        return {"value": None, "annotators": len(names), "units": len(units), "categories": {}}
    end = begin + length
    categories = {}
    observed_sum = expected_sum = 0.0
    for category in sorted({c for _, c, _, _ in units}):
        cuts = [
            _segments([(s, s + n) for who, c, s, n in units if who == name and c == category], begin, end)
            for name in names
        ]
        observed, expected = _observed(cuts, length), _expected(cuts, length)
        observed_sum += observed
        expected_sum += expected
        categories[category] = {
            "value": 1 - observed / expected if expected else None,
            "observed": observed,
            "expected": expected,
            "units": sum(1 for _, c, _, _ in units if c == category),
        }
    value = 1 - observed_sum / expected_sum if expected_sum else None
    return {"value": value, "annotators": len(names), "units": len(units), "categories": categories}


# --- Items of each unit, from the layers -------------------------------------------------------


def _label(tags: frozenset[str]) -> str:
    return "+".join(sorted(tags)) if tags else NONE_LABEL


def _overlap_groups(spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Spans that overlap, directly or through others, as groups (sorted by start)."""
    groups: list[list[tuple[int, int]]] = []
    reach = -1
    for span in sorted(spans):
        if groups and span[0] < reach:
            groups[-1].append(span)
            reach = max(reach, span[1])
        else:
            groups.append([span])
            reach = span[1]
    return groups


def unit_items(
    *,
    articles: Sequence[dict],
) -> dict[str, list[dict[str, frozenset[str]]]]:
    """Items per unit, each value the set of tags an annotator gave it.

    ``articles``: for each article, ``text``, ``annotators`` (names), ``paragraphs`` (ids) and ``layers``:
    (annotator, target, start, end, paragraph id, tags) for every layer annotation.
    """
    out: dict[str, list[dict[str, frozenset[str]]]] = {unit: [] for unit in UNITS}
    for article in articles:
        names = article["annotators"]
        article_tags: dict[str, set[str]] = {name: set() for name in names}
        paragraph_tags: dict[int, dict[str, set[str]]] = {
            pk: {name: set() for name in names} for pk in article["paragraphs"]
        }
        spans: dict[str, list[tuple[int, int, frozenset[str]]]] = {name: [] for name in names}
        for name, target, start, end, paragraph, tags in article["layers"]:
            if name not in article_tags:
                continue  # written by someone the queue did not give the article
            if target == "article":
                article_tags[name].update(tags)
            elif target == "paragraph" and paragraph in paragraph_tags:
                paragraph_tags[paragraph][name].update(tags)
            elif target == "span" and start is not None:
                spans[name].append((start, end, frozenset(tags)))
        out["article"].append({name: frozenset(tags) for name, tags in article_tags.items()})
        out["paragraph"].extend(
            {name: frozenset(tags) for name, tags in by_name.items()} for by_name in paragraph_tags.values()
        )
        # Tokens: the tags of every span over each word.
        tokens = [(m.start(), m.end()) for m in TOKEN.finditer(article["text"])]
        starts = [s for s, _ in tokens]
        per_token: list[dict[str, set[str]]] = [{name: set() for name in names} for _ in tokens]
        for name, marked in spans.items():
            for start, end, tags in marked:
                first = max(bisect.bisect_right(starts, start) - 1, 0)
                for index in range(first, len(tokens)):
                    token_start, token_end = tokens[index]
                    if token_start >= end:
                        break
                    if token_end > start:
                        per_token[index][name].update(tags)
        out["token"].extend({name: frozenset(tags) for name, tags in token.items()} for token in per_token)
        # Exact spans: one item per (start, end) anyone marked.
        exact: dict[tuple[int, int], dict[str, set[str]]] = {}
        for name, marked in spans.items():
            for start, end, tags in marked:
                exact.setdefault((start, end), {n: set() for n in names})[name].update(tags)
        out["span_exact"].extend(
            {name: frozenset(tags) for name, tags in exact[key].items()} for key in sorted(exact)
        )
        # Overlapping spans: one item per group of spans that overlap.
        owners: dict[tuple[int, int], list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for name, marked in spans.items():
            for start, end, tags in marked:
                owners[(start, end)].append((name, tags))
        for group in _overlap_groups(list(owners)):
            item: dict[str, set[str]] = {n: set() for n in names}
            for span in group:
                for name, tags in owners[span]:
                    item[name].update(tags)
            out["span_overlap"].append({name: frozenset(tags) for name, tags in item.items()})
    return out


SPAN_UNITS = ("span_exact", "span_overlap")


def agreement_table(units: Mapping[str, list[dict[str, frozenset[str]]]], tags: Sequence[str]) -> dict:
    """Overall and per tag, for every unit: the three coefficients and, overall, the pair matrix."""
    rows = []
    pairs = {}
    for unit in UNITS:
        items = units.get(unit, [])
        overall = [{name: _label(value) for name, value in item.items()} for item in items]
        rows.append({"tag": None, "unit": unit, **coefficients(overall)})
        pairs[unit] = pair_matrix(overall)
        for tag in tags:
            chosen = items
            if unit in SPAN_UNITS:
                chosen = [item for item in items if any(tag in value for value in item.values())]
            binary = [
                {name: "present" if tag in value else "absent" for name, value in item.items()}
                for item in chosen
            ]
            rows.append({"tag": tag, "unit": unit, **coefficients(binary)})
    return {"rows": rows, "pairs": pairs}


# --- A project's figures ----------------------------------------------------------------------


def project_agreement(project, *, among=None) -> dict:
    """The agreement of a project's layers on its articles closed for curation or curated (and in the
    queryset ``among``, if given), in a fixed number of queries whatever the number of articles: the
    table, the pair matrix, and what was measured."""
    from corpus.models import Article, Paragraph

    from .models import Annotation, Assignment, ProjectArticle, ProjectArticleState
    from .projects import project_tags

    entries = ProjectArticle.objects.filter(project=project).exclude(state=ProjectArticleState.OPEN)
    if among is not None:
        entries = entries.filter(article_id__in=among.order_by().values("pk"))
    article_ids = list(entries.order_by("article_id").values_list("article_id", flat=True))
    annotators: dict[int, set[str]] = defaultdict(set)
    for article_id, name in Assignment.objects.filter(
        project=project, article_id__in=article_ids
    ).values_list("article_id", "assignee__username"):
        annotators[article_id].add(name)
    layers: dict[int, list] = defaultdict(list)
    annotations = (
        Annotation.objects.filter(project=project, curated=False, article_id__in=article_ids)
        .select_related("author")
        .prefetch_related("tags")
        .order_by("article_id", "id")
    )
    for a in annotations:
        tags = frozenset(tag.slug for tag in a.tags.all())
        layers[a.article_id].append((a.author.username, a.target, a.start, a.end, a.paragraph_id, tags))
    paragraphs: dict[int, list[int]] = defaultdict(list)
    for pk, article_id in (
        Paragraph.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "position")
        .values_list("pk", "article_id")
    ):
        paragraphs[article_id].append(pk)
    texts = dict(Article.objects.filter(pk__in=article_ids).values_list("pk", "text"))
    articles = [
        {
            "text": texts[pk],
            "annotators": sorted(annotators[pk]),
            "paragraphs": paragraphs[pk],
            "layers": layers[pk],
        }
        for pk in article_ids
    ]
    tags = sorted(project_tags(project).values_list("slug", flat=True))
    table = agreement_table(unit_items(articles=articles), tags)
    return {
        "project": project.pk,
        "articles": len(article_ids),
        "annotators": sorted(set().union(*annotators.values())) if annotators else [],
        **table,
        "unitized": project_unitized(articles, ids=article_ids),
    }


def project_unitized(articles: Sequence[dict], *, ids: Sequence[int]) -> dict:
    """Krippendorff's alpha_u of the span layers, a tag a category, the article's text the continuum:
    for each article, and over all of them as one continuum (the articles end to end) when the same
    annotators had every one (alpha_u takes every coder to have cut the whole continuum)."""
    per_article, pooled_units, offset = [], [], 0
    for pk, article in zip(ids, articles, strict=True):
        names = article["annotators"]
        units = [
            (name, tag, start, end - start)
            for name, target, start, end, _paragraph, tags in article["layers"]
            if target == "span" and start is not None and name in names
            for tag in sorted(tags)
        ]
        length = len(article["text"])
        found = unitized_alpha(units, begin=0, length=length, annotators=names) if length else None
        per_article.append({"article": pk, "annotators": names, **_unitized_rounded(found)})
        pooled_units += [(name, tag, start + offset, n) for name, tag, start, n in units]
        offset += length
    same = len({tuple(article["annotators"]) for article in articles}) == 1
    pooled = None
    if same and offset:
        pooled = _unitized_rounded(
            unitized_alpha(pooled_units, begin=0, length=offset, annotators=articles[0]["annotators"])
        )
    return {"articles": per_article, "pooled": pooled}


def _unitized_rounded(found: dict | None) -> dict:
    if found is None:
        return {"value": None, "units": 0, "categories": {}}
    return {
        "value": _rounded(found["value"]),
        "units": found["units"],
        "categories": {
            name: {key: _rounded(v) if key != "units" else v for key, v in figures.items()}
            for name, figures in found["categories"].items()
        },
    }
