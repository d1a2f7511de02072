"""Texts the user reads (Dutch B1, English when the user writes English). No LLM prompt text here."""

from __future__ import annotations

from typing import Literal

Language = Literal["nl", "en"]

_TEXTS: dict[str, dict[Language, str]] = {
    "empty": {
        "nl": "Ik zie geen vraag. Typ je vraag in woorden, bijvoorbeeld: 'Hoe werk ik samen met de huisarts?'",
        "en": "I don't see a question. Please type it in words.",
    },
    "symbols_only": {
        "nl": "Ik zie alleen tekens of emoji. Typ je vraag in woorden, "
        "bijvoorbeeld: 'Hoe maak ik afspraken met school?'",
        "en": "I only see symbols or emoji. Please type your question in words.",
    },
    "truncated": {
        "nl": "Je vraag was erg lang; ik heb de eerste {limit} tekens gebruikt.",
        "en": "Your question was very long; I used the first {limit} characters.",
    },
    "out_of_scope": {
        "nl": "Daar gaat de publicatie 'Samenwerken in de wijk' niet over. "
        "Daarom kan ik daar geen betrouwbaar antwoord op geven.\n\n"
        "Waar ik wel mee help:\n"
        "• vragen over samenwerken met partners, zoals de huisarts, school of wijkagent\n"
        "• /vragen: de tien vragen uit de publicatie\n"
        "• /partner: een partner zoeken voor een situatie\n"
        "• /kaart: zoeken in de sociale kaart",
        "en": "The publication 'Samenwerken in de wijk' does not cover this, "
        "so I can't give a reliable answer.\n\n"
        "What I can help with:\n"
        "• questions about working with partners, such as the GP, schools or the neighbourhood police officer\n"
        "• /vragen: the ten questions from the publication\n"
        "• /partner: find a partner for a situation\n"
        "• /kaart: search the local partner directory (sociale kaart)",
    },
    "near_miss": {
        "nl": "Dit precieze punt staat niet in de publicatie 'Samenwerken in de wijk'. "
        "Het onderwerp komt wel aan bod, in {citation}.\n\n"
        "• /vragen: de tien vragen uit de publicatie, met samenvatting en advies\n"
        "• regels en termijnen: vraag ze na bij je gemeente of in je eigen werkafspraken",
        "en": "This exact point is not in the publication 'Samenwerken in de wijk'. "
        "The topic is covered, in {citation}.\n\n"
        "• /vragen: the ten questions from the publication, with summary and advice\n"
        "• rules and deadlines: check them with your municipality or in your own team agreements",
    },
    "injection": {
        "nl": "Mijn instructies deel ik niet, en ik volg geen nieuwe instructies uit een bericht. "
        "Ik beantwoord alleen vragen over samenwerken in de wijk, met de publicatie als bron.\n\n"
        "Je kunt bijvoorbeeld vragen: 'Hoe maak ik afspraken over terugkoppeling?' "
        "Of kies /vragen, /partner of /kaart.",
        "en": "I don't share my instructions, and I don't follow new instructions from a message. "
        "I only answer questions about collaboration in the neighbourhood, based on the publication.\n\n"
        "Try for example: 'How do we agree on feedback after a referral?' Or use /vragen, /partner or /kaart.",
    },
    "english_lead": {
        "nl": "",
        "en": "The publication is in Dutch. This is what it says (quoted in Dutch):",
    },
    "llm_fallback": {
        "nl": "De taalassistent reageerde niet op tijd; hier is het antwoord uit de publicatie.",
        "en": "The language assistant did not respond in time; here is the answer from the publication.",
    },
    "llm_unsupported": {
        "nl": "Het antwoord van de taalassistent kon ik niet controleren met de publicatie; "
        "hier is het antwoord uit de publicatie zelf.",
        "en": "I could not check the language assistant's answer against the publication; "
        "here is the answer from the publication itself.",
    },
    "contacts_removed": {
        "nl": "Ik heb een telefoonnummer, e-mailadres of website uit het antwoord gehaald. "
        "Die stond niet in de publicatie of in de sociale kaart. Zoek contactgegevens op met /kaart.",
        "en": "I removed a phone number, e-mail address or website from the answer: it was not in the "
        "publication or the sociale kaart. Look up contact details with /kaart.",
    },
    "loose_lead": {
        "nl": "Een direct antwoord op deze vraag geeft de publicatie niet. Wel zegt ze dit over het onderwerp:",
        "en": "The publication gives no direct answer to this. This is what it says about the topic:",
    },
    "loose_more": {
        "nl": "Kijk ook bij /vragen: de tien vragen uit de publicatie, met samenvatting en advies.",
        "en": "See also /vragen: the ten questions from the publication, with summary and advice.",
    },
    "source_label": {"nl": "Bron", "en": "Source"},
}


def text(key: str, language: Language = "nl", **values: object) -> str:
    """A user-facing text in the given language, with {placeholders} filled in."""
    template = _TEXTS[key][language] or _TEXTS[key]["nl"]
    return template.format(**values) if values else template


def number(value: int) -> str:
    """A number with the Dutch thousands separator: 2000 -> '2.000'."""
    return f"{value:,}".replace(",", ".")
