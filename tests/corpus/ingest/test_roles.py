"""Paragraph roles: every block stays, and each gets a role and the rule that decided it."""

from __future__ import annotations

import pytest

from corpus.ingest.pipeline import process
from corpus.ingest.roles import assign_roles, classify_boilerplate, classify_caption


@pytest.mark.parametrize(
    ("block", "rule"),
    [
        ("Advertisement", "chrome-advertisement"),
        ("Share this article", "chrome-share"),
        ("user's avatar", "chrome-avatar"),
        ("Related: Eastport signs coach through 2027", "related-link"),
        ("READ MORE: Millbrook approves new stormwater fees", "related-link"),
        (
            "Do you have questions about the biggest topics and trends from around the world? Get the answers "
            "with SCMP Knowledge, our new platform of curated content.",
            "promo-pitch",
        ),
        ("Sign up for our morning newsletter", "promo-pitch"),
        ("Cheap car insurance deals www.best-insure-deals.xyz", "spam-block"),
    ],
)
def test_boilerplate(block, rule):
    assert classify_boilerplate(block) == rule


@pytest.mark.parametrize(
    "block",
    [
        "Chinese and Syrian businessmen shake hands, Beijing, May 8, 2017. Reuters",
        "A visitor carries a flag in Xibaipo, Hebei province, China, May 12. Reuters-Yonhap",
        "Rivers celebrates the winning shot. (Photo by Kim Lee/Getty Images)",
        "Workers leave at the end of a shift on Wednesday. Photo: AFP",
        "Lint leaves court in Alder City on Thursday. AP Photo/Jenna Ruiz",
        "Protesters march in Seoul on Sunday. AP",
    ],
)
def test_captions(block):
    assert classify_caption(block) is not None


@pytest.mark.parametrize(
    "block",
    [
        "The report was first published by Reuters.",
        "He told Reuters that staff had learned of the decision from the news.",
        '"We will appeal," he said, according to AP.',
    ],
)
def test_body_sentences_naming_an_agency_are_not_captions(block):
    assert classify_caption(block) is None


def test_title_standfirst_byline():
    roles = assign_roles(
        [
            "Council delays vote on riverfront plan",
            "Residents packed City Hall on Tuesday night as the council put off a decision.",
            "By Priya Natarajan, Staff Reporter",
            "The council voted 5-2 to send the proposal back.",
        ]
    )
    assert roles == [
        ("title", "first-long-line"),
        ("standfirst", "summary-before-byline"),
        ("byline", "byline-by"),
        ("body", "default-body"),
    ]


def test_byline_with_agency_line_and_no_standfirst():
    roles = assign_roles(
        ["Rivers lifts Harbor City", "By DANA MORALES", "Associated Press", "Rivers scored."]
    )
    assert [r for r, _ in roles] == ["title", "byline", "byline", "body"]


def test_a_sentence_starting_with_by_is_not_a_byline():
    roles = assign_roles(["A headline", "By the end of the day, the team had won."])
    assert roles[1][0] != "byline"


def test_given_title_comes_first_and_keeps_offsets():
    article = process("First paragraph of the body.\nSecond paragraph.", title="  The   headline ")
    assert article.title == "The headline"
    assert next((p.role, p.rule) for p in article.paragraphs) == ("title", "given-title")
    assert article.text == "The headline\n\nFirst paragraph of the body.\n\nSecond paragraph."
    for p in article.paragraphs:
        assert article.text[p.start : p.end].strip() == article.text[p.start : p.end]


def test_cleaning_never_deletes():
    raw = (
        "user's avatar\nXi wants isolated\nXi wants isolated China to 'make friends'\nAdvertisement\nBody.\n"
    )
    article = process(raw)
    assert len(article.paragraphs) == 5
    assert article.text.split("\n\n") == [
        "user's avatar",
        "Xi wants isolated",
        "Xi wants isolated China to 'make friends'",
        "Advertisement",
        "Body.",
    ]
