"""python manage.py export --format jsonl|csv|parquet|w3c|claimreview --output PATH|-"""

from __future__ import annotations

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations.exports.bundle import target_for
from annotations.exports.dataset import CHUNK_SIZE
from annotations.exports.pipeline import FORMATS, export_rows, export_steps, run
from annotations.exports.selection import LAYERS_ALL, LAYERS_CURATED, TEXT_FULL, TEXT_NONE, ExportOptions


class _TextSink:
    """Bytes onto a text stream (standard output, or what a test put in its place)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data: bytes) -> int:
        self.stream.write(data.decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()


class Command(BaseCommand):
    help = "Export the annotated corpus as a dataset (see docs/exports.md)."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="fmt")
        parser.add_argument(
            "--output",
            required=True,
            help="A file, a folder, a .zip, or - for standard output (jsonl, w3c, claimreview).",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Also export draft and rejected annotations and unpublished fact-checks.",
        )
        parser.add_argument(
            "--include-orphans",
            action="store_true",
            help="Also export annotations and quotes that a new revision left without a place (no offsets).",
        )
        parser.add_argument(
            "--article",
            type=int,
            action="append",
            dest="article_ids",
            help="Only these article ids (repeat).",
        )
        parser.add_argument("--source", help="Only articles of this source (its name, exactly).")
        parser.add_argument("--language", help="Only articles in this language (BCP 47 tag, exactly).")
        parser.add_argument("--since", help="Only articles published at or after this date or date-time.")
        parser.add_argument("--until", help="Only articles published before this date or date-time.")
        parser.add_argument(
            "--tag",
            help="Only articles with an annotation of this tag or a tag below it, and only those annotations.",
        )
        parser.add_argument("--status", help="Only annotations of this status (draft, published, rejected).")
        parser.add_argument("--speaker", type=int, help="Only articles quoting this speaker (id).")
        parser.add_argument(
            "--text",
            choices=[TEXT_FULL, TEXT_NONE],
            default=TEXT_FULL,
            help="none: offsets, hashes and annotations without the articles' words.",
        )
        parser.add_argument(
            "--anonymize-authors", action="store_true", help="Replace usernames with stable pseudonyms."
        )
        parser.add_argument(
            "--layers",
            choices=[LAYERS_CURATED, LAYERS_ALL],
            default=LAYERS_CURATED,
            help="Annotation projects: only the curated layer (the default), or every annotator's layer too "
            "on the articles closed for curation or curated.",
        )
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="Articles or rows per query.")

    def handle(self, *args, fmt: str, output: str, article_ids: list[int] | None, chunk_size: int, **options):
        filters = {
            name: options.get(name) for name in ("source", "language", "since", "until", "tag", "status")
        }
        filters["speaker"] = options.get("speaker")
        if article_ids:
            filters["article"] = ",".join(str(pk) for pk in article_ids)
        try:
            export_options = ExportOptions(
                filters=filters,
                include_drafts=options["include_drafts"],
                include_orphans=options["include_orphans"],
                text=options["text"],
                anonymize_authors=options["anonymize_authors"],
                layers=options["layers"],
            )
            target = target_for(output, tabular=FORMATS[fmt].TABULAR, stdout=_TextSink(sys.stdout))
        except (ValidationError, ValueError) as exc:
            raise CommandError(_message(exc)) from None
        steps = export_steps(
            fmt=fmt, options=export_options, target=target, chunk_size=chunk_size, halves=True
        )
        if output == "-":
            try:
                run(steps)
                sys.stdout.flush()
            except BrokenPipeError:
                # The reader stopped early (| head): not an error of ours.
                sys.stdout = None
            except ValidationError as exc:
                raise CommandError(_message(exc)) from None
            return
        progress = tqdm(unit="row", disable=None, file=self.stderr._out, desc=fmt)
        try:
            if not progress.disable:
                # A total (and so the time left) for a bar someone watches; not counted for a pipe.
                progress.reset(total=export_rows(fmt=fmt, options=export_options))
            manifest = run(steps, progress)
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from None
        finally:
            progress.close()
        summary = ", ".join(f"{count} {name}" for name, count in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {summary} to {output}."))


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
