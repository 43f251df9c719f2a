"""The dashboard in the admin: what came in, who is quoted, what editors did, and how good the machine's
quotes turn out to be once editors have worked on them.

The filter picks articles (by source and by the day they were ingested); every chart counts what belongs
to those articles. Each chart is one grouped query, whatever the size of the corpus.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from corpus.models import Article, Origin, Quote, Source

from .charts import Chart
from .models import Annotation, AnnotationStatus, FactCheck, FactCheckStatus, Verdict

TOP_SPEAKERS = 15
MONTHLY_AFTER_DAYS = 92  # a longer range is drawn by month, a shorter one by day
QUEUE_AGES = ((1, "under a day"), (3, "1–3 days"), (7, "3–7 days"), (30, "1–4 weeks"), (None, "over 4 weeks"))
QUALITY_SERIES = ["verified as found", "corrected", "removed", "not yet reviewed"]


class DashboardFilter(forms.Form):
    source = forms.ModelChoiceField(
        queryset=Source.objects.order_by("name"), required=False, empty_label="all"
    )
    ingested_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ingested_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("ingested_from"), cleaned.get("ingested_to")
        if start and end and start > end:
            raise forms.ValidationError("The first day comes after the last.", code="reversed_range")
        return cleaned


def within(queryset: QuerySet, path: str, articles: QuerySet | None) -> QuerySet:
    """The rows of the selected articles (all of them when nothing is selected)."""
    return queryset if articles is None else queryset.filter(**{f"{path}__in": articles.values("pk")})


def selected_articles(
    *, source: Source | None = None, ingested_from=None, ingested_to=None
) -> QuerySet | None:
    """The articles the filter picks; None for all of them (no subquery to run)."""
    if source is None and not ingested_from and not ingested_to:
        return None
    articles = Article.objects.all()
    if source is not None:
        articles = articles.filter(source=source)
    zone = timezone.get_current_timezone()
    if ingested_from:
        articles = articles.filter(ingested_at__gte=datetime.combine(ingested_from, time.min, zone))
    if ingested_to:
        articles = articles.filter(
            ingested_at__lt=datetime.combine(ingested_to + timedelta(days=1), time.min, zone)
        )
    return articles


def _by_day(ingested_from, ingested_to) -> bool:
    return bool(ingested_from and ingested_to and (ingested_to - ingested_from).days <= MONTHLY_AFTER_DAYS)


def articles_over_time(articles: QuerySet | None, *, by_day: bool) -> Chart:
    period = TruncDate("ingested_at") if by_day else TruncMonth("ingested_at")
    rows = (
        (Article.objects.all() if articles is None else articles)
        .annotate(period=period)
        .values("period", "source__name")
        .annotate(n=Count("pk"))
        .order_by("period", "source__name")
    )
    sources = sorted({row["source__name"] or "(no source)" for row in rows})
    table: dict[str, list[int]] = {}
    for row in rows:
        label = row["period"].strftime("%Y-%m-%d" if by_day else "%Y-%m") if row["period"] else "(unknown)"
        table.setdefault(label, [0] * len(sources))[sources.index(row["source__name"] or "(no source)")] += (
            row["n"]
        )
    return Chart(
        slug="articles",
        title=f"Articles ingested by {'day' if by_day else 'month'} and source",
        series=sources or ["articles"],
        rows=list(table.items()),
    )


def most_quoted_speakers(articles: QuerySet | None) -> Chart:
    rows = (
        within(Quote.objects.filter(speaker__isnull=False), "article", articles)
        .values("speaker__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker__name")[:TOP_SPEAKERS]
    )
    return Chart(
        slug="speakers",
        title=f"Most-quoted speakers (the first {TOP_SPEAKERS})",
        series=["quotes"],
        rows=[(row["speaker__name"], [row["n"]]) for row in rows],
    )


def annotations_by_tag(articles: QuerySet | None, *, user) -> Chart:
    statuses = list(AnnotationStatus.values)
    rows = (
        within(Annotation.objects.visible_to(user), "article", articles)
        .values("tags__slug", "status")
        .annotate(n=Count("pk"))
        .order_by("tags__slug", "status")
    )
    table: dict[str, list[int]] = {}
    for row in rows:
        label = row["tags__slug"] or "(no tag: a note only)"
        table.setdefault(label, [0] * len(statuses))[statuses.index(row["status"])] += row["n"]
    return Chart(
        slug="tags",
        title="Annotations by tag and status",
        series=statuses,
        rows=sorted(table.items(), key=lambda item: (-sum(item[1]), item[0])),
        note="An annotation with several tags counts under each of them.",
        colours=["#e6a100", "#2e7d32", "#9e9e9e"],
    )


def verdicts(articles: QuerySet | None) -> Chart:
    statuses = list(FactCheckStatus.values)
    rows = (
        within(FactCheck.objects.all(), "claim__article", articles)
        .values("verdict", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = {verdict: [0] * len(statuses) for verdict in Verdict.values}
    for row in rows:
        table[row["verdict"]][statuses.index(row["status"])] += row["n"]
    return Chart(
        slug="verdicts",
        title="Fact-checks by verdict and status",
        series=statuses,
        rows=[(verdict, values) for verdict, values in table.items() if sum(values)],
        colours=["#9e9e9e", "#e6a100", "#2e7d32"],
    )


def review_queue_age(articles: QuerySet | None, *, now: datetime) -> Chart:
    """How long the fact-checks now waiting for review have waited (since their last change)."""
    counts: dict[str, Q] = {}
    lower = None
    for days, label in QUEUE_AGES:
        condition = Q()
        if lower is not None:
            condition &= Q(updated_at__lte=now - timedelta(days=lower))
        if days is not None:
            condition &= Q(updated_at__gt=now - timedelta(days=days))
        counts[label] = condition
        lower = days
    waiting = within(FactCheck.objects.filter(status=FactCheckStatus.IN_REVIEW), "claim__article", articles)
    found = waiting.aggregate(
        **{f"age{index}": Count("pk", filter=condition) for index, condition in enumerate(counts.values())}
    )
    return Chart(
        slug="queue",
        title="Review queue: how long each fact-check has waited",
        series=["fact-checks"],
        rows=[(label, [found[f"age{index}"]]) for index, label in enumerate(counts)],
    )


def editors_throughput(articles: QuerySet | None, *, user) -> Chart:
    """Per editor: annotations written, quotes corrected, fact-checks written and fact-checks reviewed."""
    series = ["annotations", "quote corrections", "fact-checks written", "fact-checks reviewed"]
    counts = [
        within(
            Annotation.objects.visible_to(user).filter(author__isnull=False), "article", articles
        ).values_list("author__username"),
        within(Quote.objects.filter(corrected_by__isnull=False), "article", articles).values_list(
            "corrected_by__username"
        ),
        within(FactCheck.objects.all(), "claim__article", articles).values_list("author__username"),
        within(FactCheck.objects.filter(reviewer__isnull=False), "claim__article", articles).values_list(
            "reviewer__username"
        ),
    ]
    table: dict[str, list[int]] = {}
    for index, queryset in enumerate(counts):
        for username, n in queryset.annotate(n=Count("pk")).order_by():
            table.setdefault(username, [0] * len(series))[index] += n
    rows = sorted(table.items(), key=lambda row: (-sum(row[1]), row[0]))
    return Chart(slug="throughput", title="Editors' work", series=series, rows=rows)


def machine_quote_quality(articles: QuerySet | None) -> Chart:
    """For each extraction rule: of the machine's quotes, how many editors verified as found, corrected
    (speaker or kind), removed, or have not looked at yet."""
    current = (
        within(Quote.objects.filter(origin=Origin.MACHINE), "article", articles)
        .values("rule")
        .annotate(
            n_verified=Count("pk", filter=Q(verified=True, corrected_by__isnull=True)),
            n_corrected=Count("pk", filter=Q(corrected_by__isnull=False)),
            n_untouched=Count("pk", filter=Q(verified=False, corrected_by__isnull=True)),
        )
        .order_by()
    )
    # A quote an editor deleted is known by its history (the deletion's record names the user).
    removed = (
        within(
            Quote.history.filter(history_type="-", origin=Origin.MACHINE, history_user__isnull=False),
            "article_id",
            articles,
        )
        .values("rule")
        .annotate(n=Count("history_id"))
        .order_by()
    )
    table: dict[str, list[int]] = {}
    for row in current:
        table[row["rule"] or "(no rule)"] = [row["n_verified"], row["n_corrected"], 0, row["n_untouched"]]
    for row in removed:
        table.setdefault(row["rule"] or "(no rule)", [0, 0, 0, 0])[2] += row["n"]
    return Chart(
        slug="quality",
        title="The machine's quotes as editors found them, by extraction rule",
        series=QUALITY_SERIES,
        rows=sorted(table.items(), key=lambda item: (-sum(item[1]), item[0])),
        note="Verified as found: marked verified with speaker and kind unchanged. Corrected: an editor changed "
        "the speaker or the kind. Removed: deleted by an editor.",
        colours=["#2e7d32", "#e6a100", "#c2185b", "#9e9e9e"],
    )


def quality_shares(chart: Chart) -> list[tuple[str, int, list[str]]]:
    """Each rule's total and the share of each outcome, as percentages to one decimal."""
    shares = []
    for label, values, total in chart.table:
        shares.append((label, total, [f"{100 * value / total:.1f}%" if total else "–" for value in values]))
    return shares


def dashboard_charts(*, user, source=None, ingested_from=None, ingested_to=None, now=None) -> list[Chart]:
    """The charts over the articles the filter picks; annotations count only where ``user`` may see
    them (another annotator's hidden project layer is not counted)."""
    articles = selected_articles(source=source, ingested_from=ingested_from, ingested_to=ingested_to)
    return [
        articles_over_time(articles, by_day=_by_day(ingested_from, ingested_to)),
        most_quoted_speakers(articles),
        annotations_by_tag(articles, user=user),
        verdicts(articles),
        review_queue_age(articles, now=now or timezone.now()),
        editors_throughput(articles, user=user),
        machine_quote_quality(articles),
    ]


@staff_member_required
def dashboard_view(request: HttpRequest) -> TemplateResponse:
    if not request.user.has_perm("corpus.view_article"):
        raise PermissionDenied("You need the permission to view articles to see the dashboard.")
    form = DashboardFilter(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    charts = (
        dashboard_charts(user=request.user, **chosen) if form.is_bound is False or form.is_valid() else []
    )
    quality = next((chart for chart in charts if chart.slug == "quality"), None)
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "form": form,
        "charts": charts,
        "quality_shares": quality_shares(quality) if quality else [],
        "quality_series": QUALITY_SERIES,
    }
    return TemplateResponse(request, "admin/annotations/dashboard.html", context)
