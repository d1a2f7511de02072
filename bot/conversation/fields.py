"""Which kaart field answers a partner question when the attribute model is unsure.

'kan ik daar ook anoniem advies vragen?', 'hebben ze een telefonisch spreekuur?', 'do they do gaming too?':
the attribute model knows ten attributes and guesses weakly on these. The question's own content words tell
more: the word that is found in one of the partner's fields ('anoniem' in the access route, 'spreekuur' in
the schedule, 'gamen' in the themes) names the field that holds the answer. Kaarten fill these fields in
their own words, so only the words of the question and the field count, never a fixed list of phrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.conversation.kinds import ASKING_WORDS, GENERAL_VERBS
from bot.conversation.lookup import fold, same_word, words
from bot.conversation.schedule import names_weekday
from bot.kaart.model import Service

# attribute -> how to read its field from a service. 'aanbod' is what the partner works on (themes and
# description): only used for a question that asks whether the partner also does something.
FIELD_ATTRIBUTES = ("openingstijden", "toegang", "kosten", "talen", "aanbod")
STRONG_MATCH = 0.7  # same word, a word that starts the field word, or a shared stem of seven letters
SURE_ATTRIBUTE = 0.5  # the attribute model's own detail probability from which its attribute is kept
# Words that every question about a partner may use and that say nothing about the field.
GENERAL_WORDS = frozenset(
    ["vragen", "vraag", "kunnen", "willen", "moeten", "gaan", "komen", "doen", "doet", "hebben", "heeft",
     "terecht", "naartoe", "langs", "iets", "ergens", "alleen", "gewoon", "precies", "they", "too", "also",
     "does", "the", "and", "you", "can", "are", "there", "what", "with"]
)  # fmt: skip
# 'doen ze ook iets aan gokken?', 'helpen ze ook bij formulieren?', 'do they do gaming too?'
OFFER = re.compile(
    r"\b(?:doen|helpen|werken|bieden|begeleiden|ondersteunen|leren|geven|regelen|organiseren)\s+(?:ze|zij|jullie|die)\b"
    r"|\b(?:kunnen|komen|gaan)\s+(?:ze|zij|jullie|die)\s+ook\b"
    r"|\b(?:kan|kunnen|mag|mogen)\s+(?:hij|zij|ze|die)\s+(?:daar\s+|er\s+)?ook\b"
    r"|\bhebben\s+(?:ze|zij|jullie|die)\s+(?:ook\s+)?iets\b"
    r"|\bdo\s+they\b|\bdoes\s+(?:it|she|he)\b|\b(?:also|too)\b|\book\s+(?:iets\s+)?(?:aan|met|bij|voor)\b",
    re.IGNORECASE,
)


# One or two words asked right after a partner ('insta?', 'digid ook?'): whether that partner does or has it
BARE_WORD_ASK = re.compile(r"\W*(?:en\s+)?[^\W\d_]{4,}(?:\s+(?:ook|dan|daar))?\s*\?+\s*", re.IGNORECASE)


# Signing someone up is the access route: 'hoe meld ik hem aan?', 'aanmelden?', 'is er een verwijsbrief nodig?'
# Asking for it is too ('hoe vraag je daar iets aan?'), and so is walking in ('kan ze er gewoon heen?').
SIGN_UP = re.compile(
    r"\b(?:aanmeld\w*|meld\w*\s+(?:\w+\s+){0,3}aan|verwijsbrief|indicatie|beschikking|sign\s+up|refer\w*|"
    r"aanvra\w*|vra(?:ag|agt|gen)\s+(?:\w+\s+){0,3}aan|gewoon\s+(?:heen|langs|binnen\w*|naartoe)|"
    r"zonder\s+afspraak|binnen\s*(?:lopen|komen|kom)|walk\s+in)\b",
    re.IGNORECASE,
)
# A time of day or a day of the week: the question is about opening hours ('kan ze daar savonds bellen?')
WHEN = re.compile(
    r"(?:\b|')s\s*(?:avonds|ochtends|middags|nachts)\b|\b(?:savonds|sochtends|smiddags|snachts|avond\w*|"
    r"ochtend\w*|weekend\w*|zaterdag\w*|zondag\w*|maandag\w*|dinsdag\w*|woensdag\w*|donderdag\w*|"
    r"vrijdag\w*|feestdag\w*|evening\w*|saturday|sunday|tonight|(?:na|voor|tot)\s+\d{1,2}\s*uur)\b",
    re.IGNORECASE,
)
# How long it takes: 'duurt dat lang?', 'is er een wachtlijst?'. The kaart writes the waiting time in its own
# words in one of the fields ('wachttijd ongeveer 6 weken' in the access route).
WAITING = re.compile(
    r"\b(?:duurt|duren|lang\s+wachten|wachttijd\w*|wachtlijst\w*|hoe\s+snel|how\s+long|waiting\s+list|"
    r"hoe\s+lang\s+(?:\w+\s+){0,4}wacht\w*|hoeveel\s+(?:weken|maanden|dagen|tijd)|"
    r"(?:zijn|is|reageren|reageert|kunnen|kan|helpen|komen)\s+(?:ze|zij|die|hij|het|jullie)\s+(?:\w+\s+)?snel|"
    r"wacht\w*\s+(?:\w+\s+){0,2}op\s+(?:een\s+|de\s+|het\s+)?(?:eerste\s+)?"
    r"(?:gesprek|intake|afspraak|plek|plaats))\b",
    re.IGNORECASE,
)  # 'hoe lang moet hij wachten op een eerste gesprek?', 'hoeveel weken zit daar tussen?'
# 'is dat ook voor de moeder?': a relative of the client; the kaart says 'naasten', 'familie', 'mantelzorgers'
RELATIVES = frozenset(
    ["moeder", "vader", "ouder", "ouders", "partner", "zus", "broer", "familie", "familielid", "gezinsleden",
     "naaste", "naasten", "echtgenoot", "echtgenote", "dochter", "zoon", "mantelzorger", "mother", "father",
     "family", "parents"]
)  # fmt: skip
NEXT_OF_KIN = ("naasten", "naaste", "familie", "familieleden", "mantelzorgers", "mantelzorger", "ouders")


def field_text(service: Service, attribute: str) -> str:
    values = {
        "openingstijden": service.schedule,
        "toegang": service.application_process,
        "kosten": f"{service.fees_description} {' '.join(service.funding)}",
        "talen": " ".join(service.languages),
        "aanbod": f"{service.name} {' '.join(service.themes)} {service.description}",
    }
    return values.get(attribute, "")


def content_words(text: str, services: Sequence[Service], *, keep_names: bool = False) -> list[str]:
    """The question's words that may name a field value: no attribute words, no words of the partners'
    names ('de koers' is the partner, not what is asked) unless `keep_names` ('doen ze ook iets aan gokken?'
    to 'Hulp bij alcohol, drugs en gokken')."""
    names: set[str] = set()
    if not keep_names:
        names = {w for s in services for w in words(f"{s.name} {s.organization} {s.id.replace('-', ' ')}")}
    return [
        w
        for w in words(text)
        if w not in ASKING_WORDS
        and w not in GENERAL_WORDS
        and w not in GENERAL_VERBS
        and len(w) >= 4
        and w not in names
    ]


def _hits(asked: Sequence[str], field: str) -> list[str]:
    field_words = words(field)
    return [w for w in asked if any(same_word(w, f) >= STRONG_MATCH for f in field_words)]


def matching_attribute(services: Sequence[Service], text: str) -> tuple[str, list[str]] | None:
    """The attribute whose field (in any of `services`) holds a content word of the question, with the words
    found; None when no field does. 'aanbod' only for a question that asks whether they also do something."""
    asked = content_words(text, services)
    offer = bool(OFFER.search(text) or BARE_WORD_ASK.fullmatch(text))
    best: tuple[int, str, list[str]] | None = None
    for attribute in FIELD_ATTRIBUTES:
        if attribute == "aanbod" and not offer:
            continue
        words_ = content_words(text, services, keep_names=True) if attribute == "aanbod" else asked
        if attribute == "aanbod" and RELATIVES & set(re.findall(r"[a-z]+", fold(text))):
            words_ = list(NEXT_OF_KIN)  # what the kaart calls the people around the client
        found = sorted({w for s in services for w in _hits(words_, field_text(s, attribute))})
        if found and (best is None or len(found) > best[0]):
            best = (len(found), attribute, found)
    return (best[1], best[2]) if best else None


def better_attribute(
    services: Sequence[Service], text: str, attribute: str, certainty: float
) -> tuple[str, list[str]]:
    """The attribute to answer: the model's when it is sure or when its field already holds a word of the
    question; else the field that does ('anoniem' -> toegang). Also returns the words found."""
    if WAITING.search(text):  # how long it takes: the sentence of whichever field states it (waiting.py),
        return "wachttijd", content_words(text, services)  # the one about what is asked ('bij uitzetting')
    if certainty >= SURE_ATTRIBUTE and attribute not in ("talen", "aanbod"):
        return attribute, []
    if (
        certainty < SURE_ATTRIBUTE
        and attribute != "openingstijden"
        and (WHEN.search(text) or names_weekday(text))
    ):
        return (
            "openingstijden",
            [],
        )  # 'kan ze daar savonds bellen?', 'kledingbank ook za?': a time of day or a day asks for the hours
    match = matching_attribute(services, text)
    if match is None and attribute != "toegang" and SIGN_UP.search(text):
        return "toegang", []  # 'hoe meld ik hem daar aan?' asks for the access route, not for a call script
    if match is None:
        if (
            OFFER.search(text)
            and certainty < SURE_ATTRIBUTE
            and content_words(text, services, keep_names=True)
        ):
            return "aanbod", []  # 'do they do X too?' and X is not on the kaart: say what they do
        return attribute, []
    found, hits = match
    own = attribute in FIELD_ATTRIBUTES and any(_hits(hits, field_text(s, attribute)) for s in services)
    return (attribute, hits) if own else (found, hits)


def offers(service: Service, found: Sequence[str]) -> bool:
    """The partner's name, themes or description hold one of the words found."""
    return bool(_hits(found, field_text(service, "aanbod")))
