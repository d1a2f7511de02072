"""The glossary (knowledge/begrippen.yaml): short B1 explanations, each naming its source.

Entries from outside the publication say so and cite a public source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.conversation import texts
from bot.conversation.lookup import fold, same_word, words


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    aliases: tuple[str, ...]
    text: str
    source: str
    from_publication: bool
    english: str = ""  # a short English explanation, for a question asked in English (round 10)

    def short_reply(self, limit: int) -> str:
        """The first sentences that fit in `limit` characters, with the source on one line."""
        template = texts.GLOSSARY_SOURCE if self.from_publication else texts.GLOSSARY_OUTSIDE
        source = template.format(source=self.source)
        sentences = re.split(r"(?<=[.!?])\s+", " ".join(self.text.split()))
        kept = sentences[0]
        for sentence in sentences[1:]:
            if len(self.term) + len(kept) + len(sentence) + len(source) + 5 > limit:
                break
            kept = f"{kept} {sentence}"
        return f"{self.term}: {kept}\n{source}"

    def reply(self) -> str:
        template = texts.GLOSSARY_SOURCE if self.from_publication else texts.GLOSSARY_OUTSIDE
        return f"{self.term}: {' '.join(self.text.split())}\n\n{template.format(source=self.source)}"


class GlossaryError(ValueError):
    """begrippen.yaml has the wrong shape."""


def load_glossary(path: Path) -> list[Entry]:
    """All entries; [] when the file is missing. Raises GlossaryError on a malformed entry."""
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries: list[Entry] = []
    for number, item in enumerate(data.get("begrippen") or [], start=1):
        if not isinstance(item, dict) or not all(item.get(k) for k in ("begrip", "uitleg", "bron")):
            raise GlossaryError(f"{path.name}: begrip {number} mist begrip, uitleg of bron")
        aliases = tuple(fold(str(a)) for a in item.get("termen") or [item["begrip"]])
        entries.append(Entry(str(item["begrip"]), aliases, str(item["uitleg"]), str(item["bron"]),
                             bool(item.get("publicatie", False)), " ".join(str(item.get("engels") or "").split())))  # fmt: skip
    return entries


def find(entries: list[Entry], text: str) -> Entry | None:
    """The entry whose longest alias occurs in the text as whole words ('wat is FACT' -> FACT-team)."""
    found = find_all(entries, text)
    return found[0] if found else None


def find_all(entries: list[Entry], text: str) -> list[Entry]:
    """Every entry the text names, longest alias first ('verschil tussen de wmo en de wlz' -> Wmo, Wlz)."""
    folded = " " + re.sub(r"[^a-z0-9-]+", " ", fold(text)) + " "
    best: dict[str, tuple[int, int, Entry]] = {}
    for entry in entries:
        for alias in entry.aliases:
            at = folded.find(f" {alias} ")
            if at >= 0 and len(alias) > best.get(entry.term, (0, 0, entry))[0]:
                best[entry.term] = (len(alias), at, entry)
    # equally long: the one named first ('wat is de meldcode, moet ik die kennen als wijkteam?' -> meldcode)
    return [entry for *_, entry in sorted(best.values(), key=lambda x: (-x[0], x[1]))]


def in_english(entry: Entry) -> str:
    """The English explanation with the entry's source."""
    template = texts.GLOSSARY_SOURCE if entry.from_publication else texts.GLOSSARY_OUTSIDE
    return f"{entry.term}: {entry.english}\n\n{template.format(source=entry.source)}"


def english_replies(entries: list[Entry], limit: int) -> str:
    """The English explanation of the entry asked; of two ('what is the difference between the Wmo and the
    Jeugdwet?') when both have one and they fit in `limit` characters together."""
    if len(entries) >= 2 and entries[1].english:
        both = "\n\n".join(in_english(e) for e in entries[:2])
        if len(both) <= limit:
            return both
    return in_english(entries[0])


def first_sentence(entry: Entry) -> str:
    return re.split(r"(?<=[.!?])\s+", " ".join(entry.text.split()))[0]


def side_by_side(entries: list[Entry], limit: int) -> str:
    """Three or more entries asked together ('het verschil tussen Wmo, Zvw en Wlz'): the first sentence of each
    (shortened when they do not fit in `limit` together), then their sources on one line per kind (from the
    publication or not)."""
    lines = [f"{e.term}: {first_sentence(e)}" for e in entries]
    room = limit - len(_sources(entries)) - 1
    cap = max(len(line) for line in lines)
    while cap > MIN_LINE and sum(len(texts.shorten(line, cap)) + 1 for line in lines) > room:
        cap -= 10  # the longest sentences lose their ends first
    lines = [texts.shorten(line, cap) for line in lines]
    return "\n".join(lines) + "\n\n" + _sources(entries)


def _sources(entries: list[Entry]) -> str:
    inside = [e.source for e in entries if e.from_publication]
    outside = [e.source for e in entries if not e.from_publication]
    sources = [texts.GLOSSARY_SOURCE.format(source=_merged(inside))] if inside else []
    sources += [texts.GLOSSARY_OUTSIDE.format(source=_merged(outside))] if outside else []
    return "\n".join(sources)


MAX_SIDE_BY_SIDE = 3
MIN_LINE = 80  # a shortened first sentence keeps at least this many characters
_SOURCE = re.compile(r"^(?P<who>[^,()]+),\s*(?P<what>[^()]+?)\s*\((?P<site>[^()]+)\)$")


def _merged(sources: list[str]) -> str:
    """'Rijksoverheid, Wlz (rijksoverheid.nl)' and 'Rijksoverheid, Zvw (rijksoverheid.nl)' -> 'Rijksoverheid
    (rijksoverheid.nl): Wlz; Zvw'; sources of different publishers side by side."""
    parsed = [_SOURCE.match(s) for s in dict.fromkeys(sources)]
    if all(parsed) and len({(m["who"], m["site"]) for m in parsed if m}) == 1:
        first = parsed[0]
        assert first is not None
        return f"{first['who']} ({first['site']}): " + "; ".join(m["what"] for m in parsed if m)
    return "; ".join(dict.fromkeys(sources))


def replies(entries: list[Entry], limit: int) -> str:
    """One entry, or two side by side ('wat is het verschil tussen ...') when both fit in `limit` characters;
    three named together, their first sentences."""
    if len(entries) >= MAX_SIDE_BY_SIDE:
        return side_by_side(entries[:MAX_SIDE_BY_SIDE], limit)
    if len(entries) >= 2:
        both = "\n\n".join(e.reply() for e in entries[:2])
        if len(both) <= limit:
            return both
        short = "\n\n".join(e.short_reply(limit // 2 - 10) for e in entries[:2])
        if len(short) <= limit:
            return short
    return entries[0].reply()


_ASKS_MEANING = re.compile(r"\bwat\s+(?:is|zijn|betekent|betekenen|houdt|doet|doen)\b(.*)")
FILLERS = frozenset(
    ["een", "het", "de", "eigenlijk", "precies", "nou", "nu", "dan", "toch", "zo'n", "zon", "dat", "die", "nog",
     "eens", "ook", "weer", "even", "in", "s", "exact", "exactly", "a", "an", "the"]
)  # fmt: skip


def defined(entries: list[Entry], text: str) -> Entry | None:
    """The entry a 'what is X' question asks for, when X is nothing but the term ('wat is eigenlijk precies
    een sociaal wijkteam?', 'wat houdt een keukentafelgesprek in?'); not 'wat is het wijkteam in zuid'."""
    folded = fold(text)
    match = _ASKS_MEANING.search(folded)
    if match is None:
        return _asked_in_clause(entries, folded)
    whole = " ".join(w for w in re.findall(r"[a-z0-9-]+", match.group(1)) if w not in FILLERS)
    whole_term = next((e for e in entries if whole and whole in e.aliases), None)
    if whole_term is not None:  # a term with commas in it: 'wat betekent een gezin, een plan, een regisseur?'
        return whole_term
    clause = re.split(r"[,;:.?!]", match.group(1))[0]  # 'wat is een beschikking eigenlijk, wie geeft die af?'
    said = [w.strip("'") for w in re.findall(r"[a-z0-9'-]+", clause)]  # 'wat betekent 'x'?': x
    rest = " ".join(w for w in said if w not in FILLERS)
    if not rest and set(said) & POINTING:  # 'iedereen heeft het over de meldcode. wat is dat precies?'
        named = find_all(entries, folded[: match.start()])
        return named[0] if len(named) == 1 else None
    return next((e for e in entries if rest in e.aliases), None)


POINTING = frozenset(["dat", "die", "dit", "het"])
# 'hij vraagt wat een wijkteam nou eigenlijk is': the verb at the end of the clause
_MEANING_AT_END = re.compile(
    r"\bwat\s+([a-z0-9' -]{2,60}?)\s+(?:is|zijn|betekent|betekenen|inhoudt|inhouden)\b"
)


def _asked_in_clause(entries: list[Entry], folded: str) -> Entry | None:
    match = _MEANING_AT_END.search(folded)
    if match is None:
        return None
    rest = " ".join(w for w in re.findall(r"[a-z0-9'-]+", match.group(1)) if w not in FILLERS)
    return next((e for e in entries if rest in e.aliases), None)


# Words of a question that say nothing about what is asked: 'welke stappen heeft de meldcode ook alweer'
ASKING = frozenset(
    ["heeft", "hebben", "alweer", "weer", "precies", "eigenlijk", "nou", "even", "ook", "nog", "zitten", "zit",
     "staan", "staat", "er", "allemaal", "kent", "kennen", "bevat", "which", "what", "does", "have", "are", "the"]
)  # fmt: skip
STRONG = 0.7  # lookup.same_word: the same word, a word that starts the other, or a shared stem


def asked_about(entries: list[Entry], text: str) -> Entry | None:
    """An entry from outside the publication whose own text answers the question's first clause: the clause
    names the term and its other words are all in the entry ('welke stappen heeft de meldcode ook alweer' ->
    the meldcode's five steps). The publication does not treat these terms, so its passages would not fit."""
    clause = re.split(r"[,;:.?!]", fold(text))[0]
    named = find_all(entries, clause)
    if len(named) != 1 or named[0].from_publication:
        return None
    entry = named[0]
    alias_words = {w for alias in entry.aliases for w in words(alias)}
    said = [w for w in words(clause) if w not in alias_words and w not in ASKING]
    own = words(entry.text)
    if not said or not all(any(same_word(w, o) >= STRONG for o in own) for w in said):
        return None
    return entry


# Words of a short follow-up that ask nothing themselves: 'en bij ouderen?', 'en voor jongeren dan?', 'hoe lang'
FOLLOW_UP_FILLERS = frozenset(
    ["bij", "voor", "van", "met", "dan", "ook", "zo", "geldt", "gelden", "dat", "het", "die", "daar", "hoe",
     "zit", "zat", "wat", "lang", "and", "for", "with", "about", "what", "long"]
)  # fmt: skip


def entry_sentences(entry: Entry, text: str) -> str | None:
    """For a short follow-up on an entry ('en bij ouderen?' after the meldcode): the entry's sentences that hold
    every word the follow-up asks about ('... ook ouderenmishandeling.'), with the entry's source; None when a
    word is not in the entry or the follow-up asks about nothing of its own."""
    said = [w for w in words(text) if w not in FOLLOW_UP_FILLERS and w not in FILLERS]
    if not said:
        return None
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(entry.text.split()))
    held = [s for s in sentences if any(same_word(w, o) >= STRONG for w in said for o in words(s))]
    if not held or not all(any(same_word(w, o) >= STRONG for s in held for o in words(s)) for w in said):
        return None
    template = texts.GLOSSARY_SOURCE if entry.from_publication else texts.GLOSSARY_OUTSIDE
    return f"{entry.term}: {' '.join(held)}\n\n{template.format(source=entry.source)}"


# Words that carry no subject of their own in a follow-up ('en als ze het er niet mee eens is?')
FUNCTION_WORDS = frozenset(
    ["en", "als", "of", "maar", "dan", "het", "de", "een", "er", "is", "zijn", "was", "ze", "zij", "hij", "hem",
     "haar", "mw", "mevr", "mevrouw", "dhr", "meneer", "je", "jij", "ik", "we", "wij", "dat", "die", "dit", "deze",
     "wat", "hoe", "wie", "waar", "nou", "nu", "toch", "ook", "nog", "wel", "zo", "kan", "kun", "moet", "mag",
     "wil", "wordt", "worden", "gaat", "doe", "doet", "a", "an", "the", "and", "if", "is", "it", "she", "he",
     "they", "what", "how"]
)  # fmt: skip
LOOSE_SHARED = 2  # words a follow-up shares with one sentence of the entry ('niet mee eens' - bezwaar)
LOOSE_SHARE = 0.6  # ... at least this share of the follow-up's own words


def entry_sentence_near(entry: Entry, text: str) -> str | None:
    """For a follow-up on an entry that the publication does not answer ('en als ze het er niet mee eens is?'
    after the beschikking): the one sentence of the entry that holds most of the follow-up's own words ('Ben je
    het er niet mee eens, dan kun je bezwaar maken.'), with the entry's source; None when none holds enough."""
    said = {w for w in re.findall(r"[a-z0-9]+", fold(text)) if w not in FUNCTION_WORDS}
    if len(said) < LOOSE_SHARED:
        return None
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(entry.text.split()))
    scored = [(len(said & set(re.findall(r"[a-z0-9]+", fold(s)))), s) for s in sentences]
    shared, best = max(scored, key=lambda x: x[0])
    if shared < LOOSE_SHARED or shared < LOOSE_SHARE * len(said):
        return None
    template = texts.GLOSSARY_SOURCE if entry.from_publication else texts.GLOSSARY_OUTSIDE
    return f"{entry.term}: {best}\n\n{template.format(source=entry.source)}"
