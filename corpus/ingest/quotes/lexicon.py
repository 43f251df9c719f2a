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


def _inflect(base: str) -> set[str]:
    """ "add" -> add, adds, added, adding; "reply" -> replies, replied; "quip" -> quipped, quipping."""
    if base.endswith("ee"):
        return {base, base + "s", base + "d", base + "ing"}
    if base.endswith("e"):
        stem = base[:-1]
        return {base, base + "s", stem + "ed", stem + "ing"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    third = base + "es" if base.endswith(("s", "sh", "ch", "x", "z", "o")) else base + "s"
    if base in _DOUBLING:
        return {base, third, base + base[-1] + "ed", base + base[-1] + "ing"}
    return {base, third, base + "ed", base + "ing"}


_DOUBLING = wordset("quip snap chat jab rap admit beg brag blog slam dub refer")
# Irregular forms: base -> past and participles.
_IRREGULAR = {
    "say": "said saying",
    "tell": "told telling",
    "write": "wrote written writing",
    "sing": "sang sung singing",
    "read": "read reading",
    "shoot": "shot",
    "cry": "cried crying",
    "think": "thought",
    "put": "put putting",
}
# Every verb a quotation can be attributed with ("“Why now?” Lee asked.", "..., she yelled."), in every
# inflection; the regular ones are written as their base form.
_CUE_BASES = """
    say tell add ask explain warn insist note write state argue reply recall declare claim remark admit concede
    acknowledge respond testify tweet post announce report stress emphasise emphasize agree predict complain
    suggest confirm deny allege contend maintain observe caution counter joke quip continue conclude comment
    yell shout chant sing boast demand read answer assert assure lament mock question bark charge exclaim muse
    scoff snap sigh whisper cry plead promise vow pledge proclaim recount reflect retort reiterate repeat
    mutter murmur grumble thunder bellow scream interject offer opine posit threaten vent gush rave marvel
    wonder tout brag cheer beg implore summarize summarise clarify elaborate inform advise disclose reveal
    preach rail begin start explain counsel caution concur object protest fume seethe snarl sneer taunt tease
    greet chirp text email message write blog reason surmise speculate estimate acknowledge recite
    urge press react beam confess mention intone gripe remember imagine exhort riff retaliate relate echo
    """
_FORMS = [(b, _inflect(b)) for b in _CUE_BASES.split() if b not in _IRREGULAR] + [
    (base, set(forms.split()) | {base, base + "s"}) for base, forms in _IRREGULAR.items()
]
_NOT_CUES = wordset(
    "start starts started starting begin begins think thinks thought put puts writing reading shot relating"
) | wordset(
    # Plural nouns far more often than verbs ("her recovered emails “...”", "his comments “...”").
    "emails texts messages questions comments answers remarks estimates reasons objects protests blogs"
)
# A bare base form is a noun as often as a verb ("demand", "comment"): only those already spoken for.
# ("read" is also the past of "read": "“...,” the email read".)
CUE_VERBS = (
    frozenset(form for base, forms in _FORMS for form in forms if form != base) | SPEECH_VERBS | {"read"}
) - _NOT_CUES
# Verbs that attribute with their particle ("Lee shot back, “...”", "“...,” Lee went on", "as Lee put it").
PHRASAL_CUES = {
    "shot": "back",
    "shoots": "back",
    "fired": "back",
    "fires": "back",
    "hit": "back",
    "hits": "back",
    "pushed": "back",
    "chimed": "in",
    "chimes": "in",
    "went": "on",
    "goes": "on",
    "put": "it",
    "puts": "it",
}
# The participles among them ("..., adding, “...”"): their subject is the sentence's.
CUE_PARTICIPLES = frozenset(w for w in CUE_VERBS if w.endswith("ing"))
# Cue verbs that may stand after a quote ("“...,” Lee asked"): all but the participles.
CUE_FINITE = CUE_VERBS - CUE_PARTICIPLES
# Read further back from a partial quote, where a plural noun ("demands", "comments") is likelier than a
# present-tense verb: past tenses and participles, and the speech verbs.
CUE_PAST = frozenset(w for w in CUE_VERBS if not w.endswith("s") and w != "read") | SPEECH_VERBS
# (Not "read": "Lee read “The Raven” aloud" quotes a title, not Lee.)
_DATA_SOURCES = wordset(
    "figures data statistics estimates records numbers calculations count tally forecasts"
)
_CORE_SPEECH = wordset("said says told added stated announced reported wrote warned")
# Verbs that carry quoted fragments but do not report a whole statement ("urged diplomats to ..."), in
# every inflection but the bare form ("blasts", "citing", "accused") and those read as adjectives or
# nouns as often; two bare forms that are verbs more often than nouns are listed as they are.
_PARTIAL_BASES = """
    urge call vow pledge promise highlight describe dub label brand denounce criticise criticize praise
    dismiss hail demand condemn slam accuse blast laud welcome cite characterise characterize thank coin
    mock tout decry lambaste ridicule deride blame refer imply credit portray identify
    """
PARTIAL_VERBS = (
    frozenset(form for base in _PARTIAL_BASES.split() for form in _inflect(base) if form != base)
    | wordset("urge call labelled labelling")
) - wordset("promising demanding welcoming credits brands labels")  # adjectives and nouns as often
# The bare forms of both, a present after a plural subject ("lobbyists describe it as “...”").
PRESENT_BASES = (
    (frozenset(_CUE_BASES.split()) | frozenset(_PARTIAL_BASES.split()) | frozenset(_IRREGULAR))
    - _NOT_CUES
    - wordset("start begin think put read")
)
# Irregular pasts and past participles of verbs a person acts with ("Lee thought", "Lee has made").
IRREGULAR_PAST = wordset(
    """
    thought made found took taken gave given wrote written spoke spoken felt held led saw seen knew known
    sent meant brought built kept left told heard stood began begun chose chosen drew drawn fought forgot
    forgotten hid paid sold sought struck swore sworn taught threw thrown understood won wore worn
    """
)
_HEADLINE_VERBS = SPEECH_VERBS | PARTIAL_VERBS | wordset("wants defends rejects hits backs")
# Every word that makes a sentence's reported speech worth reading (see ``_indirect``).
_TRIGGERS = SPEECH_VERBS | DOC_HEADS | wordset("according saying quoted")
_AUX_ADV = wordset(
    """
    has have had did does do also then later repeatedly once again previously reportedly publicly recently earlier first
    further would will always often never even already still now separately privately yesterday today
    however meanwhile too
    """
)
# Between a subject and its verb ("Sanders himself acknowledged ...").
_REFLEXIVES = wordset("himself herself themselves itself")
_TIME_NOUNS = wordset(
    """
    month week year night weekend morning afternoon evening monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    """
)
_TIME_LEADS = wordset("last this next on early late earlier later")
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
    "sep oct nov dec u.s u.k u.n a.m p.m e.g i.e mt ft del rev fr lt gov sens reps messrs "
    "ala ariz ark calif colo conn fla kan ky md mich minn mont neb nev okla ore penn tenn tex vt wis wyo"
)
