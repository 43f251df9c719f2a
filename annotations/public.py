"""Public, read-only pages: a published fact-check with its ClaimReview markup.

The page is the ClaimReview's ``url``, so it exists only for a published fact-check; a draft or one
in review is a 404 here, whoever asks.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from corpus.weburls import is_web_url

from .exports.claimreview import VERDICT_WORDS, claim_review, quoted_in, script_json
from .models import FactCheck, FactCheckStatus, Verdict


@require_safe
def factcheck_public(request, pk: int):
    fact_check = get_object_or_404(
        FactCheck.objects.select_related(
            "claim", "claim__claimant", "claim__article", "claim__annotation"
        ).defer("claim__article__raw_text", "claim__article__metadata", "claim__article__text"),
        pk=pk,
        status=FactCheckStatus.PUBLISHED,
    )
    review = claim_review(fact_check, quoted=quoted_in([fact_check]).get(fact_check.pk))
    context = {
        "fact_check": fact_check,
        "claim": fact_check.claim,
        "article": fact_check.claim.article,
        "verdict": VERDICT_WORDS[Verdict(fact_check.verdict)],
        # Only http(s) URLs become links: one stored before URLs were checked shows as plain text.
        "evidence": [{**item, "href": is_web_url(item.get("url"))} for item in fact_check.evidence],
        "article_href": is_web_url(fact_check.claim.article.url),
        "review": review,
        # Escaped for a <script> element by script_json, so it is safe to mark.
        "claim_review_json": mark_safe(script_json(review)),
    }
    return render(request, "annotations/factcheck_public.html", context)
