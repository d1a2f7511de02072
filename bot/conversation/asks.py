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
    r"|\bwie\s+(?:heeft|hebben)\s+(?:het|dat|dit|die|deze)\s+(?:\w+\s+){0,5}?geschreven\b"
    r"|\bwho\s+wrote\b|\bthe\s+publication\b",
    re.IGNORECASE,
)
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
