"""Re-anchoring benchmark: mapping a long article's offsets onto a revision, and placing its passages.

    python -m bench.anchoring                      # 13,000, 54,000 and 200,000 characters
    python -m bench.anchoring --sizes 200000 --repeat 5

The article is the generator's text; the revision inserts a paragraph before every tenth, deletes every
seventeenth and rewords every thirteenth (tests/corpus/test_anchoring.py checks where its passages land).
"map" is building the PositionMap (the diff of the two texts, what the target is about); "place" is
re-anchoring one passage per paragraph with it, deleted paragraphs included (those are searched for in
the whole text before they are given up as orphans), per passage.
"""

from __future__ import annotations

import argparse
import os
import time

from bench.common import median, print_table
from bench.generate import articles

TARGET_S = 0.5  # at 200,000 characters


def revision(chars: int) -> tuple[str, str, list[tuple[int, int | None, bool]]]:
    """A ``chars``-character article and a revision of it: a paragraph inserted before every tenth, every
    seventeenth deleted, every thirteenth reworded. Returns both texts and, per old paragraph, its
    offset in the old text, its offset in the new one (None when deleted) and whether it was reworded."""
    paragraphs: list[str] = []
    for record in articles(chars // 400 + 10, seed=11):
        paragraphs.extend(record["text"].split("\n\n"))
        if sum(map(len, paragraphs)) + 2 * len(paragraphs) > chars:
            break
    old = "\n\n".join(paragraphs)[:chars]
    paragraphs = old.split("\n\n")
    kept, layout, old_at, new_at = [], [], 0, 0
    for index, paragraph in enumerate(paragraphs):
        if index % 10 == 0:
            kept.append(f"Inserted note {index}: this paragraph was added in the revision.")
            new_at += len(kept[-1]) + 2
        reworded = index % 13 == 5 and " the " in paragraph
        if index % 17 == 3:
            layout.append((old_at, None, False))
        else:
            kept.append(paragraph.replace(" the ", " a ", 1) if reworded else paragraph)
            layout.append((old_at, new_at, reworded))
            new_at += len(kept[-1]) + 2
        old_at += len(paragraph) + 2
    return old, "\n\n".join(kept), layout


def measure(chars: int, repeat: int) -> list[object]:
    from corpus.anchoring import PositionMap, reanchor
    from corpus.spans import span_context

    old, new, layout = revision(chars)
    maps, places = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        mapping = PositionMap(old, new)
        maps.append(time.perf_counter() - started)
        started = time.perf_counter()
        for old_at, _, _ in layout:
            end = min(old_at + 120, len(old))
            prefix, suffix = span_context(text=old, start=old_at, end=end)
            reanchor(
                old_text=old,
                new_text=new,
                start=old_at,
                end=end,
                exact=old[old_at:end],
                prefix=prefix,
                suffix=suffix,
                position_map=mapping,
            )
        places.append(time.perf_counter() - started)
    seconds = median(maps)
    met = "" if chars != 200_000 else ("yes" if seconds <= TARGET_S else "no")
    target = f"<= {TARGET_S} s" if chars == 200_000 else ""
    return [len(old), seconds, target, met, len(layout), 1000 * median(places) / len(layout)]


def main() -> None:
    parser = argparse.ArgumentParser(description="Re-anchoring benchmark")
    parser.add_argument("--sizes", default="13000,54000,200000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from corpus.anchoring import PositionMap

    PositionMap("warm", "up")  # rapidfuzz imported outside the figures
    rows = [measure(int(size), args.repeat) for size in args.sizes.split(",")]
    print_table(["characters", "map s", "target", "met", "passages", "place ms / passage"], rows)
    print(f"median of {args.repeat} runs; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
