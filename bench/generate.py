"""A deterministic generator of news-like articles, for benchmarks.

Each article has a headline, a standfirst, a byline, body paragraphs with quotes in the styles the extractor
handles (direct with trailing or leading attribution, pronoun attribution, interrupted quotes, partial quotes
in reported speech, indirect speech, "according to", intermediaries, documents, anonymous sources,
multi-paragraph quotes), a photo caption with an agency credit, a promo paragraph and, now and then, an
injected spam token. The same seed gives the same corpus.

    python -m bench.generate --articles 1000 --output var/bench/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

FIRST = [
    "Helena",
    "Marcus",
    "Aiko",
    "Priya",
    "Tomás",
    "Grace",
    "Wei",
    "Olu",
    "Sofia",
    "Daniel",
    "Amara",
    "Lars",
]
LAST = ["Vasquez", "Okafor", "Tanaka", "Raman", "Lindqvist", "Moreau", "Chen", "Adeyemi", "Rossi", "Novak"]
ROLES = [
    "council chair",
    "head coach",
    "district attorney",
    "chief economist",
    "union leader",
    "health minister",
    "police spokesperson",
    "school principal",
]
PLACES = ["Riverton", "Port Ellis", "Northgate", "Lakeside", "Old Harbour", "Cedar Falls"]
TOPICS = [
    ("the harbour repairs", "budget", "the pier"),
    ("the new stadium", "season", "the fans"),
    ("the fraud trial", "verdict", "the jury"),
    ("the school closures", "enrolment", "the parents"),
    ("the bus strike", "wages", "the commuters"),
    ("the flood defences", "forecast", "the river"),
]
AGENCIES = ["Reuters", "AP", "AFP", "Reuters-Yonhap", "Photo: AFP"]
CUES = ["said", "told reporters", "said in a statement", "told the council", "added"]
SPAM = ["토토사이트", "카지노", "best-casino-bonus.example"]
ORGS = ["the Riverton Gazette", "state broadcaster RTN", "the Northgate Herald"]


def _person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", last, rng.choice(ROLES)


def _sentence(rng: random.Random, topic: tuple[str, str, str]) -> str:
    subject, noun, thing = topic
    templates = [
        f"The debate over {subject} has dragged on for months, and {thing} remains at the centre of it.",
        f"Officials in {rng.choice(PLACES)} have yet to publish the final {noun} figures.",
        f"Critics argue the {noun} was set without enough consultation, while supporters point to {thing}.",
        f"A decision on {subject} is expected before the end of the month.",
    ]
    return rng.choice(templates)


def article(index: int, rng: random.Random) -> dict:
    topic = rng.choice(TOPICS)
    subject, noun, thing = topic
    place = rng.choice(PLACES)
    name1, last1, role1 = _person(rng)
    name2, last2, role2 = _person(rng)
    while last2 == last1:
        name2, last2, role2 = _person(rng)
    org = rng.choice(ORGS)
    paragraphs = [
        f"{place} {role1} {name1} defends {subject}",
        f"{place} is split over {subject}, with the {noun} under scrutiny and {thing} in question.",
        f"By {rng.choice(FIRST)} {rng.choice(LAST)}",
        _sentence(rng, topic),
        f'"We cannot wait another year for {subject}," {role1} {name1} said on Tuesday.',
        f'"The {noun} is fair, and {thing} deserves better," {last1} said. "Nobody wants further delay."',
        f"{name2}, a {role2} in {place}, said the plan was rushed and that {thing} had been ignored.",
        f'{last2} later urged officials to "start again from scratch" and to publish the {noun}.',
        f"A crowd gathers outside the town hall in {place} on Monday. {rng.choice(AGENCIES)}",
        f'"It is a waste of money," {last2} told reporters. "We will keep fighting this."',
        f"According to {org}, the {noun} has grown by {rng.randint(3, 40)} percent since last year.",
        (
            '"The numbers do not add up," said a council official who declined to be named '
            "because the talks are private."
        ),
        "Do you have questions about the biggest topics? Get the answers with our newsletter, "
        "delivered to your inbox every morning.",
        f'"Residents were never asked what they wanted for {thing}.',
        f'"Now they are being asked to pay for it," {last2} said.',
        f"The report said the {noun} relied on figures from {rng.randint(2001, 2019)}.",
        _sentence(rng, topic),
    ]
    if rng.random() < 0.2:
        token = rng.choice(SPAM)
        paragraphs[3] = paragraphs[3].replace(" the ", f" {token} ", 1)
    return {
        "title": paragraphs[0],
        "text": "\n\n".join(paragraphs[1:]),
        "url": f"https://bench.example.org/{index}",
        "source": rng.choice(["Riverton Gazette", "Northgate Herald", "Wire Service"]),
        "published_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
        "language": "en",
    }


def articles(count: int, *, seed: int = 1) -> Iterator[dict]:
    rng = random.Random(seed)
    for index in range(count):
        yield article(index, rng)


def write_jsonl(path: Path, count: int, *, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for record in articles(count, seed=seed):
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=Path("var/bench/corpus.jsonl"))
    args = parser.parse_args()
    write_jsonl(args.output, args.articles, seed=args.seed)
    print(f"wrote {args.articles} articles to {args.output}")


if __name__ == "__main__":
    main()
