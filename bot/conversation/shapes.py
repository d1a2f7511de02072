"""The shape of a message, before its act is read: a greeting or 'I am new here' in front of the real
question, a question word alone ('wanneer'), a question for reasons ('waarom ...')."""

from __future__ import annotations

import re
from dataclasses import dataclass

NEW_HERE = re.compile(
    r"\b(?:ben\s+(?:hier\s+)?(?:nieuw|net\s+begonnen|pas\s+begonnen)|eerste\s+(?:week|werkdag|dag)|"
    r"nieuwe\s+collega|waar\s+(?:moet|kan)\s+ik\s+beginnen)\b",
    re.IGNORECASE,
)
# A leading greeting or 'I am new here' before the real message: 'hoi!', 'goedemorgen,', 'Hi, I just started ...'
GREETING = re.compile(
    r"^(?:goede?(?:morgen|middag|avond)|goeie(?:morgen|middag|avond)|hoi|hallo|hey|hee|hi|hello|hiya|"
    r"good\s+(?:morning|afternoon|evening))(?:\s+(?:allemaal|all|there|daar|wijkbot|bot))?$",
    re.IGNORECASE,
)
NEW_HERE_EN = re.compile(
    r"\b(?:i\s+(?:just|recently)\s+started|i'?m\s+new|i\s+am\s+new|new\s+(?:here|colleague|to\s+the\s+team)|"
    r"first\s+(?:week|day)\s+(?:here|at|in|on))\b",
    re.IGNORECASE,
)
# A question for reasons: the publication's subject, never a partner's fact or a look-up
WHY = re.compile(
    r"^\W*(?:en\s+|maar\s+|ok[eé]?,?\s+)?(?:waarom|why|hoe\s+komt\s+het|how\s+come)\b", re.IGNORECASE
)


# The same point, elsewhere: 'en bij de ggz speelt dat ook?', 'geldt dat ook voor scholen?'
SAME_THERE = re.compile(
    r"\b(?:speelt|geldt|gaat|werkt|zit|is)\s+dat\s+(?:daar\s+|er\s+|hier\s+)?ook\b|\bdaar\s+ook\s+zo\b|"
    r"\bis\s+that\s+(?:also|the\s+same)\b",
    re.IGNORECASE,
)
# 'en over de wijkverpleging?', 'and about schools?': the same question about another topic, right after an answer
# from the publication ('over' asks about a subject, never a partner's fact)
ABOUT_NEXT = re.compile(r"^\W*(?:en|maar|and)\s+(?:wat\s+|what\s+)?(?:over|about)\s+\S", re.IGNORECASE)
# 'welk hoofdstuk is dat?', 'op welke pagina staat dat?', 'which chapter?': where the last answer is in the book
WHICH_CHAPTER = re.compile(
    r"\b(?:welk|welke)\s+(?:hoofdstuk|vraag|vraagstuk|pagina|bladzijde|paragraaf|deel)"
    r"(?:\s+(?:uit|in|van)\s+(?:de|het)\s+(?:publicatie|boek))?"  # 'welke vraag uit de publicatie is dat'
    r"(?:\s+(?:is|staat|stond|was)\s+(?:dat|dit|het)(?:\s+(?:dan|in|precies))*)?\W*$"
    r"|\b(?:which|what)\s+(?:chapter|page|section)(?:\s+(?:is|was)\s+(?:that|this|it)(?:\s+in)?)?\W*$"
    r"|\bwaar\s+(?:in\s+(?:het\s+boek|de\s+publicatie)\s+)?staat\s+(?:dat|dit)\s*(?:in\s+(?:het\s+boek|de\s+"
    r"publicatie))?\W*$",
    re.IGNORECASE,
)
# One of a numbered list picked by its number: 'nr 8?', 'vraag 3', 'nummer 10 graag', '8'. Only after the ten vragen
# were listed ('nr?' alone asks for a phone number: it has no digit).
PICK_NUMBER = re.compile(
    r"^\W*(?:en\s+|and\s+)?(?:(?:nr|nummer|no|number|vraag|question|#)\.?\s*)?(?P<n>\d{1,2})"
    r"(?:\s+(?:graag|please|dan|even|aub|svp))?\W*$",
    re.IGNORECASE,
)
# Whether the partner in focus needs the huisarts first: 'moet hij daarvoor eerst langs de huisarts?', 'moet de
# huisarts eerst verwijzen?', 'need a referral from the GP?'. The huisarts is the route asked about, not the partner
# asked about (the access route of the partner in focus answers it).
VIA_GP = re.compile(
    r"\b(?:langs|via)\s+(?:de\s+|zijn\s+|haar\s+|hun\s+|eigen\s+)*(?:huisarts|ha)\b"
    r"|\bhuisarts\s+(?:\w+\s+)?(?:eerst\s+)?(?:verwijzen|doorverwijzen)\b"
    r"|\b(?:verwijzing|verwijsbrief)\s+(?:van|door|via)\s+(?:de\s+)?(?:huisarts|ha)\b"
    r"|\breferral\s+(?:from|by)\s+(?:the|a|their|his|her)\s+(?:gp|doctor)\b",
    re.IGNORECASE,
)
# Moving to a wijk, said in words ('ik blijf toch in oosterhoek, zet maar terug', 'ik zit voortaan in de polder')
WIJK_MOVE = re.compile(
    r"\b(?:ik\s+(?:werk|zit|blijf|ga|sta)\b.{0,25}?\bin\b|zet\s+(?:het\s+|hem\s+|maar\s+)*(?:terug|om)\b|"
    r"(?:verander|wijzig|wissel)\w*\s+(?:mijn\s+|van\s+)?wijk|mijn\s+wijk\s+is|i\s+(?:work|am)\s+in)",
    re.IGNORECASE,
)


# A question word alone, right after partners were shown, asks for that fact of them.
BARE_ASK = {
    "wanneer": "openingstijden", "en wanneer": "openingstijden", "wanneer dan": "openingstijden",
    "hoe laat": "openingstijden", "welke dagen": "openingstijden", "when": "openingstijden",
    "waar": "adres", "en waar": "adres", "waar dan": "adres", "waar zitten ze": "adres", "where": "adres",
    "hoeveel": "kosten", "wat kost dat": "kosten", "how much": "kosten",
    # 'nr vd leerplichtambtenaar' .. 'hoe heet die?': the name of the contact person there
    "hoe heet die": "contactpersoon", "hoe heet ze": "contactpersoon", "hoe heet hij": "contactpersoon",
    "hoe heet zij": "contactpersoon", "en hoe heet die": "contactpersoon", "naam": "contactpersoon",
    "en de naam": "contactpersoon", "welke naam": "contactpersoon", "whats their name": "contactpersoon",
    "what s their name": "contactpersoon", "what is their name": "contactpersoon",
}  # fmt: skip


# The parts of a partner question that may each ask a fact: 'waar zitten die en wanneer?', 'mailen of bellen? en tot
# hoe laat zijn ze bereikbaar?', 'where is it and when is it open?'. The act model reads each part on its own.
ASK_PARTS = re.compile(r"\?+|[,;:]\s+|\s+(?:en|and)\s+", re.IGNORECASE)


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.casefold())


@dataclass(frozen=True, slots=True)
class Rest:
    """The message after its greeting or 'new here' opening; new_here: the opening said so."""

    text: str
    new_here: bool


# A rest that asks about something the opening named: 'wat is dat precies?'
POINTS_BACK = re.compile(
    r"^\W*(?:en\s+)?(?:wat|hoe|waarom|wie|waar)\s+(?:is|zijn|doet|doen|werkt|betekent|bedoelen\s+ze\s+met)\s+"
    r"(?:dat|dit|die|deze|het)\b",
    re.IGNORECASE,
)
# 'waar kan ik het beste beginnen?' after 'ik ben nieuw': the whole message asks how to start
START = re.compile(r"\b(?:beginnen|starten|begin\s+ik|start\s+ik|(?:get\s+)?started|start)\b", re.IGNORECASE)
SEGMENT = re.compile(r"(?<=[.!?,;:])\s+|\s+-\s+|\n+")
MAX_OPENING_WORDS = 16  # an opening sentence longer than this is the message itself
MAX_CLOSING_WORDS = 6  # a closing 'ik ben nieuw (hier)' after the question: short, it adds nothing to ask
MIN_REST = 2  # words the rest needs to stand alone


def without_preamble(text: str) -> Rest | None:
    """The message without its leading greeting and 'I am new here' sentences (and a short closing 'ik ben
    nieuw' after the question), or None when it has none or nothing is left after them ('hoi!', 'ik ben nieuw
    hier')."""
    segments = [s for s in SEGMENT.split(text.strip()) if s.strip()]
    new_here = False
    first = 0
    for segment in segments[:-1]:
        bare = segment.strip().rstrip(".!?,;:").strip()
        if GREETING.match(bare):
            first += 1
        elif (NEW_HERE.search(bare) or NEW_HERE_EN.search(bare)) and len(bare.split()) <= MAX_OPENING_WORDS:
            new_here, first = True, first + 1
        else:
            break
    last = len(segments)
    for segment in reversed(segments[first + 1 :]):  # 'wat zijn de stappen van de meldcode? ik ben nieuw'
        bare = segment.strip().rstrip(".!?,;:").strip()
        if segment.strip().endswith("?"):
            break  # 'ik lees over de meldcode, waar moet ik beginnen?' asks that
        if GREETING.match(bare) or (
            (NEW_HERE.search(bare) or NEW_HERE_EN.search(bare)) and len(bare.split()) <= MAX_CLOSING_WORDS
        ):
            new_here = new_here or not GREETING.match(bare)
            last -= 1
        else:
            break
    trailing = last < len(segments)
    rest = " ".join(segments[first:last])
    if (
        not (first or trailing)
        or len(rest.split()) < MIN_REST
        or POINTS_BACK.match(rest)
        or (new_here and START.search(rest))
    ):
        return None  # 'ben nieuw en iedereen heeft het over de meldcode. wat is dat precies?': one message
    return Rest(rest, new_here)


# 'en de woonconsulent van de corporatie?', 'en bij de papierwinkel?': an article and another subject, no verb or question
# word of its own; after a question about a partner's fact it asks the same fact of the partner it names.
ELLIPSIS = re.compile(
    r"^\W*(?:en|and)\s+(?:bij\s+|voor\s+|van\s+|at\s+|for\s+)?(?:de|het|die|dat|een|the|t|'t)\s+"
    r"(?!(?:als|dan|wat|hoe|wie|waar|wanneer|waarom|is|zijn|kan|kun|kunnen|moet|moeten|heeft|hebben|mag|"
    r"if|what|how|who|where|when|why|is|are|can|do|does)\b)[\w-]+(?:\s+(?!(?:is|zijn|kan|kunnen|moet|heeft|"
    r"hebben|doet|doen|wil|kost|kosten)\b)[\w'-]+){0,4}\W*$",
    re.IGNORECASE,
)
