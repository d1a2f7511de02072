"""Questions about partners: an attribute of the partner in focus or a named one, and look-ups by name or kind."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.conversation import texts
from bot.conversation.actions import KEY_ROOM, Refer, ShowCard, button
from bot.conversation.cards import card, display_name
from bot.conversation.context import Topic
from bot.conversation.facts import (
    asked_languages,
    contact_person,
    dutch_list,
    fact,
    fact_value,
    language_names,
    tappable,
)
from bot.conversation.fields import (
    STRONG_MATCH,
    WHEN,
    better_attribute,
    field_text,
    matching_attribute,
    offers,
)
from bot.conversation.kinds import CLEAR_MARGIN, MIN_KIND_SCORE, SCHEDULE_WORDS, KindIndex, kind_words
from bot.conversation.knowledge import explain_terms
from bot.conversation.lookup import (
    CASE_PEOPLE,
    NameIndex,
    among_shown,
    fold,
    loosely_named,
    only_names,
    ordinal,
    same_word,
    with_dutch,
    without_reference,
)
from bot.conversation.lookup import words as lookup_words
from bot.conversation.schedule import asked_day, names_weekday
from bot.conversation.shapes import ASK_PARTS, BARE_ASK, words_of
from bot.conversation.turn import Turn
from bot.conversation.types import Button
from bot.kaart.model import Service

LOOKUP_SHOWN = 3
SCRIPT_CASE_CHARS = 120  # the situation, as the user typed it (scrubbed), in what to say when calling
DESCRIPTION_CHARS = 300
LIST_ANSWER_CHARS = 500  # one line per listed partner while it stays this short
LIST_NAME_CHARS = 34  # three numbered lines of name + value stay near 300 characters
WIJK_KIND_SHARE = 0.5  # in a named wijk, every partner that fits at least half as well as the best is listed
SHOWN_KIND_SCORE = 0.5  # among the few partners just shown, one word of their kind is enough
DEFINE_KIND_SCORE = 2.5  # a word that is a theme of one partner and rare on the kaart ('thuiszitters')
SIMILAR_KIND_SCORE = 1.0  # 'iets vergelijkbaars in de polder': at least one shared theme word (kinds.py)
ROLE_PERSON_ATTRIBUTES = frozenset({"openingstijden", "aanbod"})  # guesses for 'hebben ze een poh?'
ONE_PARTNER_ONLY = frozenset({"belscript"})  # long answers: for the first partner of the list only
# 'moet dat via de huisarts?', 'moet hij eerst langs de huisarts?', 'moet de huisarts eerst verwijzen?' ask about
# the access route of the partner in focus (or named), not about the huisarts
ROUTE = re.compile(
    r"\b(?:via|door|van|zonder|langs)\s+(?:de\s+|het\s+|een\s+|je\s+|hun\s+)?(?:eigen\s+)?"
    r"(?:huisarts\w*|ha|wijkteam\w*|gemeente|jeugdarts|school|poh\w*|verwijzer)\b"
    r"|\b(?:de\s+|je\s+|een\s+)?(?:eigen\s+)?(?:huisarts\w*|jeugdarts|poh\w*)\s+(?:\w+\s+){0,2}(?:door)?verwij[sz]\w*",
    re.IGNORECASE,
)
ROUTE_ATTRIBUTES = frozenset({"toegang", "kosten"})
# 'kan ik dat als wijkteam zelf melden?': the asker's own role names no partner
AS_ROLE = re.compile(
    r"(?P<who>\b(?:ik|wij|we|jij|je)\s+(?:\w+\s+){0,2})als\s+(?:het\s+|de\s+|een\s+)?\w+", re.IGNORECASE
)
FOCUS_WORD_MATCH = 0.6  # 'nacht' - 'nachtopvang' (0.8); a shared compound head counts too (0.6)
OWN_AREA = re.compile(
    r"\b(?:onze|mijn|de|ons|eigen)\s+(?:wijk|buurt|gebied)\b|\bbij\s+ons\b|\bhier\b", re.IGNORECASE
)
# Words of 'which partners are there in X' that name no kind of partner
AREA_WORDS = frozenset(
    ["partners", "organisaties", "instanties", "wijk", "buurt", "gebied", "onze", "zitten", "allemaal", "welke",
     "hier", "ons", "werken", "actief", "samenwerkingspartners", "netwerk", "wijkpartners"]
)  # fmt: skip
THEY = re.compile(
    r"\b(?:ze|zij|hun|hen|daar|daarvoor|daarbij|daarheen|they|them)\b", re.IGNORECASE
)  # not 'die' ('die van de schulden')
IT = re.compile(
    r"\b(?:ik|je|jij|we|wij|ze|zij|hij)\s+(?:dat|dit)\b", re.IGNORECASE
)  # 'kan ik dat ... melden'
# 'wie is dat hier?', 'wie doet zoiets?': a look-up of what the last question or definition was about
SUBJECT = re.compile(r"\b(?:dat|dit|die|deze|zoiets|zo'n|that|this|them)\b", re.IGNORECASE)
POINTING = re.compile(r"\b(?:daar|daarvan|die|ze|zij|hun|hen)\b", re.IGNORECASE)  # words that point back


def _names(turn: Turn) -> NameIndex:
    active = turn.services.kaart.active()
    return turn.deps.understanding.names(active.content_hash, active.services)


def _kinds(turn: Turn) -> KindIndex:
    active = turn.services.kaart.active()
    return turn.deps.understanding.kinds(active.content_hash, active.services)


def _shown(turn: Turn) -> list[Service]:
    kaart = turn.services.kaart
    return [s for s in (kaart.get(i) for i in turn.ctx.shown_ids) if s is not None]


def _recent(turn: Turn) -> list[Service]:
    """Every partner shown lately in this conversation (the list just shown included)."""
    kaart = turn.services.kaart
    ids = dict.fromkeys([*turn.ctx.recent_ids, *turn.ctx.shown_ids])
    return [s for s in (kaart.get(i) for i in ids) if s is not None]


def _language_words(turn: Turn) -> set[str]:
    """Language names, known and on the kaart ('drents' asks for a language, it is no slip of 'Drenthe')."""
    names = set(turn.deps.understanding.languages().values())
    names.update(lang for s in turn.services.kaart.active().services for lang in s.languages)
    return {w for name in names for w in lookup_words(name)}


def wijk_in(turn: Turn, text: str) -> str | None:
    """A wijk of the kaart named in the text ('in noord' -> 'Noord', 'veendijk noord' -> 'Veendijk-Noord'), or
    by the one distinctive word of its name ('in havenkwartier' -> 'Havenkwartier-Noord', 'de kogge' -> 'De
    Kogge-Zuid'). The town itself ('welke buurtteams heeft Ketelwaard?') is no wijk, even where one service
    from elsewhere lists it as its area."""
    folded = f" {re.sub(r'[^a-z0-9]+', ' ', fold(text))} "
    town = _town(turn)
    wijken = [w for w in turn.services.kaart.wijken() if fold(w) != town]
    whole = next((w for w in wijken if f" {_plain(w)} " in folded), None)
    if whole is not None:
        return whole
    return wijk_by_word(wijken, folded, town)


# Words that many wijk names share or that say where, not which: 'Havenkwartier-Noord' is found by 'havenkwartier'
WIJK_GENERIC = frozenset(
    ["noord", "zuid", "oost", "west", "centrum", "midden", "oud", "oude", "nieuw", "nieuwe", "dorp", "stad",
     "wijk", "buurt", "de", "het", "den", "t", "binnenstad", "buiten", "kern", "hoge", "lage"]
)  # fmt: skip
MIN_WIJK_WORD = 5


def _plain(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()


def wijk_by_word(wijken: Sequence[str], folded: str, town: str) -> str | None:
    """The one wijk whose name holds a word of the text that no other wijk's name holds (at least five letters,
    no compass point or 'centrum', not the town's name); None when none or several fit."""
    words_of = {w: set(_plain(w).split()) - WIJK_GENERIC - {town} for w in wijken}
    counts: dict[str, int] = {}
    for own in words_of.values():
        for word in own:
            counts[word] = counts.get(word, 0) + 1
    said = set(folded.split())
    found = [
        w for w, own in words_of.items()
        if any(counts[x] == 1 and len(x) >= MIN_WIJK_WORD and x in said for x in own)
    ]  # fmt: skip
    return found[0] if len(found) == 1 else None


def _town(turn: Turn) -> str:
    """The town of the kaart: the city most of its services give (folded), '' when none."""
    cities: dict[str, int] = {}
    for service in turn.services.kaart.active().services:
        city = fold(service.city.strip())
        if city:
            cities[city] = cities.get(city, 0) + 1
    return max(cities, key=cities.__getitem__) if cities else ""


def without_wijk(text: str, wijk: str | None) -> str:
    """The text without the wijk's name, or without the distinctive word it was named by ('havenkwartier')."""
    if not wijk:
        return text
    pattern = r"[\W_]+".join(re.escape(part) for part in re.split(r"[\W_]+", wijk) if part)
    text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    for word in set(_plain(wijk).split()) - WIJK_GENERIC:
        if len(word) >= MIN_WIJK_WORD:
            text = " ".join(w for w in text.split() if fold(w.strip("?!.,:;'")) != word)
    return text


def _prefer(turn: Turn, wijk: str | None) -> list[str]:
    """Ties go to partners just shown, and to partners of the wijk the text names ('gebiedsteam haven'), else
    of the user's own wijk ('wie is de wijkcoach hier?')."""
    wijk = wijk or turn.wijk()
    if wijk is None:
        return list(turn.ctx.shown_ids)
    in_wijk = [s.id for s in turn.services.kaart.active().services if s.in_wijk(wijk)]
    return [*turn.ctx.shown_ids, *in_wijk]


def resolve(
    turn: Turn,
    text: str,
    *,
    use_focus: bool = True,
    any_of_kind: bool = False,
    kinds_from_people: bool = True,
) -> Service | None:
    """The partner a message is about: a name on the kaart, a position or kind among those just shown
    ('de tweede', 'die van de schulden'), with `any_of_kind` the one service of that kind on the kaart, else the
    partner in focus. Without `any_of_kind` only names and the partners shown count (the router uses that to
    decide whether a message is about a partner at all). Without `kinds_from_people` the people of a case
    ('met de vrouw bespreken') name no kind of partner (no Vrouwenopvang). A role that a partner just shown (or
    of the wijk) holds as a whole term ('hebben ze een poh-ggz?') beats a partner that only shares a part of it
    ('Basis-ggz') or that is merely in focus."""
    if not kinds_from_people:
        text = without_case_people(text)
    text = with_dutch(text, turn.deps.understanding.english())  # "the food bank" -> voedselbank
    shown = _shown(turn)
    position = ordinal(text, len(shown))
    if position is not None:  # 'en de derde, hoe bereik ik die?': the position wins over a loose name match
        return shown[position]
    subject = by_subject(turn, text)
    if subject is not None:  # 'die van de schulden, ...': that subject among those shown, else on the kaart
        return subject
    found = _resolve(turn, text, use_focus=use_focus, any_of_kind=any_of_kind)
    return role_holder(turn, text, found) or found if found is not None else None


# A role a kaart names by an abbreviation and what it is for ('POH-GGZ', 'POH-jeugd'): 'de poh' names it too
ROLE_ABBREVIATION = re.compile(r"^\s*(?P<abbreviation>[A-Z]{2,4})-\w")


def _role_terms(service: Service) -> list[tuple[frozenset[str], str]]:
    """The roles in a partner's themes and contact title that are more than one word ('POH-GGZ', 'POH-GGZ
    jeugd'): (the words that name it whole, its abbreviation or '')."""
    terms = []
    for term in (*service.themes, service.contact_title):
        term_words = frozenset(lookup_words(term.split()[0] if term else ""))
        match = ROLE_ABBREVIATION.match(term)
        if len(term_words) >= 2:  # noqa: PLR2004 - one word is a kind ('huisarts'), not a role within a partner
            terms.append((term_words, fold(match["abbreviation"]) if match else ""))
    return terms


def _entry_words(service: Service) -> set[str]:
    return set(
        lookup_words(" ".join((service.name, service.organization, *service.themes, service.contact_title)))
    )


def _said(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def _holds(terms: list[tuple[frozenset[str], str]], said: set[str]) -> frozenset[str] | None:
    """The words of the first role in `terms` that the text names whole or by its abbreviation."""
    for term_words, abbreviation in terms:
        if term_words <= said or (abbreviation and abbreviation in said):
            return term_words
    return None


def contact_holds_role(service: Service, text: str) -> bool:
    """The partner's contact person holds the role the text names ('hebben ze een poh-ggz?' at a practice whose
    contact is its POH-GGZ): that person is the answer, more than the opening hours."""
    return (
        bool(service.contact_name)
        and _holds(_role_terms(replace(service, themes=())), _said(text)) is not None
    )


def role_holder(turn: Turn, text: str, current: Service) -> Service | None:
    """'hebben ze een poh-ggz?' after a list, 'kan ze bij de poh terecht?' after the basis-ggz: the partner just
    shown, else of the wijk, that holds the role the text names (the whole term, or its abbreviation alone), when
    `current` (the partner the text seemed to be about) does not hold it and its name shares no word with the
    text outside the role ('ggz' of 'poh-ggz' in 'Basis-ggz'). None when no such partner."""
    said = _said(text)

    def role(service: Service) -> frozenset[str] | None:
        return _holds(_role_terms(service), said)

    if role(current) is not None:
        return None
    wijk = wijk_in(turn, text) or turn.wijk()
    local = [s for s in turn.services.kaart.active().services if s.in_wijk(wijk)] if wijk else []
    for group in (_shown(turn), local):
        holders = [(s, term) for s in group if s.id != current.id and (term := role(s)) is not None]
        if not holders:
            continue
        holder, term = holders[0]
        own = _entry_words(current)
        named_by = {w for w in said if len(w) >= MIN_WORD and any(same_word(w, o) >= NAMED_WORD for o in own)}
        if named_by <= term and not term <= own:
            return holder
        return None
    return None


MIN_WORD = 3
NAMED_WORD = 0.8  # a word of the text that is (or starts) a word of the partner's entry


def _resolve(turn: Turn, text: str, *, use_focus: bool, any_of_kind: bool) -> Service | None:
    shown = _shown(turn)
    wijk = wijk_in(turn, text)
    named = _named(turn, without_wijk(text, wijk), wijk)
    if named is not None and named.id not in turn.ctx.recent_ids:
        named = pointed_back(turn, text) or named  # 'die opvang' after the vrouwenopvang: not the nachtopvang
    if named is not None:
        return _focus_meant(turn, text, better_pointed(turn, text, named))
    back = pointed_back(turn, text)
    if back is not None:  # 'en dat buurthuis, is dat open?' after a list and one of its other partners
        return back
    if use_focus and turn.ctx.focus_id and IT.search(text) and without_reference(text) == text:
        focused = turn.services.kaart.get(
            turn.ctx.focus_id
        )  # 'kan ik dat zelf melden?' right after one partner
        if focused is not None:  # (not a loose spelling of another name: 'melden' - 'melding')
            return focused
    loose = loosely_named(without_wijk(text, wijk), _recent(turn), known=_language_words(turn))
    if loose is not None:  # 't ambagt' right after 'Dagbesteding 't Ambacht' was shown
        return loose
    if use_focus and turn.ctx.focus_id and THEY.search(text) and without_reference(text) == text:
        focused = turn.services.kaart.get(turn.ctx.focus_id)  # 'hoe kom je daar binnen?' after one partner
        if focused is not None:
            return focused
    kinds = _kinds(turn)
    among = kinds.best(text, among=[s.id for s in shown], minimum=SHOWN_KIND_SCORE) if shown else None
    among = among or among_shown(text, shown, turn.ctx.domains)
    if among is not None:
        return among
    pointing = bool(shown) and bool(THEY.search(text))  # 'kunnen ze ook ...?' is about the list
    kind = (
        _kinds(turn).best(without_wijk(text, wijk), wijk=wijk or turn.wijk())
        if any_of_kind and not pointing
        else None
    )
    if kind is not None:
        return kind
    if use_focus and turn.ctx.focus_id:
        return turn.services.kaart.get(turn.ctx.focus_id)
    return None


THAT_ONE = re.compile(r"\b(?:die|dat|deze|dit)\s+(?P<noun>[a-z\u00c0-\u024f-]{4,})", re.IGNORECASE)


def pointed_back(turn: Turn, text: str) -> Service | None:
    """'die opvang', 'dat loket': a demonstrative before a word that fits a partner of this conversation
    points back at that partner, even when another partner on the kaart has the word in its name."""
    match = THAT_ONE.search(text)
    if match is None or not turn.ctx.recent_ids or not kind_words(match["noun"]):
        return None
    noun = lookup_words(match["noun"])
    if not noun:
        return None
    fits = [
        s
        for s in _recent(turn)
        if any(_head_of(noun[0], w) for w in lookup_words(" ".join((s.name, *s.themes))))
    ]
    return fits[0] if len(fits) == 1 else among_recent(turn, match["noun"])


def better_pointed(turn: Turn, text: str, named: Service) -> Service:
    """'dat buurthuis' after the list: the partner of this conversation that has 'buurthuis' as a word of its
    name or themes, not another one whose name only shares a part of the word ('Vrienden in de Buurt')."""
    match = THAT_ONE.search(text)
    back = pointed_back(turn, text) if match else None
    if back is None or back.id == named.id:
        return named
    noun = fold(match["noun"]) if match else ""
    return back if _has_word(back, noun) and not _has_word(named, noun) else named


def _has_word(service: Service, word: str) -> bool:
    return word in lookup_words(" ".join((service.name, service.organization, *service.themes)))


def that_partner(turn: Turn, text: str) -> Service | None:
    """'wat doet die bemoeizorg precies?': 'die' + a word that points back at a partner of this conversation,
    or that is the name of a partner on the kaart (then the kaart, not the general meaning of the word)."""
    match = THAT_ONE.search(text)
    if match is None:
        return None
    named = _names(turn).find(match["noun"], prefer=_prefer(turn, None))
    return pointed_back(turn, text) or (
        named if named is not None and only_names(match["noun"], named) else None
    )


def _head_of(noun: str, word: str) -> bool:
    """'opvang' in 'vrouwenopvang', 'loket' in 'zorgloket': the word itself, or its compound head."""
    return noun == word or (len(noun) >= MIN_HEAD and word.endswith(noun)) or same_word(noun, word) >= 0.7


MIN_HEAD = 4


def _named(turn: Turn, text: str, wijk: str | None) -> Service | None:
    """The partner the text names; among several with the name ('de ggz'), crisis services last unless the
    conversation is about a danger (as in a look-up). A word that the partner in focus holds in its own way-in
    fields names that partner, not another one whose name only holds part of the word (held_by_focus)."""
    named = _names(turn).find_all(text, prefer=_prefer(turn, wijk))
    if len(named) > 1 and not turn.ctx.safety_topic:
        named.sort(key=lambda s: s.crisis)
    if len(named) == 1 and (held := held_by_focus(turn, text, named[0])) is not None:
        return held
    return named[0] if named else None


# The fields that say how to get in: a walk-in hour ('inloopspreekuur donderdag'), an access route, a cost
WAY_IN_ATTRIBUTES = ("openingstijden", "toegang", "kosten")


def held_by_focus(turn: Turn, text: str, named: Service) -> Service | None:
    """'hebben ze een inloop?' or 'is er een inloop?' right after the nieuwkomersteam, whose hours say
    'inloopspreekuur donderdag 13.00-16.00': the partner in focus, not another partner whose name or id only
    holds part of the word ('inloophuis-ggz'). Only when the words that matched that name are words of when
    (kinds.SCHEDULE_WORDS: 'inloop', 'spreekuur') and no whole word of it, and the focus's hours, access route
    or costs hold each of them.
    None otherwise."""
    focus_id = turn.ctx.focus_id
    focused = turn.services.kaart.get(focus_id) if focus_id and focus_id != named.id else None
    if focused is None:
        return None
    entry = set(lookup_words(f"{named.name} {named.organization} {named.id.replace('-', ' ')}"))
    said = [w for w in lookup_words(text) if w not in CASE_PEOPLE]
    naming = [w for w in said if any(same_word(w, n) > 0 for n in entry)]
    if not naming or any(w in entry or w not in SCHEDULE_WORDS for w in naming):
        return None  # 'en de voedselbank?' uses the name itself; 'en de huisarts?' names a kind of partner
    fields = lookup_words(" ".join(field_text(focused, a) for a in WAY_IN_ATTRIBUTES))
    held = all(any(same_word(w, f) >= STRONG_MATCH for f in fields) for w in naming)
    return focused if held else None


def without_case_people(text: str) -> str:
    """The text without the people of a case ('de vrouw', 'de moeder'), who never name a partner by kind."""
    return " ".join(w for w in text.split() if fold(w.strip("?!.,:;")) not in CASE_PEOPLE)


def among_recent(turn: Turn, text: str, *, minimum: float = SHOWN_KIND_SCORE) -> Service | None:
    """The one partner shown earlier in this conversation whose kind the text names ('die schuldhulp van net')."""
    if not turn.ctx.recent_ids:
        return None
    return _kinds(turn).best(text, among=list(turn.ctx.recent_ids), minimum=minimum)


# 'die van de schulden', 'degene voor de schade', 'die over werk': the partner named by its subject
OF_SUBJECT = re.compile(
    r"\b(?:die|degene|diegene|de\s+partner)\s+(?:van|voor|over)\s+(?:de\s+|het\s+|'t\s+)?(?P<subject>[^,:;?!.]{3,40})",
    re.IGNORECASE,
)
SUBJECT_WORDS = 3
NOT_A_SUBJECT = frozenset(
    ["net", "daarnet", "zojuist", "eerder", "straks", "daarstraks", "vanochtend", "gisteren"]
)


def by_subject(turn: Turn, text: str) -> Service | None:
    """'die van de schulden': the partner of that subject among those just shown, else among the partners of
    this conversation, else the one partner of that kind on the kaart (the list need not hold it). Only the
    subject's words count, not the question after it ('hoe lang moet hij wachten op een eerste gesprek')."""
    match = OF_SUBJECT.search(text)
    if match is None:
        return None
    subject = " ".join(match["subject"].split()[:SUBJECT_WORDS])
    if not lookup_words(subject) or lookup_words(subject)[0] in NOT_A_SUBJECT:
        return None
    kinds, shown = _kinds(turn), _shown(turn)
    ids = [s.id for s in shown]
    found = kinds.best(subject, among=ids, minimum=MIN_KIND_SCORE) if shown else None
    named = None if found is not None else _names(turn).find(subject, prefer=ids)
    if named is not None:  # 'die van het schoolverzuim': Leerplicht (...)
        return named
    found = found or (kinds.best(subject, among=ids, minimum=SHOWN_KIND_SCORE) if shown else None)
    found = found or (among_shown(subject, shown, turn.ctx.domains) if shown else None)
    found = found or among_recent(turn, subject)
    if found is not None:  # a weak fit on the list yields to a partner of that kind that fits far better
        return _off_list(turn, subject, found) or found
    found = by_kind(turn, subject)
    if found is None:  # the user means one: the best fit on the kaart, when it is the only best
        ranked = kinds.ranked(subject)
        best = ranked[0][0] if ranked else 0.0
        if best >= MIN_KIND_SCORE and (len(ranked) == 1 or ranked[1][0] < best):
            found = ranked[0][1]
    return found


OFF_LIST_MARGIN = 1.5  # the best fit on the kaart scores this many times the fit on the list (a theme word
# weighs 1/0.6 = 1.67 times the same word in a description, kinds.FIELD_WEIGHTS)


def _off_list(turn: Turn, subject: str, listed: Service) -> Service | None:
    """'die van de schulden' after a list of work and benefits partners: the list's fit (a word in a
    description, or only a shared levensgebied) is weak; the one partner on the kaart whose own themes name the
    subject (the schuldhulp) is meant. None when the partner on the list fits about as well."""
    kinds = _kinds(turn)
    wijk = wijk_in(turn, subject) or turn.wijk()
    other = kinds.best(subject, wijk=wijk)
    if other is None or other.id == listed.id or other.id in turn.ctx.shown_ids:
        return None
    scores = {s.id: score for score, s in kinds.ranked(subject)}
    return other if scores.get(other.id, 0.0) >= OFF_LIST_MARGIN * scores.get(listed.id, 0.0) else None


def among_listed(turn: Turn, text: str) -> Service | None:
    """A partner of the list just shown, by position or subject ('de tweede', 'die van school en werk')."""
    shown = _shown(turn)
    if not shown:
        return None
    found = _kinds(turn).best(text, among=[s.id for s in shown], minimum=SHOWN_KIND_SCORE)
    return found or among_shown(text, shown, turn.ctx.domains)


def named_in(turn: Turn, text: str) -> Service | None:
    """The partner whose name the text uses ('de voedselbank'), ties to those shown or of the named wijk."""
    wijk = wijk_in(turn, text)
    return _names(turn).find(without_wijk(text, wijk), prefer=_prefer(turn, wijk))


def _focus_meant(turn: Turn, text: str, named: Service) -> Service:
    """'en wat kost een nacht daar?' right after the nachtopvang: 'daar' points at the partner in focus, and
    when its name fits the words too ('nacht' - 'nachtopvang') it wins over another name ('huisartsenpost
    (avond, nacht en weekend)')."""
    focus_id = turn.ctx.focus_id
    if not focus_id or focus_id == named.id or not POINTING.search(text):
        return named
    focused = turn.services.kaart.get(focus_id)
    if focused is None:
        return named
    own = lookup_words(" ".join((focused.name, focused.organization, *focused.themes)))
    fits = any(same_word(w, o) >= FOCUS_WORD_MATCH for w in lookup_words(text) for o in own)
    return focused if fits else named


def by_kind(turn: Turn, text: str) -> Service | None:
    """The one partner on the kaart of the kind the text names ('die van de schulden'), else None."""
    text = with_dutch(text, turn.deps.understanding.english())  # "the food bank" -> voedselbank
    wijk = wijk_in(turn, text)
    return _kinds(turn).best(without_wijk(text, wijk), wijk=wijk or turn.wijk())


def clear_kind(turn: Turn, text: str, *, minimum: float) -> Service | None:
    """The one partner on the kaart of the kind the text names, when it fits at least this well."""
    wijk = wijk_in(turn, text)
    return _kinds(turn).best(without_wijk(text, wijk), wijk=wijk or turn.wijk(), minimum=minimum)


def focus(turn: Turn, service: Service) -> None:
    turn.ctx.focus_id = service.id
    turn.ctx.topic = Topic(kind="partners")
    turn.shown([service.id])


def _buttons(turn: Turn, service: Service) -> list[list[Button]]:
    key = turn.ctx.service_key(service.id, room=KEY_ROOM)
    name = texts.shorten(display_name(service), 28)
    return [[button(texts.DETAILS_LABEL.format(name=name), ShowCard(key)),
             button(texts.REFER_LABEL.format(name=name), Refer(key))]]  # fmt: skip


def answer_attribute(
    turn: Turn,
    text: str,
    attribute: str,
    *,
    certainty: float = 1.0,
    service: Service | None = None,
    told: tuple[str, ...] = (),
) -> None:
    """'nummer?', 'spreken ze arabisch bij de raadslieden?': one short answer from the kaart fields.

    Without a name: the partner in focus; right after a list, one line for each partner of the list.
    `certainty`: the attribute model's probability for `attribute`; below SURE_ATTRIBUTE the field that holds
    a word of the question decides ('kan ik daar anoniem advies vragen?' -> the access route)."""
    by_language = service is None and WHO_ASKED.search(text) and not AMONG_THESE.search(text)
    if by_language and _speakers_listed(turn, text, wijk_in(turn, text)):
        return  # 'welke partners kunnen in het tigrinya helpen?': who speaks it, not one partner's languages
    subject = AS_ROLE.sub(r"\g<who>", ROUTE.sub(" ", text) if attribute in ROUTE_ATTRIBUTES else text)
    subject = " ".join(subject.split())
    if service is None and attribute == "contactpersoon":  # 'who is the contact person of our team in X?'
        service = _role_in_wijk(
            turn, with_dutch(text, turn.deps.understanding.english()), wijk_in(turn, text)
        )
    service = service or resolve(turn, subject, any_of_kind=True)
    english = with_dutch(text, turn.deps.understanding.english())
    candidates = [service] if service is not None else _shown(turn)[:LOOKUP_SHOWN]
    if told:  # the caller knows the words of the partner's entry that answer ('vervoer')
        found = list(told)
    else:
        attribute, found = better_attribute(candidates, english, attribute, certainty)
    if attribute == "aanbod" and service is None and candidates:
        service = next((s for s in candidates if found and offers(s, found)), candidates[0])
    languages = turn.deps.understanding.languages()
    day = asked_day(text, turn.now()) if attribute == "openingstijden" else None
    asked = tuple(asked_languages(text, languages)) if attribute == "talen" else ()
    if service is None and turn.ctx.shown_ids:
        listed = _shown(turn)[:LOOKUP_SHOWN]
        if asked:  # 'welke van deze spreekt tigrinya?'
            turn.shown([s.id for s in listed])
            turn.say(_who_speaks(listed, asked, languages, turn.services.kaart.active().services))
            return
        lines = [
            f"{i}. {texts.shorten(display_name(s), LIST_NAME_CHARS)}: "
            + fact_value(s, attribute, languages=languages, day=day)
            for i, s in enumerate(listed, start=1)
        ]
        if attribute not in ONE_PARTNER_ONLY and sum(len(line) for line in lines) <= LIST_ANSWER_CHARS:
            turn.shown([s.id for s in listed])
            turn.ctx.topic = Topic(kind="partners", attribute=attribute)
            turn.say("\n".join(lines))
            return
        service = listed[0] if listed else None
    if service is None:
        look_up(turn, text, fallback=texts.WHICH_PARTNER)
        return
    if attribute in ROLE_PERSON_ATTRIBUTES and contact_holds_role(service, text):
        attribute = "contactpersoon"  # 'kan ze bij de poh terecht?': the POH-GGZ herself, not the hours
    focus(turn, service)
    turn.ctx.topic = Topic(kind="partners", attribute=attribute)
    answer = fact(service, attribute, name=display_name(service), languages=languages, day=day, asked=asked,
                  found=tuple(found), about=_about(turn, service))  # fmt: skip
    for other in also_asked(turn, text, attribute):  # 'waar zitten die en wanneer?': both facts
        other_day = asked_day(text, turn.now()) if other == "openingstijden" else None
        answer += "\n" + fact(service, other, name=display_name(service), languages=languages, day=other_day)
    turn.say(answer + _spoken_elsewhere(turn, service, asked, languages), _buttons(turn, service))


PART_ATTRIBUTE = 0.5  # a part of the message asks a fact when the detail head gives that attribute this much
NOT_ADDED = frozenset({"belscript", "aanbod", "wachttijd"})  # long answers, or not read from one field
MAX_ADDED = 2


def also_asked(turn: Turn, text: str, attribute: str) -> list[str]:
    """The other facts a message asks in parts of its own ('waar zitten die en wanneer?', 'mailen of bellen? en
    tot hoe laat zijn ze bereikbaar?'): each part that the act model reads as a partner question with one clear
    attribute (a question word alone: BARE_ASK) adds that attribute, in the order asked. [] for one part."""
    parts = [p.strip() for p in ASK_PARTS.split(text) if p and p.strip(" ?!.")]
    if len(parts) < 2:  # noqa: PLR2004
        return []
    added: list[str] = []
    for part in parts:
        found = BARE_ASK.get(" ".join(words_of(part)))
        if found is None:
            reading = turn.deps.understanding.read(part)
            best = reading.detail_of("partner_vraag")
            if (
                reading.act == "partner_vraag"
                and reading.details.get(f"partner_vraag:{best}", 0.0) >= PART_ATTRIBUTE
            ):
                found = best
        if found and found != attribute and found not in NOT_ADDED and found not in added:
            added.append(found)
    return added[:MAX_ADDED]


# 'welke partners spreken tigrinya?', 'wie spreekt er pools?': a look-up by language, unless it asks among the
# partners just shown ('welke van deze spreekt arabisch?')
WHO_ASKED = re.compile(r"\b(?:welke|wie|which|who)\b", re.IGNORECASE)
AMONG_THESE = re.compile(r"\b(?:deze|hiervan|daarvan|these|them)\b", re.IGNORECASE)


def _spoken_elsewhere(
    turn: Turn, service: Service, asked: tuple[str, ...], languages: Mapping[str, str]
) -> str:
    """' Wel bij: X.' when the partner asked about does not speak an asked language and others on the kaart do
    ('spreken ze tigrinya bij de raadslieden?' .. 'wie doet dat wel?')."""
    if not asked or set(asked) & set(language_names(service.languages, languages)):
        return ""
    elsewhere = [
        s for s in turn.services.kaart.active().services
        if s.id != service.id and set(asked) & set(language_names(s.languages, languages))
    ]  # fmt: skip
    if not elsewhere:
        return ""
    names = [texts.shorten(display_name(s), LIST_NAME_CHARS) for s in elsewhere[:LOOKUP_ELSEWHERE]]
    turn.shown([s.id for s in elsewhere[:LOOKUP_ELSEWHERE]])
    return " " + texts.LANGUAGE_ALSO.format(names=dutch_list(names))


LOOKUP_ELSEWHERE = 2


def _about(turn: Turn, service: Service) -> tuple[str, ...]:
    """What the last situation was about, for what to say when calling this partner: its levensgebied in that
    suggestion ('veiligheid (huiselijk geweld)') and the situation itself, short and scrubbed."""
    if not turn.ctx.situation:
        return ()
    domain = turn.ctx.domains.get(service.id, "")
    return tuple(p for p in (domain, texts.shorten(turn.ctx.situation, SCRIPT_CASE_CHARS)) if p)


def _who_speaks(
    listed: list[Service], asked: tuple[str, ...], languages: Mapping[str, str], kaart: Sequence[Service]
) -> str:
    """Which of the partners just listed speak the asked language(s), by name; when none does, the partners
    elsewhere on the kaart that do (at most LOOKUP_SHOWN), else the advice to ask for an interpreter."""
    speak = [display_name(s) for s in listed if set(asked) & set(language_names(s.languages, languages))]
    if not speak:
        elsewhere = [s for s in kaart if set(asked) & set(language_names(s.languages, languages))]
        if elsewhere:
            names = [texts.shorten(display_name(s), LIST_NAME_CHARS) for s in elsewhere[:LOOKUP_SHOWN]]
            return texts.LANGUAGE_ELSEWHERE.format(asked=dutch_list(list(asked)), names=dutch_list(names))
        return texts.LANGUAGE_NONE_LISTED.format(asked=dutch_list(list(asked)))
    return texts.LANGUAGE_LISTED.format(asked=dutch_list(list(asked)), names=dutch_list(speak))


# 'is er jongerenwerk hier in het dorp?': whether and when it is there, so its hours too
THERE_IS = re.compile(r"^\W*(?:en\s+)?(?:is|zijn)\s+er\b|\bis\s+there\b|\bare\s+there\b", re.IGNORECASE)


def show_one(turn: Turn, service: Service, *, text: str = "") -> None:
    """One partner at a glance, in focus. A look-up that names a day or a time of day ('is er op zaterdag
    iets voor jongeren?') also gets the partner's hours for it."""
    focus(turn, service)
    card_text = short_card(service)
    if (
        text
        and service.schedule
        and (WHEN.search(text) or THERE_IS.search(text) or _asks_schedule(service, text))
    ):
        day = asked_day(text, turn.now())
        card_text += "\n" + fact(service, "openingstijden", name=display_name(service), languages={}, day=day)
    turn.say(card_text, _buttons(turn, service))


def _asks_schedule(service: Service, text: str) -> bool:
    """The look-up names a day, or a word of the partner's own schedule ('voedselbank uitgifte welke dag' when
    the schedule says 'uitgifte vrijdag 13.30-15.30'): its hours belong in the answer."""
    match = matching_attribute([service], text)
    return names_weekday(text) or (match is not None and match[0] == "openingstijden")


def describe(turn: Turn, service: Service, *, head: str = "") -> None:
    """What a partner does, from the kaart description, plus how to reach it; `head` goes first."""
    focus(turn, service)
    about = texts.shorten(service.description, DESCRIPTION_CHARS)
    body = f"{display_name(service)}: {about}\n{card(1, service, '')[3:]}"
    turn.say(f"{head}\n{body}" if head else body, _buttons(turn, service))


def describe_kind(turn: Turn, text: str) -> bool:
    """A word the publication and the glossary do not explain, but that is clearly one partner's theme
    ('wat is een thuiszitter?' -> Leerplicht): that partner, said to come from the kaart. False when none."""
    wijk = wijk_in(turn, text)
    service = _kinds(turn).best(without_wijk(text, wijk), minimum=DEFINE_KIND_SCORE)
    if service is None:
        return False
    describe(turn, service, head=texts.KAART_INSTEAD)
    return True


def short_card(service: Service) -> str:
    """Name, contact person, phone and access: the partner at a glance."""
    lines = [card(1, service, "")[3:]]
    contact = contact_person(service)
    if contact:
        lines.append(texts.FACT_CONTACT.format(name=display_name(service), contact=contact,
                                               phone=tappable(service.phone) or "-"))  # fmt: skip
    return "\n".join(lines)


def look_up(turn: Turn, text: str, *, fallback: str = texts.PARTNER_FOUND_NONE) -> None:
    """'nummer van veilig thuis?', 'wie is de wijkverpleegkundige in noord': one partner, or a short list."""
    text = with_dutch(text, turn.deps.understanding.english())  # "the food bank" -> voedselbank
    wijk = wijk_in(turn, text)
    if turn.ctx.subject and SUBJECT.search(text) and not kind_words(without_wijk(text, wijk)):
        text = (
            f"{with_dutch(turn.ctx.subject, turn.deps.understanding.english())} {text}"  # 'wie is dat hier?'
        )
    if _partners_in_area(turn, text, wijk):  # 'wie zijn onze partners in de wijk?'
        return
    if list_all(turn, text):  # 'welke buurtteams heeft de gemeente allemaal?': each of them
        return
    role = _role_in_wijk(turn, text, wijk)
    if role is not None:  # 'wie is de coördinator van havenkwartier-noord?': the contact of its buurtteam
        answer_attribute(turn, text, "contactpersoon", service=role)
        return
    local = _of_kind_in(turn, text, wijk) if wijk and WHICH.search(text) else []
    if (
        wijk and not local and WHO_IS.search(text)
    ):  # 'wie is de huisarts in havenkwartier': the one there, when
        local = _best_of_kind_in(turn, text, wijk)  # it is as good a fit as any on the kaart
    if local:  # 'welke huisartsen zitten in het lage land': the partners of that kind limited to that wijk
        if len(local) == 1:
            show_one(turn, local[0])
        else:
            show_list(turn, local[:LOOKUP_SHOWN])
        return
    if _speakers_listed(turn, text, wijk):  # 'welke partners kunnen in het tigrinya helpen?'
        return
    named = _names(turn).find_all(without_wijk(text, wijk), prefer=_prefer(turn, wijk))
    if len(named) > 1 and not turn.ctx.safety_topic:  # 'de ggz' without danger: crisis services last
        named.sort(key=lambda s: s.crisis)
    held = held_by_focus(turn, text, named[0]) if len(named) == 1 else None
    if held is not None:  # 'is er een inloop?' right after a partner whose hours name its inloopspreekuur
        answer_attribute(turn, text, "openingstijden", certainty=0.0, service=held)
        return
    if len(named) == 1:
        show_one(turn, _nearer(turn, text, named[0]), text=text)
        return
    if named:
        show_list(turn, named[:LOOKUP_SHOWN])
        return
    kind = by_kind(turn, text)
    if kind is not None:
        show_one(turn, kind, text=text)
        return
    role = _role_in_focus(turn, text)
    if role is not None:  # 'wie is de coördinator' right after the buurtbemiddeling: its contact person
        answer_attribute(turn, text, "contactpersoon", service=role)
        return
    if explain_terms(turn, text):  # 'wie is de aandachtsfunctionaris?': a role, not a partner on the kaart
        return
    query = without_wijk(text, wijk).strip()
    found = turn.services.kaart.search(query, wijk=wijk or turn.wijk(), limit=LOOKUP_SHOWN) if query else []
    if not found and wijk:
        found = turn.services.kaart.kennismaken(wijk=wijk, limit=LOOKUP_SHOWN)
    if not found:
        turn.say(fallback)
        return
    show_list(turn, found)


# 'welke buurtteams zijn er allemaal', 'which food banks are there': every partner of that kind, not three
ALL_OF_KIND = re.compile(r"\b(?P<every>allemaal|alle|all)\b|\bzijn\s+er\b", re.IGNORECASE)
THERE_ARE_WORDS = 2  # 'welke buurtteams zijn er?' names a kind in a word or two
ALL_SHOWN = 6  # a list of every partner of a kind: one line each, at most this many
MIN_SHARED_THEMES = 2
SAME_KIND_SHARE = 0.66  # ... and a partner of the same organisation in another wijk holds two thirds of them


def list_all(turn: Turn, text: str) -> bool:
    """'welke buurtteams zijn er allemaal?', 'en dagbesteding, welke zijn er allemaal': every partner whose name
    holds the kind asked, or whose themes name it, plus the same organisation's teams in the other wijken
    (_with_same_kind), one line each. False when the text does not ask for all, or fewer than two fit."""
    match = ALL_OF_KIND.search(text)
    if match is None:
        return False
    wijk = wijk_in(turn, text)
    asked = [w for w in kind_words(without_wijk(text, wijk)) if w not in AREA_WORDS and w not in CASE_PEOPLE]
    if not asked or (match["every"] is None and len(asked) > THERE_ARE_WORDS):
        return False  # 'zijn er ook groepjes voor kids met gescheiden ouders' describes an offer, not a kind
    named = {s.id for s in _names(turn).find_all(" ".join(asked))}
    every = [
        s for s in turn.services.kaart.active().services
        if s.id in named or any(same_word(w, t) >= THEME_MATCH for w in asked for t in lookup_words(" ".join(s.themes)))
    ]  # fmt: skip
    local = [s for s in every if s.in_wijk(wijk)] if wijk else []
    if len(local) == 1:  # 'welke huisartsen zijn er in de kanaalzone': the one there
        show_one(turn, local[0])
        return True
    if len(local) > 1 or len(every) >= MIN_ALL:
        show_all(turn, local or _with_same_kind(turn, every))
        return True
    return False


THEME_MATCH = 0.7  # 'dagbesteding' - theme 'dagbesteding', 'huisartsen' - 'huisarts' (a shared stem of seven)
MIN_ALL = 2


def _with_same_kind(turn: Turn, named: list[Service]) -> list[Service]:
    """The partners a name found ('buurtteams'), plus those of the same organisation, limited to a wijk, that carry
    most themes the found ones share (the 'Dorpsteam' of a village beside the 'Buurtteams' of the town), in kaart
    order."""
    organizations = {s.organization.casefold() for s in named}
    shared = frozenset.intersection(*(frozenset(t.casefold() for t in s.themes) for s in named))
    if len(organizations) != 1 or len(shared) < MIN_SHARED_THEMES:
        return named
    ids = {s.id for s in named}
    town = _town(turn)
    return [
        s for s in turn.services.kaart.active().services
        if s.id in ids or (s.organization.casefold() in organizations and _local(s, town)
                           and len(shared & {t.casefold() for t in s.themes}) >= SAME_KIND_SHARE * len(shared))
    ]  # fmt: skip


def _local(service: Service, town: str) -> bool:
    """The service is limited to one or more wijken or villages (not the whole town, folded as `_town` gives it; a
    village's own team gives the village as its area and its city). The caller reads the town once: it counts every
    service of the kaart."""
    return bool(service.service_areas) and all(fold(a) != town for a in service.service_areas)


def show_all(turn: Turn, services: list[Service]) -> None:
    """Every partner of a kind, one line each (name, wijk, phone): phone-sized even for six; the list is shown,
    so 'waar zitten ze?' answers for each and 'de tweede' picks one."""
    listed = services[:ALL_SHOWN]
    turn.ctx.shown_ids = [s.id for s in listed]
    turn.ctx.focus_id = None
    turn.ctx.topic = Topic(kind="partners")
    turn.shown(turn.ctx.shown_ids)
    lines = [texts.LOOKUP_ALL_HEAD.format(count=len(services))]
    town = _town(turn)
    for i, s in enumerate(listed, start=1):
        areas = [a for a in s.service_areas if fold(a) not in fold(s.name)]
        where = f" ({', '.join(areas)})" if areas and _local(s, town) else ""
        lines.append(f"{i}. {s.name}{where}: {tappable(s.phone) or '-'}")
    turn.say("\n".join(lines), partner_buttons_for(turn, listed))


def partner_buttons_for(turn: Turn, services: list[Service]) -> list[list[Button]]:
    from bot.conversation.partners import partner_buttons

    return partner_buttons(turn, services, refer=False)


# 'wie is de coördinator van havenkwartier', 'who is the contact person of our team in Doornwijk'
WHO_IS = re.compile(r"\b(?:wie|who|contactpersoon|contact\s+person)\b", re.IGNORECASE)
TEAM_WORDS = frozenset(["team", "ons", "onze", "our", "wijkteam", "buurtteam", "dorpsteam", "sociaal"])
NOT_ASKED = frozenset(["who", "the", "person", "persoon", "people", "hier", "here"])  # words of asking who


def _role_in_wijk(turn: Turn, text: str, wijk: str | None) -> Service | None:
    """'wie is de coördinator van havenkwartier-noord?': among the partners limited to the wijk the text names
    (or the user's, with 'hier'), the one whose contact title or name holds every word asked ('coördinator' ->
    'teamcoördinator'; 'ons team' -> the team of that wijk). None when none or several fit."""
    area = wijk or (turn.wijk() if OWN_AREA.search(text) else None)
    if area is None or not WHO_IS.search(text):
        return None
    asked = [w for w in kind_words(without_wijk(text, wijk)) if w not in CASE_PEOPLE and w not in NOT_ASKED]
    if not asked:
        return None
    local = [s for s in turn.services.kaart.active().services if s.in_wijk(area)]

    def fit(service: Service) -> float:
        """How well the contact title or name holds every word asked: the weakest word's best match."""
        own = lookup_words(f"{service.contact_title} {service.name}")
        return min(
            1.0
            if w in TEAM_WORDS and any(o.endswith("team") for o in own)
            else max(
                (1.0 if len(w) >= MIN_HEAD and o.endswith(w) else same_word(w, o) for o in own), default=0.0
            )
            for w in asked
        )

    fits = [(f, s) for s in local if (f := fit(s)) > 0]
    best = max((f for f, _ in fits), default=0.0)
    # 'wijkverpleegkundige' is the title itself, more than 'jeugdverpleegkundige' (a shared compound head)
    found = [s for f, s in fits if f == best]
    return found[0] if len(found) == 1 else None


def _speakers_listed(turn: Turn, text: str, wijk: str | None) -> bool:
    """A look-up that names a language and no partner ('veel gezinnen spreken tigrinya, welke partners kunnen
    in die taal helpen?'): the partners whose kaart languages hold it, those of the wijk (named, else the
    user's) first, then those for every wijk. False when the text names a partner or no language, or no partner
    speaks it."""
    languages = turn.deps.understanding.languages()
    asked = asked_languages(text, languages)
    if not asked:
        return False
    rest = " ".join(w for w in lookup_words(text) if w not in {fold(a) for a in asked})
    if _names(turn).find_all(without_wijk(rest, wijk)):
        return False  # 'spreekt het taalhuis arabisch?': that partner's languages
    area = wijk or turn.wijk()
    speak = [s for s in turn.services.kaart.active().services
             if set(asked) & set(language_names(s.languages, languages))]  # fmt: skip
    if not speak:
        return False
    speak.sort(key=lambda s: (not s.in_wijk(area), not s.serves(area)))
    show_list(turn, speak[:LOOKUP_SHOWN], head=texts.LANGUAGE_LOOKUP_HEAD.format(asked=dutch_list(asked)))
    return True


NEAR = re.compile(r"\bdichtst\w*|\bin\s+de\s+buurt\b|\bnearest\b|\bclosest\b|\bnearby\b", re.IGNORECASE)


def _nearer(turn: Turn, text: str, named: Service) -> Service:
    """'waar is hier het dichtstbijzijnde buurthuis': the partner named serves another wijk than the user's, and
    one of the same kind (the text's words and the named partner's themes) serves the user's wijk: that one."""
    wijk = turn.wijk()
    if (
        wijk is None
        or not named.service_areas
        or named.serves(wijk)  # the schoolmaatschappelijk werk of the whole town serves 'hier' too
        or not (NEAR.search(text) or OWN_AREA.search(text))
    ):
        return named
    local = _of_kind_in(turn, " ".join((*kind_words(text), *named.themes)), wijk)
    return local[0] if local else named


def _role_in_focus(turn: Turn, text: str) -> Service | None:
    """The partner in focus, when the words of a look-up that found no partner name its contact's role ('wie is
    de coördinator', 'wie is daar de consulent')."""
    focused = turn.services.kaart.get(turn.ctx.focus_id) if turn.ctx.focus_id else None
    asked = kind_words(text)
    if focused is None or not asked or not focused.contact_title:
        return None
    title = lookup_words(focused.contact_title)
    return focused if all(any(same_word(w, t) for t in title) for w in asked) else None


# 'welke huisartsen zitten in ...', 'zijn er ... in': asks for the partners of a kind, not for the one partner
WHICH = re.compile(r"\b(?:welke|zijn\s+er|zitten\s+er|which)\b", re.IGNORECASE)


def which_in_wijk(turn: Turn, text: str) -> bool:
    """The text asks which partners of a kind there are in a wijk of the kaart ('ik moet kennismaken met de
    huisartsen in de kanaalzone, welke zijn er'): the wijk and the kind come from the kaart itself, so this is a
    look-up whatever else the message says (the act model may read 'kennismaken' as a publication question)."""
    wijk = wijk_in(turn, text)
    return wijk is not None and bool(WHICH.search(text)) and bool(_of_kind_in(turn, text, wijk))


def _of_kind_in(turn: Turn, text: str, wijk: str) -> list[Service]:
    """The partners limited to `wijk` whose kind the text names (all the huisartsen there: a praktijk and a
    gezondheidscentrum), best first; [] when none there fits clearly."""
    local = [s.id for s in turn.services.kaart.active().services if s.in_wijk(wijk)]
    ranked = _kinds(turn).ranked(without_wijk(text, wijk), among=local) if local else []
    if not ranked or ranked[0][0] < MIN_KIND_SCORE:
        return []
    return [s for score, s in ranked if score >= max(MIN_KIND_SCORE, WIJK_KIND_SHARE * ranked[0][0])]


def _best_of_kind_in(turn: Turn, text: str, wijk: str) -> list[Service]:
    """The one partner limited to `wijk` among the best fits of the kind on the whole kaart, when its own name or
    themes hold the kind asked ('wie is de huisarts in havenkwartier' -> the praktijk there; 'wie is de
    wijkverpleegkundige in de heide' is not the huisarts there whose description merely names the word)."""
    rest = without_wijk(text, wijk)
    ranked = _kinds(turn).ranked(rest)
    if not ranked:
        return []
    close = [s for score, s in ranked if score * CLEAR_MARGIN >= ranked[0][0]]
    local = [s for s in close if s.in_wijk(wijk)]
    if len(local) != 1:
        return []
    own = lookup_words(" ".join((local[0].name, *local[0].themes)))
    asked = kind_words(rest)
    return local if any(same_word(w, o) >= THEME_MATCH for w in asked for o in own) else []


def _partners_in_area(turn: Turn, text: str, wijk: str | None) -> bool:
    """'welke partners zitten er in de velden?', 'wie zijn onze partners in de wijk?': the partners of that wijk
    (or the user's own), when the text names no kind of partner. False otherwise."""
    area = wijk or (turn.wijk() if OWN_AREA.search(text) else None)
    if area is None or [w for w in kind_words(without_wijk(text, wijk)) if w not in AREA_WORDS]:
        return False
    found = turn.services.kaart.kennismaken(wijk=area, limit=LOOKUP_SHOWN)
    if found:
        show_list(turn, found)
    return bool(found)


def show_list(turn: Turn, services: list[Service], *, head: str = texts.LOOKUP_HEAD) -> None:
    """A short list of partners, with a card button each; the first is in focus."""
    from bot.conversation.partners import partner_buttons

    turn.ctx.shown_ids = [s.id for s in services]
    turn.ctx.focus_id = None
    turn.ctx.topic = Topic(kind="partners")
    turn.shown(turn.ctx.shown_ids)
    lines = [head] + [card(i, s, "") for i, s in enumerate(services, start=1)]
    turn.say("\n".join(lines), partner_buttons(turn, services, refer=False))


def similar_in_wijk(turn: Turn, text: str) -> bool:
    """'en in de polder, iets vergelijkbaars?': the partner of the same kind as the one in focus (or the
    first just shown), in the wijk the text names; partners of that wijk first, then those for every wijk.
    False when the text names no wijk or nothing of that kind is there."""
    wijk = wijk_in(turn, text)
    reference = turn.services.kaart.get(turn.ctx.focus_id) if turn.ctx.focus_id else None
    shown = _shown(turn)
    reference = reference or (shown[0] if shown else None)
    if wijk is None or reference is None:
        return False
    kind = " ".join((*reference.themes, reference.name))
    services = [s for s in turn.services.kaart.active().services if s.id != reference.id]
    for group in ([s for s in services if s.in_wijk(wijk)], [s for s in services if s.serves(wijk)]):
        ranked = _kinds(turn).ranked(kind, among=[s.id for s in group])
        if ranked and ranked[0][0] >= SIMILAR_KIND_SCORE:
            show_one(turn, ranked[0][1])
            return True
    return False
