"""The annotate screen: an article as a reader sees it, with quotes and annotations highlighted.

The page is server-rendered; a small script (static/annotations/annotate.js) draws the highlights and
saves through the REST API with the editor's session. Everything the script needs is embedded in the
page as JSON, built here with a fixed number of queries whatever the size of the article.
Offsets in that JSON are code points, like everywhere else; the script converts them to the
browser's UTF-16 units in one place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from corpus import selectors as corpus_selectors
from corpus.models import Article, Paragraph, ParagraphRole, Quote, QuoteKind, Speaker
from corpus.serializers import (
    ArticleHeaderSerializer,
    NestedParagraphSerializer,
    QuoteSerializer,
    SpeakerSummarySerializer,
)

from . import access, projects, selectors, work_queue
from .models import (
    Annotation,
    AnnotationProject,
    AnnotationStatus,
    Assignment,
    AssignmentState,
    Claim,
    FactCheck,
    FactCheckStatus,
    ProjectArticle,
    ProjectArticleState,
    Tag,
    Verdict,
)
from .palette import QUOTE_COLOUR, SPAM_COLOUR, display_colours
from .serializers import AnnotationSerializer, CheckWorthySerializer, ClaimSerializer, TagSerializer
from .services import REVIEW_PERMISSION, SPAM_TAG

VIEW_PERMISSION = "corpus.view_article"
SUGGESTIONS_SHOWN = 10  # check-worthy sentences offered per article, best first

# What the page offers; the API decides again on every write.
PAGE_PERMISSIONS = {
    "add_annotation": "annotations.add_annotation",
    "change_annotation": "annotations.change_annotation",
    "delete_annotation": "annotations.delete_annotation",
    "add_claim": "annotations.add_claim",
    "change_quote": "corpus.change_quote",
    "add_speaker": "corpus.add_speaker",
    "add_factcheck": "annotations.add_factcheck",
    "change_factcheck": "annotations.change_factcheck",
    "review_factcheck": REVIEW_PERMISSION,
}


def _tag_paths(tags: list[Tag]) -> dict[int, str]:
    """Hierarchical names ("framing › wolf-warrior diplomacy"), walked in memory: the vocabulary is small."""
    by_id = {tag.pk: tag for tag in tags}
    paths: dict[int, str] = {}
    for tag in tags:
        names, seen, current = [], set(), tag
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            names.append(current.name)
            current = by_id.get(current.parent_id)
        paths[tag.pk] = " › ".join(reversed(names))
    return paths


# The keys that apply a tag in the annotate panel, in the order of the label bar: "1" the first.
SHORTCUT_KEYS = "1234567890qwertyuiopsdfghlzxcvbnm"


def _tag_data(tags: list[Tag]) -> list[dict[str, Any]]:
    """The API's tags in the order of the label bar (each parent followed by its children), and beside
    each what the screen adds: its ``path``, the ``display_colour`` the screen draws it in (the stored
    ``colour`` moved apart from the quote, spam and selection marks and from the others) and its
    ``shortcut`` key; the spam tag is drawn in the spam colour and has no key."""
    paths = _tag_paths(tags)
    ordered = sorted(tags, key=lambda tag: [part.casefold() for part in paths[tag.pk].split(" › ")])
    labelled = [tag for tag in ordered if tag.slug != SPAM_TAG]
    colours = dict(
        zip((tag.pk for tag in labelled), display_colours(t.colour for t in labelled), strict=True)
    )
    keys = dict(zip((tag.pk for tag in labelled), SHORTCUT_KEYS, strict=False))
    rows = TagSerializer(ordered, many=True).data
    return [
        {
            **row,
            "path": paths[tag.pk],
            "display_colour": colours.get(tag.pk, SPAM_COLOUR),
            "shortcut": keys.get(tag.pk),
        }
        for row, tag in zip(rows, ordered, strict=True)
    ]


def _article_speakers(article: Article, quotes: list[Quote]) -> list[Speaker]:
    """The speakers an editor most likely wants for a quote of this article: those of its quotes
    (already loaded with them, intermediaries included) and the ones local to it, in one query."""
    found: dict[int, Speaker] = {}
    for quote in quotes:
        for speaker in (quote.speaker, quote.via):
            if speaker is not None:
                found[speaker.pk] = speaker
    for speaker in Speaker.objects.filter(article=article):
        found.setdefault(speaker.pk, speaker)
    return sorted(found.values(), key=lambda speaker: (speaker.name.casefold(), speaker.pk))


def _annotation_data(annotations: list[Annotation]) -> list[dict[str, Any]]:
    """As the API's annotations, with the rule that made a machine annotation (the screen says it). An
    orphan (anchor "orphaned") comes with null offsets and the words it was on in exact."""
    rows = AnnotationSerializer(annotations, many=True).data
    return [{**row, "rule": annotation.rule} for row, annotation in zip(rows, annotations, strict=True)]


def _fact_check_may(fact_check: FactCheck, *, user) -> dict[str, bool]:
    """What this user may do with a fact-check, decided by the rules in access.py."""
    return {
        "change": access.can_factcheck_change(user, fact_check),
        "submit": access.can_factcheck_submit(user, fact_check)
        and FactCheckStatus.DRAFT in (fact_check.status, fact_check.revision_status),
        "review": access.can_factcheck_review(user, fact_check) and fact_check.awaits_review,
    }


def _claim_data(claim: Claim, row: dict[str, Any], *, user) -> dict[str, Any]:
    """The API's claim (``row``), and beside it what the screen adds: ``may_change`` for the claim and,
    on its fact-check, ``may`` (what this user may do with it) and ``working`` (the verdict, rationale and
    evidence the writers edit: the pending ``revision`` if the API shows one, else the fact-check's own)."""
    fact_check = claim.fact_check if _has_fact_check(claim) else None
    # A claim under review is frozen (claim_update refuses it): no claimant picker meanwhile.
    frozen = fact_check is not None and fact_check.awaits_review
    fact = row["fact_check"]
    if fact is not None:
        working = fact["revision"] or fact
        fact = {
            **fact,
            "may": _fact_check_may(fact_check, user=user),
            "working": {key: working[key] for key in ("verdict", "rationale", "evidence")},
        }
    return {**row, "fact_check": fact, "may_change": access.can_claim_change(user, claim) and not frozen}


def _subtree(tags: list[Tag], root_id: int) -> list[Tag]:
    """The tags at and below ``root_id``, walked in memory over the loaded vocabulary."""
    children: dict[int | None, list[Tag]] = {}
    for tag in tags:
        children.setdefault(tag.parent_id, []).append(tag)
    found = [tag for tag in tags if tag.pk == root_id]
    frontier = list(found)
    while frontier:
        frontier = [child for tag in frontier for child in children.get(tag.pk, []) if child not in found]
        found.extend(frontier)
    return found


def _claims_data(*, article: Article, user) -> list[dict[str, Any]]:
    """The article's claims as the page shows them, in two queries: the claims with their fact-checks,
    and the co-authors of those fact-checks (which the rules ask about)."""
    claims = list(selectors.claim_list(user=user).filter(article=article))
    fact_checks = [claim.fact_check for claim in claims if _has_fact_check(claim)]
    if fact_checks:
        co_authors: dict[int, set[int]] = {fact_check.pk: set() for fact_check in fact_checks}
        through = FactCheck.co_authors.through.objects.filter(factcheck__in=fact_checks)
        for fact_check_id, user_id in through.values_list("factcheck_id", "user_id"):
            co_authors[fact_check_id].add(user_id)
        for fact_check in fact_checks:
            fact_check._co_author_ids = co_authors[fact_check.pk]
    rows = ClaimSerializer(claims, many=True, context={"reader": user}).data
    return [_claim_data(claim, row, user=user) for claim, row in zip(claims, rows, strict=True)]


def _has_fact_check(claim: Claim) -> bool:
    try:
        return claim.fact_check is not None
    except Claim.fact_check.RelatedObjectDoesNotExist:
        return False


def _cluster_data(quotes: list[Quote]) -> dict[int, dict[str, Any]]:
    """By cluster id, for the clusters the quotes are in (a quote names its own, as in the API), where
    else their words are: the cluster's size in articles and its first
    appearance (date, source, article), in one query whatever the number of quotes."""
    ids = {quote.cluster_id for quote in quotes if quote.cluster_id is not None}
    if not ids:
        return {}
    found = {}
    for cluster in corpus_selectors.quote_cluster_list().filter(pk__in=ids):
        first = cluster.first_quote
        first_article = first.article if first is not None else None
        found[cluster.pk] = {
            "id": cluster.pk,
            "articles": cluster.articles,
            "size": cluster.size,
            "speakers_disagree": cluster.speakers_disagree,
            "first": None
            if first_article is None
            else {
                "quote": first.pk,
                "article": first_article.pk,
                "title": first_article.title,
                "url": first_article.url,
                "published_at": first_article.published_at.isoformat()
                if first_article.published_at
                else None,
                # What dates the first appearance when no article of the cluster has a publication
                # date (APPEARANCE_ORDER: published, then ingested, then id).
                "ingested_at": first_article.ingested_at.isoformat(),
                "source": first_article.source.name if first_article.source_id else None,
                "annotate": reverse("admin:corpus_article_annotate", args=[first_article.pk]),
            },
        }
    return found


def _suggestion_data(*, article: Article, paragraphs: list[Paragraph], claims: list[dict]) -> list[dict]:
    """The sentences worth checking, best first: less those an editor dismissed (one query) and those
    already marked as claims."""
    spans = [(p.start, p.end) for p in paragraphs if p.role in (ParagraphRole.BODY, ParagraphRole.STANDFIRST)]
    dismissed = set(article.checkworthy_dismissals.values_list("text", flat=True))
    claimed = {claim["text"] for claim in claims}
    from corpus.ingest.checkworthy import suggestions  # its word lists load with it: not at start-up

    shown = [
        found
        for found in suggestions(article.text, spans)
        if found.text not in dismissed and found.text not in claimed
    ][:SUGGESTIONS_SHOWN]
    return CheckWorthySerializer(shown, many=True).data


def annotate_page_data(
    *, article: Article, user, project: AnnotationProject | None = None, curation: dict | None = None
) -> dict[str, Any]:
    """Everything the annotate screen shows and may change, in a fixed number of queries whatever the
    size of the article (plus the user's permissions, cached on the user): paragraphs, quotes, the
    article's own speakers, annotations, claims, tags and check-worthy dismissals, and when there are
    any, the quotes' clusters and the fact-checks' co-authors. With a ``project`` (the annotator's
    assignment is in one), the screen writes into the user's layer there, with the project's tags. With a
    ``curation`` (``projects.curation_layers``, which only a curator gets), the screen puts the layers
    side by side for the curator to resolve."""
    paragraphs = list(article.paragraphs.order_by("position"))
    quotes = list(Quote.objects.with_related().filter(article=article).order_by("start", "end", "id"))
    speakers = _article_speakers(article, quotes)
    annotations = list(selectors.annotation_list(user=user).filter(article=article))
    claims = _claims_data(article=article, user=user)
    tags = list(selectors.tag_list())
    clusters = _cluster_data(quotes)
    if project is not None:
        tags = _subtree(tags, project.tag_root_id)
    return {
        "article": ArticleHeaderSerializer(article).data,
        "paragraphs": NestedParagraphSerializer(
            paragraphs, many=True, context={"article_text": article.text}
        ).data,
        "quotes": QuoteSerializer(quotes, many=True, context={"article_text": article.text}).data,
        "clusters": clusters,
        "speakers": SpeakerSummarySerializer(speakers, many=True).data,
        "annotations": _annotation_data(annotations),
        "claims": claims,
        "suggestions": _suggestion_data(article=article, paragraphs=paragraphs, claims=claims),
        "tags": _tag_data(tags),
        "spam_tag": SPAM_TAG,
        "colours": {"quote": QUOTE_COLOUR, "spam": SPAM_COLOUR},
        "limits": {"upload_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        "user": {"id": user.pk, "username": user.get_username(), "is_superuser": user.is_superuser},
        "can": {
            **{name: user.has_perm(permission) for name, permission in PAGE_PERMISSIONS.items()},
            "describe_claimant": access.can_claimant_describe(user),
            "dismiss_suggestion": access.can_claim_create(user),
        },
        "choices": {
            "status": list(AnnotationStatus.values),
            "quote_kind": list(QuoteKind.values),
            "verdict": list(Verdict.values),
        },
        "api": {
            "annotations": reverse("api:annotation-list"),
            "claims": reverse("api:claim-list"),
            "quotes": reverse("api:quote-list"),
            "fact_checks": reverse("api:factcheck-list"),
            "speakers": reverse("api:speaker-list"),
            "quote_clusters": reverse("api:quote-cluster-list"),
            "check_worthy": reverse("api:article-check-worthy", args=[article.pk]),
            "dismiss": reverse("api:article-check-worthy-dismiss", args=[article.pk]),
            "page_claims": reverse("admin:corpus_article_annotate_claims", args=[article.pk]),
        },
        "admin": {"speaker_add": reverse("admin:corpus_speaker_add")},
        "project": (
            {"id": project.pk, "name": project.name, "guidelines": project.guidelines}
            if project is not None
            else None
        ),
        "curation": curation,
    }


@staff_member_required
def annotate_view(request: HttpRequest, object_id: int) -> TemplateResponse:
    """Staff with the view permission on articles read here; whether they may write is the API's call."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied("You need the permission to view articles to open the annotate screen.")
    article = get_object_or_404(Article.objects.defer("raw_text", "metadata"), pk=object_id)
    assignment = (
        Assignment.objects.filter(article=article, assignee=request.user).select_related("project").first()
    )
    project = assignment.project if assignment is not None else None
    curations = _curations(article=article, user=request.user)
    curation = _curation(request, article=article, curations=curations)
    data = annotate_page_data(article=article, user=request.user, project=project, curation=curation)
    get_token(request)  # the script reads the csrftoken cookie; make sure the response sets it
    context = {
        **admin.site.each_context(request),
        "article": article,
        "title": f"Annotate: {article}",
        "opts": Article._meta,
        "data": data,
        "paragraphs": [
            {"role": p["role"], "rule": p["rule"], "text": article.text[p["start"] : p["end"]]}
            for p in data["paragraphs"]
        ],
        # The article needs the width; the admin's app list is one click away in the breadcrumbs.
        "is_nav_sidebar_enabled": False,
        "assignment": assignment,
        "project": project,
        "curations": curations,
        "curation": curation,
        "curation_rows": _curation_rows(curation) if curation else [],
        "progress": work_queue.queue_progress(user=request.user) if assignment else None,
    }
    return TemplateResponse(request, "admin/annotations/annotate.html", context)


def _curations(*, article: Article, user) -> list[ProjectArticle]:
    """The projects in which ``user`` may curate this article now (closed for curation)."""
    entries = ProjectArticle.objects.filter(article=article, state=ProjectArticleState.CLOSED)
    if not user.is_superuser:
        entries = entries.filter(project__curators=user)
    return list(entries.select_related("project__tag_root").order_by("project__name"))


def _curation(request: HttpRequest, *, article: Article, curations: list[ProjectArticle]) -> dict | None:
    """The layers side by side when the user curates this article: in the project named by ``?curate=``,
    else the first one closed for curation. The service decides again whether they may."""
    if not curations:
        return None
    chosen = request.GET.get("curate", "")
    entry = next((e for e in curations if str(e.project_id) == chosen), curations[0])
    curation = projects.curation_layers(
        project=entry.project, article=article, user=request.user, entry=entry
    )
    curation["action"] = reverse("admin:corpus_article_curate", args=[article.pk, entry.project_id])
    return curation


def _curation_rows(curation: dict) -> list[dict]:
    """One row per passage for the side-by-side table: each annotator's version (None where they marked
    nothing), and whose version an agreement comes pre-accepted with."""
    rows = []
    for index, unit in enumerate(curation["units"]):
        versions = [(name, unit["layers"].get(name)) for name in curation["annotators"]]
        rows.append({"index": index, "unit": unit, "versions": versions, "first": next(iter(unit["layers"]))})
    return rows


@staff_member_required
def curation_view(
    request: HttpRequest, object_id: int, project_id: int
) -> TemplateResponse | HttpResponseRedirect:
    """The layers of a closed article side by side, one row per passage: what every annotator agreed on
    comes pre-accepted, disagreements are highlighted; the curator takes a version, writes the tags, or
    leaves the passage out, and publishing makes the result the project's curated layer."""
    article = get_object_or_404(Article.objects.defer("raw_text", "metadata"), pk=object_id)
    project = get_object_or_404(AnnotationProject.objects.select_related("tag_root"), pk=project_id)
    entry = projects.project_entry(project, article.pk)
    annotate_url = reverse("admin:corpus_article_annotate", args=[article.pk])
    try:
        curation = projects.curation_layers(project=project, article=article, user=request.user, entry=entry)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(annotate_url)
    curation["action"] = request.path
    units = curation["units"]
    if request.method == "POST":
        picks = []
        for index in range(len(units)):
            value = request.POST.get(f"unit-{index}", "")
            if value == "leave":
                picks.append({"leave": True})
            elif value == "edit":
                picks.append(
                    {
                        "tags": request.POST.get(f"tags-{index}", "").split(),
                        "start": request.POST.get(f"start-{index}", "").strip(),
                        "end": request.POST.get(f"end-{index}", "").strip(),
                    }
                )
            else:
                picks.append({"take": value.removeprefix("take:")})
        try:
            made = projects.curation_publish(
                project=project, article=article, curator=request.user, picks=picks
            )
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, f"Not published: {text}")
            if request.POST.get("next") == "annotate":  # the annotate screen's form: back to it
                return HttpResponseRedirect(annotate_url)
        else:
            messages.success(request, f"Curated: {made} annotation(s) published as the project's layer.")
            return HttpResponseRedirect(annotate_url)
    context = {
        **admin.site.each_context(request),
        "title": f"Curate: {article}",
        "article": article,
        "project": project,
        "opts": Article._meta,
        "curation": curation,
        "curation_rows": _curation_rows(curation),
        "state": entry.get_state_display() if entry else "",
    }
    return TemplateResponse(request, "admin/annotations/curate.html", context)


@staff_member_required
def annotate_claims_view(request: HttpRequest, object_id: int) -> JsonResponse:
    """The article's claims as the annotate screen holds them, with what this user may do with each:
    read again after every claim or fact-check change, so the rules stay in access.py."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied("You need the permission to view articles to open the annotate screen.")
    article = get_object_or_404(Article.objects.only("pk"), pk=object_id)
    return JsonResponse({"claims": _claims_data(article=article, user=request.user)})


@staff_member_required
@require_POST
def assignment_step_view(request: HttpRequest, object_id: int) -> HttpResponseRedirect:
    """The queue bar's buttons: start this article, or mark it done and open the next one."""
    assignment = get_object_or_404(Assignment, article_id=object_id, assignee=request.user)
    state = request.POST.get("state", "")
    try:
        work_queue.assignment_set_state(assignment=assignment, state=state, user=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return HttpResponseRedirect(reverse("admin:corpus_article_annotate", args=[object_id]))
    if state == AssignmentState.DONE:
        following = work_queue.queue_next(user=request.user, after=assignment)
        if following is None:
            messages.success(request, "Done: that was the last article in your queue.")
            return HttpResponseRedirect(reverse("admin:annotations_assignment_changelist") + "?mine=1")
        messages.success(request, f"Done. Next in your queue: {following.article}.")
        return HttpResponseRedirect(reverse("admin:corpus_article_annotate", args=[following.article_id]))
    return HttpResponseRedirect(reverse("admin:corpus_article_annotate", args=[object_id]))
