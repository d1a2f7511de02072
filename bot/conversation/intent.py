"""Classify free text: a question about collaboration, a situation that needs a partner, or unsure.

Scoring on general cues, not on example strings:
- question cues: question form (question word first, '?'), collaboration vocabulary, the professional's own
  perspective ('ik', 'we', 'mijn team');
- situation cues: a third person described (client nouns, pronouns, ages), problem signals (debts, violence,
  loneliness, ...), and asking *where to* refer ('waar kan ik ... heen', 'welke organisatie').
The larger score wins when it is clearly larger; otherwise the engine asks with two buttons.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

IntentKind = Literal["question", "situation", "unsure"]

QUESTION_WORDS = frozenset({
    "hoe", "wat", "waarom", "wanneer", "welke", "welk", "wie", "waar", "waarmee", "waarover", "hoeveel",
    "kan", "kun", "kunnen", "mag", "mogen", "moet", "moeten", "is", "zijn", "heb", "hebben", "werkt",
    "zou", "zouden", "wil", "willen", "wordt", "worden", "bestaat", "geldt",
})  # fmt: skip
COLLABORATION_STEMS = (
    "samenwerk", "samen", "netwerk", "afstem", "afspra", "terugkoppel", "terugmeld", "overleg", "contact",
    "ketenpartner", "partner", "terugbel", "visie", "werkwijze", "mandaat", "schot", "financier", "budget", "taak",
    "taken", "verantwoordelijk", "rol", "concurrent", "belang", "onafhankelijk", "organisatorisch",
    "belemmer", "agenda", "ruimte", "experiment", "regie", "regisseur", "wijkteam", "buurtteam", "collega",
    "professional", "vertrouwen", "ontmoet", "kennismak", "kennen", "relatie", "integraal", "domein",
    "huisarts", "school", "scholen", "wijkagent", "woningcorporatie", "publicatie", "tips", "advies",
    "positie", "draagvlak", "bestuurder", "manager", "leidinggevend", "privacy", "gegevens", "delen",
    "uitwissel", "casusoverleg", "mdo", "aanpak",
)  # fmt: skip
OWN_PERSPECTIVE = frozenset({"ik", "we", "wij", "mijn", "ons", "onze", "jullie", "je", "jij"})
CLIENT_NOUNS = (
    "client", "bewoner", "moeder", "vader", "ouder", "gezin", "huishouden", "man", "vrouw", "meneer",
    "mevrouw", "jongen", "meisje", "jongere", "kind", "zoon", "dochter", "baby", "puber", "tiener",
    "oudere", "weduw", "alleenstaand", "statushouder", "vluchteling", "buurman", "buurvrouw", "echtpaar",
    "oma", "opa", "mantelzorger", "gezinslid", "familie", "student", "leerling", "mannen", "vrouwen",
)  # fmt: skip
THIRD_PERSON = frozenset({"hij", "hem", "haar", "ze", "zij", "zijn", "diens"})
PROBLEM_STEMS = (
    "schuld", "huur", "achterstand", "ontruim", "afsluit", "incasso", "deurwaarder", "beslag", "armoede",
    "rondkom", "rekening", "eenzaam", "isolement", "verslav", "alcohol", "drank", "drinkt", "drugs",
    "gokt", "gokken", "depress", "psych", "angst", "verward", "dement", "vergeetachtig", "suicid",
    "zelfmoord", "doodswens", "geweld", "mishandel", "slaat", "dreig", "misbruik", "verwaarloos", "vervuil",
    "dakloos", "thuisloos", "werkloos", "uitkering", "bijstand", "post", "brieven", "spijbel", "verzuim",
    "schooluitval", "opvoed", "ruzie", "scheiding", "gescheiden", "overbelast", "taalprobleem",
    "inburger", "laaggeletterd", "ziek", "beperking", "handicap", "rolstoel", "gevallen", "honger",
    "voedselbank", "onveilig", "bedreigd", "stalk", "loverboy", "radicalis", "gepest", "pesten",
    "agressie", "agressief", "zorgwekkend", "zorgen", "hulpvraag", "ondersteuning", "krijgt",
    "lukt", "durft", "woont", "verhuisd", "huisuitzetting", "energie", "wachtlijst",
)  # fmt: skip
WHERE_TO_PATTERNS = (
    r"\bwaar kan (ik|hij|zij|ze) .*\b(heen|terecht|naartoe)\b",
    r"\bnaar wie\b", r"\bwie kan (hem|haar|ze|hen|dit gezin|helpen)\b", r"\bwie helpt\b",
    r"\b(welke|een) (organisatie|instantie|partner|hulpverlen\w*|dienst)\b.*\b(helpen|voor|bij)\b",
    r"\b(door)?verwijz\w* (naar|voor)\b", r"\bin ?schakelen\b", r"\bhulp (zoeken|vinden|nodig)\b",
    r"\bzoek(t|en)? (hulp|een partner|iemand)\b",
)  # fmt: skip
AGE_PATTERN = r"\b\d{1,3}[ -]?(jaar|jarig\w*|jr)\b|\bvan (\d{1,2}|begin|eind|midden) (de )?\d{0,2}"

CLEAR_MARGIN = 0.75
MIN_SCORE = 1.25


@dataclass(frozen=True, slots=True)
class IntentResult:
    kind: IntentKind
    question: float
    situation: float
    cues: tuple[str, ...] = ()


def normalize(text: str) -> str:
    """Lower case without accents: 'Cliënt' -> 'client'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


POSSESSIVES = frozenset({"haar", "zijn", "hun", "z", "mijn"})


def _stem_hits(words: list[str], stems: tuple[str, ...]) -> list[str]:
    return [w for w in words if any(w.startswith(stem) for stem in stems)]


def _collaboration_hits(words: list[str]) -> list[str]:
    """Collaboration words; 'haar partner' (a client's partner) does not count."""
    return [
        w
        for i, w in enumerate(words)
        if any(w.startswith(stem) for stem in COLLABORATION_STEMS)
        and not (w.startswith("partner") and i > 0 and words[i - 1] in POSSESSIVES)
    ]


def _asks_where_to(text: str) -> bool:
    return any(re.search(pattern, text) for pattern in WHERE_TO_PATTERNS)


def _question_score(text: str, words: list[str], cues: list[str]) -> float:
    score = 0.0
    if _asks_where_to(text):
        pass  # 'waar kan ik heen met ...?' is question-shaped but asks for a partner
    elif text.rstrip().endswith("?"):
        score += 0.75
        cues.append("vraagteken")
    if words and words[0] in QUESTION_WORDS and not _asks_where_to(text):
        score += 0.75
        cues.append(f"vraagwoord:{words[0]}")
    collaboration = _collaboration_hits(words)
    score += min(len(collaboration), 3) * 0.6
    cues.extend(f"samenwerken:{w}" for w in collaboration[:3])
    if collaboration and OWN_PERSPECTIVE.intersection(words):
        score += 0.4
        cues.append("eigen-perspectief")
    return score


def _situation_score(text: str, words: list[str], cues: list[str]) -> float:
    score = 0.0
    clients = _stem_hits(words, CLIENT_NOUNS)
    score += min(len(clients), 2) * 0.7
    cues.extend(f"persoon:{w}" for w in clients[:2])
    pronouns = [w for w in words if w in THIRD_PERSON]
    score += min(len(pronouns), 2) * 0.25
    if re.search(AGE_PATTERN, text):
        score += 0.8
        cues.append("leeftijd")
    problems = _stem_hits(words, PROBLEM_STEMS)
    score += min(len(problems), 3) * 0.6
    cues.extend(f"probleem:{w}" for w in problems[:3])
    if _asks_where_to(text):
        score += 1.5
        cues.append("waar-naartoe")
    if not text.rstrip().endswith("?") and len(words) >= 8:
        score += 0.4  # a description rather than a question
        cues.append("beschrijving")
    return score


def classify(text: str) -> IntentResult:
    """Classify one message. Pure and fast; no I/O."""
    norm = normalize(text)
    words = re.findall(r"[a-z0-9]+", norm)
    cues: list[str] = []
    question = _question_score(norm, words, cues)
    situation = _situation_score(norm, words, cues)
    if situation >= MIN_SCORE and situation - question >= CLEAR_MARGIN:
        kind: IntentKind = "situation"
    elif question >= MIN_SCORE and question - situation >= CLEAR_MARGIN:
        kind = "question"
    else:
        kind = "unsure"
    return IntentResult(
        kind=kind, question=round(question, 2), situation=round(situation, 2), cues=tuple(cues)
    )
