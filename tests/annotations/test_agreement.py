"""Agreement figures against the worked examples of the literature, and a project's figures by hand."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rest_framework.test import APIClient

from annotations import agreement, projects
from annotations.models import Assignment
from tests.annotations.projects_setup import project_setup

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers, twelve
# units, missing values; nominal alpha = 0.743.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}

# Fleiss (1971), "Measuring nominal scale agreement among many raters": 30 patients, 6 psychiatrists,
# 5 diagnoses (the raw ratings as R's irr package ships them, `diagnoses`); kappa = 0.430.
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip

# The Fleiss' kappa example of Wikipedia's article: 10 items, 14 raters, 5 categories; kappa = 0.210,
# P-bar = 0.378, P-bar-e = 0.213.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def _pairs_from_table(table: list[list[int]]) -> list[tuple[int, int]]:
    return [
        (row, column) for row, counts in enumerate(table) for column, n in enumerate(counts) for _ in range(n)
    ]


def test_krippendorff_alpha_equals_the_2011_nominal_example():
    annotators = sorted(KRIPPENDORFF_2011)
    items = [
        {
            name: KRIPPENDORFF_2011[name][unit]
            for name in annotators
            if KRIPPENDORFF_2011[name][unit] is not None
        }
        for unit in range(12)
    ]
    figure = agreement.krippendorff_alpha(items, annotators)
    assert figure["value"] == pytest.approx(0.743, abs=5e-4)
    # Unit 12 has one value only: 11 pairable units, 40 pairable values (Krippendorff's n).
    assert (figure["items"], figure["values"]) == (11, 40)


def test_krippendorff_alpha_equals_the_2011_binary_example():
    # Krippendorff (2011), example A: two observers, ten units, binary values, no missing data;
    # alpha = 0.095 as printed.
    first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    figure = agreement.krippendorff_alpha(
        [{"A": a, "B": b} for a, b in zip(first, second, strict=True)], ["A", "B"]
    )
    assert figure["value"] == pytest.approx(0.095, abs=5e-4)
    assert (figure["items"], figure["values"], figure["categories"]) == (10, 20, {"0": 14, "1": 6})


def test_krippendorff_alpha_counts_only_the_annotators_named():
    items = [{"A": "x", "B": "x", "C": "y"}, {"A": "y", "B": "y", "C": "y"}, {"A": "x", "C": "x"}]
    assert agreement.krippendorff_alpha(items, ["A", "B"])["value"] == 1.0
    assert agreement.krippendorff_alpha(items, ["A", "B"])["items"] == 2
    assert agreement.krippendorff_alpha(items, ["A", "B", "C"])["value"] < 1.0


def test_fleiss_kappa_equals_fleiss_1971():
    table = [Counter(row) for row in FLEISS_1971]
    figure = agreement.fleiss_kappa(table)
    assert figure["value"] == pytest.approx(0.430, abs=5e-4)
    assert (figure["items"], figure["raters_per_item"]) == (30, 6)
    # The diagnoses' totals over 180 ratings.
    assert figure["categories"] == {"1": 26, "2": 26, "3": 30, "4": 55, "5": 43}


def test_fleiss_kappa_equals_the_wikipedia_example():
    table = [{category: n for category, n in enumerate(row) if n} for row in WIKIPEDIA_FLEISS]
    figure = agreement.fleiss_kappa(table)
    assert figure["value"] == pytest.approx(0.210, abs=5e-4)
    assert figure["observed"] == pytest.approx(0.378, abs=5e-4)
    assert figure["expected"] == pytest.approx(0.213, abs=5e-4)


def test_cohen_kappa_equals_the_two_reader_textbook_example():
    # 50 proposals read by A and B: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # p_o = 0.7, p_e = 0.5, kappa = 0.4.
    figure = agreement.cohen_kappa(_pairs_from_table([[20, 5], [10, 15]]))
    assert (figure["value"], figure["observed"], figure["expected"], figure["items"]) == (0.4, 0.7, 0.5, 50)


def test_cohen_kappa_equals_the_sas_freq_agree_example():
    # SAS/STAT PROC FREQ AGREE's unweighted example (also R irr's): kappa = 0.4842.
    figure = agreement.cohen_kappa(_pairs_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]]))
    assert figure["value"] == pytest.approx(0.4842, abs=5e-5)


# Krippendorff (2004), Content Analysis, 2nd ed., p. 254: two coders unitize the stretch 150-450 into
# units of the categories c and k (begin, length).
UNITIZED_2004 = [
    ("i", "c", 225, 70), ("i", "c", 370, 30),
    ("j", "c", 220, 80), ("j", "c", 355, 20), ("j", "c", 400, 20),
    ("i", "k", 180, 60), ("i", "k", 300, 50),
    ("j", "k", 180, 60), ("j", "k", 300, 50),
]  # fmt: skip


def test_unitized_alpha_equals_krippendorff_2004():
    found = agreement.unitized_alpha(UNITIZED_2004, begin=150, length=300)
    c, k = found["categories"]["c"], found["categories"]["k"]
    # The book's figures, to the places it gives them.
    assert (round(c["observed"], 4), round(c["expected"], 4), round(c["value"], 4)) == (
        0.0144,
        0.0532,
        0.7286,
    )
    assert (round(k["observed"], 4), round(k["expected"], 4), k["value"]) == (0.0, 0.049, 1.0)
    # The book divides its rounded disagreements (1 - .0144 / (.0532 + .0490) = .8591); unrounded, .8587.
    assert round(found["value"], 3) == 0.859
    assert found["annotators"] == 2 and found["units"] == 9


def test_unitized_alpha_distances_are_krippendorffs():
    # A unit inside the other coder's gap counts its squared length; overlapping units the squared
    # differences of their ends; a unit that only overlaps a gap, nothing.
    two = agreement.unitized_alpha([("i", "x", 5, 6), ("j", "x", 4, 2)], begin=0, length=20)
    assert two["categories"]["x"]["observed"] == pytest.approx(2 * 26 / (2 * 20**2))
    inside = agreement.unitized_alpha([("i", "x", 5, 2)], begin=0, length=20, annotators=["i", "j"])
    assert inside["categories"]["x"]["observed"] == pytest.approx(2 * 4 / (2 * 20**2))
    same = agreement.unitized_alpha([("i", "x", 5, 6), ("j", "x", 5, 6)], begin=0, length=20)
    assert same["categories"]["x"]["value"] == 1.0


def test_undefined_figures_are_null_with_their_counts():
    figure = agreement.cohen_kappa([("a", "a"), ("a", "a")])
    assert (figure["value"], figure["items"], figure["observed"]) == (None, 2, 1.0)
    assert agreement.krippendorff_alpha([{"x": "a", "y": "a"}], ["x", "y"])["value"] is None


def test_exact_and_overlapping_spans_tell_apart_what_tokens_count():
    text = "The city council voted on Tuesday."
    articles = [
        {
            "text": text,
            "annotators": ["ann1", "ann2"],
            "paragraphs": [],
            "layers": [
                ("ann1", "span", 0, 16, None, {"blame"}),  # The city council
                ("ann2", "span", 4, 22, None, {"blame"}),  # city council voted
            ],
        }
    ]
    table = agreement.agreement_table(agreement.unit_items(articles=articles), ["blame"])
    overall = {row["unit"]: row for row in table["rows"] if row["tag"] is None}
    exact = overall["span_exact"]["cohen_kappa"]
    # Two spans, neither matched: blame against none twice.
    assert (exact["items"], exact["observed"], exact["expected"], exact["value"]) == (2, 0.0, 0.5, -1.0)
    overlap = overall["span_overlap"]["cohen_kappa"]
    assert (overlap["items"], overlap["observed"], overlap["value"]) == (1, 1.0, None)
    token = overall["token"]["cohen_kappa"]
    # Six words; "The" and "voted" are marked by one annotator only.
    p_o, p_e = 4 / 6, (3 * 3 + 3 * 3) / 36
    assert token["items"] == 6
    assert token["value"] == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-6)
    assert token["categories"] == {"(none)": 6, "blame": 6}


@pytest.mark.django_db
def test_project_agreement_measures_the_closed_articles_layers():
    setup = project_setup()
    first, second = setup.articles
    setup.span(first, "ann1", "The city council", "blame")
    setup.span(first, "ann2", "The city council", "blame")
    setup.span(first, "ann1", "Opponents", "praise")
    setup.span(second, "ann1", "The city council", "blame")  # still open: not measured
    setup.close(first)
    figures = agreement.project_agreement(setup.project)
    assert (figures["articles"], figures["annotators"]) == (1, ["ann1", "ann2"])
    rows = {(row["tag"], row["unit"]): row for row in figures["rows"]}
    exact = rows[(None, "span_exact")]
    # Two spans: agreed on "blame", "praise" against none.
    assert exact["cohen_kappa"]["items"] == 2 and exact["cohen_kappa"]["observed"] == 0.5
    assert exact["krippendorff_alpha"]["values"] == 4
    blame = rows[("blame", "span_exact")]["cohen_kappa"]
    assert (blame["items"], blame["observed"]) == (1, 1.0)
    words = len(re.findall(r"\w+", first.text))
    token = rows[(None, "token")]["cohen_kappa"]
    assert token["items"] == words and token["observed"] == pytest.approx((words - 1) / words, abs=1e-6)
    assert [(p["a"], p["b"]) for p in figures["pairs"]["token"]] == [("ann1", "ann2")]


@pytest.mark.django_db
def test_project_agreement_gives_unitized_alpha_per_article_and_pooled():
    setup = project_setup()
    first, second = setup.articles
    setup.span(first, "ann1", "The city council", "blame")
    setup.span(first, "ann2", "The city council", "blame")
    setup.span(first, "ann1", "Opponents", "praise")
    setup.close(first)
    unitized = agreement.project_agreement(setup.project)["unitized"]
    (only,) = unitized["articles"]
    assert (only["article"], only["annotators"], only["units"]) == (first.pk, ["ann1", "ann2"], 3)
    # "blame": the same unit in both layers; "praise": a unit inside the other annotator's gap.
    assert only["categories"]["blame"]["observed"] == 0 and only["categories"]["blame"]["value"] == 1
    praise = only["categories"]["praise"]
    length = len(first.text)
    assert praise["observed"] == pytest.approx(2 * len("Opponents") ** 2 / (2 * length**2), abs=1e-6)
    assert praise["value"] < 0.5
    assert unitized["pooled"]["value"] == only["value"]
    api = APIClient()
    api.force_authenticate(setup.people["chief"])
    served = api.get(f"/api/projects/{setup.project.pk}/agreement/").json()["unitized"]
    assert served["articles"][0]["categories"]["praise"]["value"] == praise["value"]
    # Articles with different annotators are measured one by one, not pooled.
    setup.project.annotators.add(setup.people["curator"])
    projects.project_assign(project=setup.project, user=setup.people["chief"])
    Assignment.objects.filter(article=second, assignee__username="ann2").update(
        assignee=setup.people["curator"]
    )
    setup.close(second)
    unitized = agreement.project_agreement(setup.project)["unitized"]
    assert [a["annotators"] for a in unitized["articles"]] == [["ann1", "ann2"], ["ann1", "curator"]]
    assert unitized["pooled"] is None
