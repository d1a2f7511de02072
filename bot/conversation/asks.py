"""Shapes of a message that say what it asks, whatever the act model reads: the bot's own wijken, the
publication itself, partners for another person of the case, whether one may call a partner oneself."""

from __future__ import annotations

import re

from bot.conversation.lookup import CASE_PEOPLE, without_reference

# 'welke wijken ken je?', 'voor welke wijken werk je?': the bot's own wijken, not a partner look-up
WIJKEN_ASKED = re.compile(
    r"\bwelke\s+(?:wijken|buurten|gebieden)\b|\bwhich\s+(?:areas|neighbou?rhoods|districts)\b", re.IGNORECASE
)
# A question that says it is about the publication itself: what is in it ('staat er iets in over zorgmail?',
# 'wat zegt de publicatie daarover?') or who wrote it
ABOUT_PUBLICATION = re.compile(
    r"\b(?:staat|stond|staan)\s+(?:er|daar|het)\s+(?:\w+\s+){0,2}?in\s+over\b"
    r"|\b(?:de|die|deze|jouw|je)\s+(?:\w+\s+)?(?:publicatie|brochure|handreiking)\b"
    r"|\bwat\s+(?:zegt|staat|vertelt|schrijft)\s+(?:er\s+)?(?:het|dat|dit)\s+boek\b"
    r"|\bwie\s+(?:heeft|hebben)\s+(?:het|dat|dit|die|deze)\s+(?:\w+\s+){0,5}?geschreven\b"
    r"|\bwho\s+wrote\b|\bthe\s+publication\b",
    re.IGNORECASE,
)
# What the publication as a whole is about: 'waar gaat de publicatie eigenlijk over?', 'Ik moet 'Samenwerken in de
# wijk' lezen, waar gaat dat over?', 'what is the publication about?'. The message must name the publication (or
# point at it as 'het boek'); 'waar gaat dat over?' alone may be about anything.
PUBLICATION_NAMED = re.compile(
    r"\b(?:publicatie|brochure|handreiking|het\s+boek|dat\s+boek|dit\s+boek|samenwerken\s+in\s+de\s+wijk|"
    r"publication|the\s+book|this\s+book|that\s+book)\b",
    re.IGNORECASE,
)
_WHOLE_NL = r"(?:(?:de|die|deze|dat|dit|het)\s+(?:publicatie|boek|brochure|handreiking)|het|dat|dit|die|deze)"
_WHOLE_EN = r"(?:(?:the|this|that)\s+(?:publication|book|document)|it|this|that)"
_TITLE = r"(?:\s+['\"‘“][^'\"’”]{3,60}['\"’”])?"  # the title in quotes after the reference
_FILL_NL = r"(?:\s+(?:eigenlijk|nou|precies|dan|nu|zoal|allemaal|in\s+het\s+kort|in\s+grote\s+lijnen))*"
_FILL_EN = r"(?:\s+(?:actually|really|mainly|all|exactly))*"
WHOLE_ASKED = re.compile(
    rf"\bwaar\s+(?:gaat|ging)\s+{_WHOLE_NL}{_TITLE}{_FILL_NL}\s+over\b|\bwaarover\s+gaat\s+{_WHOLE_NL}\b|"
    rf"\bwat\s+is\s+de\s+(?:inhoud|samenvatting|boodschap)\s+van\s+{_WHOLE_NL}\b|\bvat\s+{_WHOLE_NL}\s+samen\b|"
    rf"\b{_WHOLE_NL}\s+(?:kort\s+)?samenvatten\b|"
    rf"\bwhat\s+(?:is|'s)\s+{_WHOLE_EN}{_TITLE}{_FILL_EN}\s+about\b|\bwhat\s+does\s+{_WHOLE_EN}{_TITLE}\s+cover\b|"
    rf"\bsummar(?:y|i[sz]e)\s+(?:of\s+)?{_WHOLE_EN}\b",
    re.IGNORECASE,
)
# 'welke tien vragen zijn dat dan?', 'which ten questions?': the list of the ten vragen
TEN_VRAGEN = re.compile(
    r"\b(?:welke|wat\s+zijn\s+de|noem\s+de|wat\s+waren\s+de)\s+(?:tien|10)\s+(?:vragen|vraagstukken|thema\W?s)\b|"
    r"\b(?:which|what\s+are\s+the)\s+(?:ten|10)\s+(?:questions|issues|topics)\b",
    re.IGNORECASE,
)


def about_whole_publication(text: str) -> bool:
    """The message asks what the publication as a whole is about (not what it says about one topic)."""
    return bool(PUBLICATION_NAMED.search(text) and WHOLE_ASKED.search(text))


# Who wrote the publication: 'wie heeft het eigenlijk geschreven', 'wie is de auteur', 'who wrote it?'
WHO_WROTE = re.compile(
    r"\bwie\s+(?:heeft|hebben)\s+(?:het|dat|dit|die|deze)\s+(?:\w+\s+){0,5}?geschreven\b"
    r"|\bwie\s+(?:is|zijn|was|waren)\s+(?:de\s+)?(?:auteurs?|schrijvers?)\b|\bvan\s+wie\s+is\s+(?:de|die|deze)\s+"
    r"(?:publicatie|brochure|handreiking)\b|\bwho\s+(?:wrote|are\s+the\s+authors|is\s+the\s+author)\b",
    re.IGNORECASE,
)
# Acts of a short follow-up that names only a person of the case ('en voor de vrouw?', 'en de kinderen?')
PERSON_ACTS = frozenset({"vervolg", "partner_zoeken", "onduidelijk", "situatie", "partner_vraag"})


def only_case_people(text: str) -> bool:
    """The message names a person of the case and nothing else ('en voor de vrouw?'): after a situation it asks
    for partners for that person, it names no partner ('vrouw' is no Vrouwenopvang). Not a message that points
    at a partner ('is dat ook iets voor de dochter?', 'die van de kinderen')."""
    match = FOR_PERSON.match(text)
    return match is not None and match["who"].casefold() in CASE_PEOPLE and without_reference(text) == text


FOR_PERSON = re.compile(
    r"^\W*(?:en|maar|of)?\s*(?:voor|met|bij)?\s*(?:de|haar|zijn|hun|het)?\s*(?P<who>[a-z]+)(?:\s+zelf)?"
    r"(?:\s+dan)?\W*$",
    re.IGNORECASE,
)


# 'kan ik zelf bellen?', 'mag ze zelf aanmelden?', 'can I call them myself?': whether one may go there directly
SELF_ACCESS = re.compile(
    r"\b(?:kan|kun|kunnen|mag|mogen)\s+(?:ik|je|jij|we|wij|ze|zij|hij|de\s+\w+)\s+(?:\w+\s+){0,3}?zelf\s+"
    r"(?:\w+\s+){0,3}?(?:bellen|aanmelden|melden|binnenlopen|langsgaan|heen)\b"
    r"|\b(?:can|may)\s+(?:i|we|she|he|they)\s+(?:\w+\s+){0,3}?(?:call|contact|refer)\s+(?:\w+\s+){0,3}?"
    r"(?:myself|ourselves|herself|himself|themselves|directly)\b",
    re.IGNORECASE,
)


# 'wat zegt het boek over de huisarts?', 'wat staat er in het laatste hoofdstuk over mandaat?', in Dutch: a question about one topic of the publication, in a frame that names the
# publication. The frame's words ('boek', 'publicatie') pull retrieval to the introduction, so the topic is searched
# on its own.
TOPIC_FRAME = re.compile(
    r"^\W*(?:(?:en|maar|ok[eé]?|oke|and|so)\W+)?(?:"
    r"wat\s+(?:zegt|zeggen|staat|stond|schrijft|schrijven|vertelt|vertellen|vindt|vinden)\s+(?:er\s+)?(?:in\s+)?"
    r"(?:\w+\s+){0,3}?(?:publicatie|boek|brochure|handreiking|hoofdstuk|auteurs?|schrijvers?|movisie)\s+"
    r"(?:er\s+)?(?:nog\s+|dan\s+|eigenlijk\s+|precies\s+|zoal\s+|allemaal\s+)*over"
    r"|staat\s+er\s+(?:in\s+(?:\w+\s+){0,2}?(?:publicatie|boek|brochure|handreiking)\s+)?(?:ook\s+|nog\s+)?"
    r"(?:iets|wat)\s+(?:in\s+)?over"
    r"|wat\s+(?:bedoelen|bedoelt)\s+(?:ze|zij|de\s+auteurs?|de\s+schrijvers?|het\s+boek|de\s+publicatie)\s+"
    r"(?:\w+\s+)?(?:in\s+(?:\w+\s+){0,2}?(?:publicatie|boek|brochure|handreiking|hoofdstuk)\s+)?"
    r"(?:eigenlijk\s+|precies\s+|nou\s+)*met"
    r")\b(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
IN_THE_BOOK = re.compile(
    r"\s+(?:in|uit)\s+(?:de|het|dit|die|deze)\s+(?:publicatie|boek|brochure|handreiking)\s*$", re.IGNORECASE
)
POINTS_BACK_WORDS = frozenset({"dat", "dit", "die", "deze", "het", "daar", "daarover", "hierover", "er", "it",
                               "ook", "nog", "in", "de", "publicatie", "boek"})  # fmt: skip


def framed_topic(text: str) -> str | None:
    """The topic a framed publication question asks about ('wat zegt het boek over de huisarts?' -> 'de
    huisarts'); '' when the frame points back ('wat zegt het boek daarover?', 'staat daar iets over in de
    publicatie?'); None when the text has no such frame."""
    match = TOPIC_FRAME.match(text)
    if match is None:
        return "" if POINTING_FRAME.search(text) else None
    rest = re.split(r"[?!]", match["rest"])[0].strip(" .,")  # 'wat bedoelen ze met X? snap ik niet': X
    rest = IN_THE_BOOK.sub("", rest).strip(" .,")  # 'wat bedoelen ze met X in de publicatie?': X
    words = re.findall(r"[\w'-]+", rest.casefold())
    return rest if any(w not in POINTS_BACK_WORDS for w in words) else ""


# 'staat daar ook iets over in de publicatie?', 'wat zegt het boek daarover?': the frame around the last topic
POINTING_FRAME = re.compile(
    r"\b(?:staat|stond)\s+(?:daar|er|hier)\s+(?:ook\s+|nog\s+)?(?:iets|wat)\s+(?:\w+\s+)?over\s+in\s+(?:de|het)\s+"
    r"(?:publicatie|boek|brochure|handreiking)\b"
    r"|\bwat\s+(?:zegt|zeggen|schrijft|vindt)\s+(?:de|het)\s+(?:publicatie|boek|brochure|handreiking)\s+"
    r"(?:er\s+)?(?:daar|hier)?over\b"
    r"|\b(?:daar|hier)over\s+in\s+(?:de|het)\s+(?:publicatie|boek)\b",
    re.IGNORECASE,
)


# Words that name the source, not the topic: 'volgens de publicatie', 'staat daar iets over in de publicatie?',
# 'wat zegt samenwerken in de wijk', 'according to the publication'. Searched as words they pull retrieval to
# passages that mention some publication (the introduction, a quote from another report), so they are left out
# of the question searched when the rest still asks something.
_BOOK_NL = r"(?:publicatie|boek|brochure|handreiking|['‘\"]?samenwerken\s+in\s+de\s+wijk['’\"]?)"
_BOOK_EN = r"(?:publication|book|document)"
SOURCE_WORDS = re.compile(
    rf"\b(?:volgens|according\s+to)\s+(?:(?:de|die|deze|het|dat|the|this|that)\s+{_BOOK_NL}|hen|hun|jou|"
    rf"(?:the|this|that)\s+{_BOOK_EN}|them|you|{_BOOK_NL})"
    rf"|\b(?:staat|stond|staan)\s+(?:daar|er|hier)\s+(?:ook\s+|nog\s+|eigenlijk\s+)*(?:iets|wat)\s+(?:\w+\s+)?over\s+"
    rf"in\s+(?:de|die|deze|het|dat)\s+{_BOOK_NL}\s*\??"
    rf"|\bwat\s+(?:zegt|zeggen|schrijft|vindt)\s+(?:de|die|deze|het|dat)?\s*{_BOOK_NL}(?:\s+(?:er|daar|hier)?over)?"
    rf"(?:\s+(?:eigenlijk|dan|precies))*\s*\??"
    rf"|\b(?:zegt|zeggen|schrijft|schrijven|noemt)\s+(?:de|die|deze|het|dat)\s+{_BOOK_NL}\s+(?:(?:daar|er|hier|ook|nog|"
    rf"eigenlijk)\s+)*(?:iets|wat)\s+over\b"
    rf"|\bwhat\s+does\s+(?:the|this|that)\s+{_BOOK_EN}\s+say(?:\s+about\s+(?:it|this|that))?\s*\??"
    rf"|\b(?:in|uit|from|of)\s+(?:de|die|deze|het|dat|the|this)\s+(?:{_BOOK_NL}|{_BOOK_EN})\b"
    rf"|\bin\s+{_BOOK_NL}",
    re.IGNORECASE,
)
MIN_TOPIC_WORDS = 3  # words the question needs without its source words to be searched alone


def without_source(text: str) -> str:
    """The question without the words that name the publication ('Waarom botst dat zo vaak? Staat daar iets
    over in de publicatie?' -> 'Waarom botst dat zo vaak?'); the text itself when little would be left."""
    bare = " ".join(SOURCE_WORDS.sub(" ", text).split()).strip(" ,;:")
    return bare if bare != text and len(re.findall(r"\w+", bare)) >= MIN_TOPIC_WORDS else text
