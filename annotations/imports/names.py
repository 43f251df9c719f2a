"""The rows an import refers to by name (users, tags, sources, speakers) or by the export's ids (kept
ids, clusters), and the ids its new rows get.

Names are looked up once per batch, one query per kind of name not met before (``look_up_names``), never
one per article; a name not found is created with the batch. What a record plans is journaled, so that
when its record or batch is not written the caches are as they were (``forget``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Model

from corpus.bulk import Ids
from corpus.ingest.types import LOCAL_SPEAKER_KINDS
from corpus.models import Article, Quote, QuoteCluster, Source, Speaker, SpeakerKind
from corpus.versioning import NOT_GIVEN

from ..models import Annotation, Claim, FactCheck, Tag
from .checks import alias_phrases, as_text
from .writing import Batch, SpeakerRow

# Plain strings: the database drivers bind them as they are.
PERSON, ANONYMOUS = SpeakerKind.PERSON.value, SpeakerKind.ANONYMOUS.value


class Names:
    def __init__(self):
        # Name -> id of rows found or created, and None for names looked up and not found.
        self.users: dict[str, int | None] = {}
        self.tags: dict[str, int | None] = {}
        self.sources: dict[str, int | None] = {}
        self.shared: dict[str, int] = {}  # shared speakers this import has met
        self.found_shared: dict[str, int | None] = {}  # looked up ahead of need, not met yet
        self.local_specs: dict[Any, dict[str, dict]] = defaultdict(dict)  # export article -> name -> spec
        self.clusters: dict[int, int] = {}  # the export's cluster id -> this database's
        # Cache entries for rows not written yet: undone when their record or batch is.
        self.journal: list[tuple[dict, str, Any]] = []
        self.ids = Ids()
        models = (Article, Quote, QuoteCluster, Annotation, Claim, FactCheck, Speaker, Tag)
        # Ids are kept only in tables that were empty: anywhere else they could collide.
        self.keep_ids = {model for model in models if not model.objects.exists()}
        self.kept: set[type[Model]] = set()

    def pk(self, model: type[Model], pk, batch: Batch | None = None, where: str = "") -> int:
        """The id of a new row: the exported ``pk`` into a table that was empty, else a new one."""
        if pk is not None and model in self.keep_ids:
            self.kept.add(model)
            if batch is not None:
                batch.kept.append((model, pk, where))
            return pk
        return self.ids.take(model)

    def remember(self, cache: dict, key: str, value: Any) -> None:
        self.journal.append((cache, key, cache.get(key, NOT_GIVEN)))
        cache[key] = value

    def forget(self, mark: int) -> None:
        """Rows planned since ``mark`` (the journal's length then) will not be written: drop them from
        the caches."""
        while len(self.journal) > mark:
            cache, key, before = self.journal.pop()
            if before is NOT_GIVEN:
                cache.pop(key, None)
            else:
                cache[key] = before

    def look_up_names(self, items: list, matches: list) -> None:
        """Find the users, tags, sources and shared speakers the batch names that are not known yet."""
        users, tags, sources, speakers = set(), set(), set(), set()
        for (_, record), match in zip(items, matches, strict=True):
            if not isinstance(record, dict):
                continue
            try:
                if match is None and record.get("source"):
                    sources.add(record["source"])
                specs = self.local_specs.get(record.get("id"), {})
                for quote in record.get("quotes") or ():
                    for name, kind in (
                        (quote.get("speaker"), quote.get("speaker_kind")),
                        (quote.get("via"), None),
                    ):
                        if (
                            name
                            and name not in self.shared
                            and name not in specs
                            and kind not in LOCAL_SPEAKER_KINDS
                        ):
                            speakers.add(name)
                for annotation in record.get("annotations") or ():
                    users.add(annotation.get("author"))
                    tags.update(annotation.get("tags") or ())
                for claim in record.get("claims") or ():
                    name = claim.get("claimant")
                    if name and name not in self.shared and name not in specs:
                        speakers.add(name)
                    check = claim.get("fact_check")
                    if check:
                        users.update((check.get("author"), check.get("reviewer")))
            except (AttributeError, TypeError):
                continue  # a malformed record: it fails on its own when it is checked
        User = get_user_model()
        look_up(self.users, users, lambda names: User.objects.filter(username__in=names), "username")
        look_up(self.tags, tags, lambda names: Tag.objects.filter(slug__in=names), "slug")
        look_up(self.sources, sources, lambda names: Source.objects.filter(name__in=names), "name")
        look_up(
            self.found_shared,
            speakers - self.shared.keys(),
            lambda names: Speaker.objects.filter(article__isnull=True, name__in=names),
            "name",
        )

    def user(self, username: str | None, batch: Batch) -> int | None:
        if not username:
            return None
        pk = self.users.get(username) if type(username) is str else None
        if pk is not None:  # met before: most authors write many annotations
            return pk
        User = get_user_model()

        def create(pk: int) -> None:
            batch.users.append(User(pk=pk, username=username, is_active=False, password=make_password(None)))

        return self._named(self.users, username, User, "username", create)

    def tag(self, slug: str, batch: Batch) -> int:
        pk = self.tags.get(slug) if type(slug) is str else None
        if pk is not None:
            return pk
        return self._named(
            self.tags, slug, Tag, "slug", lambda pk: batch.tags.append(Tag(pk=pk, slug=slug, name=slug))
        )

    def source(self, name: str, batch: Batch) -> int:
        return self._named(
            self.sources, name, Source, "name", lambda pk: batch.sources.append(Source(pk=pk, name=name))
        )

    def _named(
        self, cache: dict, name: str, model: type[Model], key: str, create: Callable[[int], None]
    ) -> int:
        """The id of the row ``name`` names (a username, a tag's slug, a source's name): found by the
        batch's look-up, or created with the batch."""
        pk = cache.get(name, NOT_GIVEN)
        if pk is NOT_GIVEN:  # missed by the batch's look-up (a name that is not a string, say)
            look_up(cache, [name], lambda names: model.objects.filter(**{f"{key}__in": names}), key)
            pk = cache.get(name)
        if pk is None:
            pk = self.ids.take(model)
            create(pk)
            self.remember(cache, name, pk)
        return pk

    def _shared_speaker(self, name: str, kind: str | None, batch: Batch) -> int:
        pk = self.shared.get(name)
        if pk is not None:
            return pk
        if name not in self.found_shared:
            look_up(
                self.found_shared,
                [name],
                lambda n: Speaker.objects.filter(article__isnull=True, name__in=n),
                "name",
            )
        pk = self.found_shared.get(name)
        if pk is None:
            pk = self.ids.take(Speaker)
            batch.speakers.append(
                SpeakerRow(id=pk, name=name, kind=kind or PERSON, description="", article=None)
            )
            self.remember(self.shared, name, pk)
        else:
            self.shared[name] = pk
        return pk

    def speaker(
        self, article_id: int, record: dict, name, kind, cache: dict, own: dict, batch: Batch
    ) -> int | None:
        """The speaker a quote or claim names: the article's own (anonymous sources, unnamed groups,
        or named so in the speakers file) or one shared by all articles."""
        if not name:
            return None
        if name in cache:
            return cache[name]
        spec = self.local_specs.get(record["id"], {}).get(name)
        if spec is not None or (kind in LOCAL_SPEAKER_KINDS and name not in self.shared):
            pk = own.get(name)
            if pk is None:
                spec = spec or {"name": name, "kind": kind}
                pk = self.pk(Speaker, spec.get("id"), batch, f"speaker {name!r}: field 'id'")
                batch.speakers.append(
                    SpeakerRow(
                        id=pk,
                        name=name,
                        kind=spec.get("kind") or ANONYMOUS,
                        description=as_text(spec.get("description")),
                        article=article_id,
                    )
                )
                phrases = alias_phrases(spec.get("aliases") or [])
                if phrases:
                    batch.aliases.append((pk, phrases))
                own[name] = pk
        else:
            pk = self._shared_speaker(name, kind, batch)
        cache[name] = pk
        return pk

    def cluster(self, exported, field: str, fail, batch: Batch) -> int | None:
        """This database's cluster for the export's cluster id: the same id into an empty table, else a
        new cluster, one for each exported id whatever the article."""
        if exported is None:
            return None
        if type(exported) is not int:
            fail(field, f"{exported!r} is not a cluster id")
        pk = self.clusters.get(exported)
        if pk is None:
            pk = self.pk(QuoteCluster, exported)
            batch.clusters.append(QuoteCluster(pk=pk))
            self.remember(self.clusters, exported, pk)
        return pk


def look_up(cache: dict, names: Iterable, queryset: Callable, key: str) -> None:
    """Put in ``cache`` the id of each of ``names`` not there yet, None for those not found: one query
    per 500 names."""
    wanted = sorted({n for n in names if n and isinstance(n, str) and n not in cache})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found = dict(queryset(chunk).order_by().values_list(key, "id"))
        for name in chunk:
            cache[name] = found.get(name)
