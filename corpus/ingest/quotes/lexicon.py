"""The words the quote rules read: speech verbs, partial-quote verbs, and the closed classes
(prepositions, subordinators, adverbials) that bound a subject or a clause."""

from __future__ import annotations

from ..speakers import DOC_HEADS, wordset

# Verbs that introduce speech, direct or reported.
SPEECH_VERBS = wordset(
    """
    said says say told tells added adds asked asks explained explains warned warns insisted insists
    noted notes wrote writes stated states argued argues replied replies recalled recalls declared
    declares claimed claims remarked admitted admits conceded concedes acknowledged acknowledges responded
    testified tweeted posted announced announces reported reports stressed stresses emphasised emphasized
    agreed agrees predicted predicts complained complains suggested suggests confirmed confirms denied denies
    alleged alleges contended maintained maintains observed cautioned countered joked quipped
    """
)
_DATA_SOURCES = wordset(
    "figures data statistics estimates records numbers calculations count tally forecasts"
)
_CORE_SPEECH = wordset("said says told added stated announced reported wrote warned")
# Verbs that carry quoted fragments but do not report a whole statement ("urged diplomats to ...").
PARTIAL_VERBS = wordset(
    """
    urged urges urge call called calls vowed vows pledged pledges promised promises highlighted highlights described
    describes dubbed labelled labeled branded denounced criticised criticized praised dismissed hailed demanded
    demands condemned slammed accused blasted lauded welcomed cited characterised characterized urging vowing
    describing calling
    """
)
_HEADLINE_VERBS = SPEECH_VERBS | PARTIAL_VERBS | wordset("wants defends rejects hits backs")
# Every word that makes a sentence's reported speech worth reading (see ``_indirect``).
_TRIGGERS = SPEECH_VERBS | DOC_HEADS | wordset("according saying quoted")
_AUX_ADV = wordset(
    """
    has have had also then later repeatedly once again previously reportedly publicly recently earlier first
    further would will always often never even already still now separately privately yesterday today
    """
)
_TIME_NOUNS = wordset(
    """
    month week year night weekend morning afternoon evening monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    """
)
_TIME_LEADS = wordset("last this next on early late earlier")
_PREPOSITIONS = wordset(
    """
    in at of from on for with by near to into across over under about against between among through during
    without within behind beyond toward towards upon via like after before
    """
)
_SUBORDINATORS = wordset(
    "after before when while because although though since if unless whereas that which who whom but so as "
    "once until where whether than yet however"
)
_CLAUSE_VERBS = wordset(
    "is was are were be been has have had will would can could may might should must did does do not"
)
_PRONOUNS = wordset("he she they it i we")
_ADVERBIAL_STARTS = (
    _PREPOSITIONS
    | _TIME_LEADS
    | wordset(
        "yesterday today tonight afterwards later recently previously again also publicly privately separately then"
    )
)
_CONNECTIVES = wordset("however but and yet still meanwhile also so moreover instead")
_WORK_WORDS = wordset(
    "memoir book novel film movie song album titled entitled documentary series show play poem column essay "
    "headline podcast painting opera musical"
)
_ABBREVIATIONS = wordset(
    "mr mrs ms dr st jr sr gen sen rep gov lt col capt sgt prof no vs inc corp ltd co jan feb mar apr aug sept "
    "sep oct nov dec u.s u.k u.n a.m p.m e.g i.e mt ft"
)
