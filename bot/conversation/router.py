"""Free text -> what the user wants (dialogue act) -> the flow that answers it.

Acute danger always wins: a signal word for acute danger, or the act 'acuut', goes straight to the
suggestion with the safety line and the crisis partner first. "Wat bedoel je?" is only for messages the
model reads as really unclear and that name no levensgebied.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.conversation import account, asking, followups, knowledge, partners, referrals, safety, texts
from bot.conversation import actions as act
from bot.conversation.acts.model import ActPrediction
from bot.conversation.asks import (
    ABOUT_PUBLICATION,
    PERSON_ACTS,
    SELF_ACCESS,
    TEN_VRAGEN,
    WHO_WROTE,
    WIJKEN_ASKED,
    about_whole_publication,
    only_case_people,
)
from bot.conversation.cards import display_name
from bot.conversation.closed import open_instead
from bot.conversation.context import AwaitIntent, Topic
from bot.conversation.facts import asked_languages, dutch_list, tappable
from bot.conversation.fields import (
    BARE_WORD_ASK,
    OFFER,
    SIGN_UP,
    WAITING,
    content_words,
    matching_attribute,
)
from bot.conversation.glossary import asked_about, defined, entry_sentence_near, entry_sentences
from bot.conversation.glossary import find as find_term
from bot.conversation.kinds import ASKING_WORDS, kind_words
from bot.conversation.lookup import CASE_PEOPLE as CASE_PEOPLE_WORDS
from bot.conversation.lookup import fold, only_names, ordinal, with_dutch, without_reference, words
from bot.conversation.references import DESCRIBE, answered_about, route_at_named
from bot.conversation.schedule import names_weekday
from bot.conversation.shapes import (
    ABOUT_NEXT,
    BARE_ASK,
    ELLIPSIS,
    NEW_HERE,
    PICK_NUMBER,
    SAME_THERE,
    VIA_GP,
    WHICH_CHAPTER,
    WHY,
    WIJK_MOVE,
    without_preamble,
    words_of,
)
from bot.conversation.turn import Turn
from bot.kaart.model import Service

if TYPE_CHECKING:
    from bot.suggestion.service import SignalSummary

UNSURE_ACTION = 0.5  # below this, an 'action' that names a kind of partner on the kaart is a look-up
UNSURE_QUESTION = 0.7  # below this, a publication question that names a kaart partner goes to the partner
ATTRIBUTE_CLEAR = 0.3  # ... or when one attribute clearly stands out among the ten
ATTRIBUTE_NAMED = 0.2  # ... or, when the follow-up names a partner, one attribute at this level
DEFINE = re.compile(r"\bwat\s+(?:doet|doen|is|zijn|betekent|betekenen)\b", re.IGNORECASE)
SIMILAR = re.compile(
    r"\b(?:vergelijkba\w*|soortgelijk\w*|zoiets|hetzelfde|dezelfde|ook\s+zo\W?n|similar|same)\b",
    re.IGNORECASE,
)
# 'welke partner helpt bij ...', 'welke organisatie doet ...': a look-up when the kaart has one such partner
WHICH_PARTNER = re.compile(
    r"\b(?:welke|wie|wat\s+voor(?:\s+een)?)\s+(?:partner|organisatie|instantie|hulpverlen\w*|dienst|instelling)"
    r"\s+(?:helpt|doet|kan|biedt|werkt|is\s+er)\b",
    re.IGNORECASE,
)
MEANING_ACTS = frozenset({"vraag_publicatie", "partner_zoeken", "vervolg", "onduidelijk"})
MIN_REST_WORDS = 2  # a question left after removing 'die van taal' needs this many words to be read alone
PARTNER_FOLLOW_UP = 0.15  # a follow-up reads as a partner question when the model gives that act this much


def route(turn: Turn, text: str) -> None:
    """Answer one free-text message (no pending state)."""
    prediction = turn.deps.understanding.read(text)
    signals = _signals(turn, text, prediction.act)
    kind = prediction.act
    if signals.acute and kind in ("partner_vraag", "partner_zoeken") and names_partner(turn, text):
        signals = replace(
            signals, acute=False
        )  # 'nummer van veilig thuis?' asks for the number, it is no alarm
    if signals.acute and not signals.forced and _surely_no_case(prediction):
        # The situation model reads situations; on a message the act model is sure is a partner question, small
        # talk or an action ('is het vandaag open?') its acute reading is out of its domain. The act model has
        # its own 'acuut' class, and the must-never-miss phrases still force the alarm.
        signals = replace(signals, acute=False)
    if not signals.acute and referrals.refer_by_text(turn, text):  # 'ik verwijs door naar de tweede'
        # (acute danger always wins: 'ik verwijs naar veilig thuis, hij slaat haar nu' gets the protocol)
        return
    if not signals.acute and open_instead(turn, text):  # 'het is zondag, de huisarts is dicht'
        return
    if not signals.acute and _calling_now(turn, text):  # 'oke ik bel nu met hem erbij'
        return
    danger = turn.ctx.safety_topic
    if danger and NEW_CASE.search(text):
        danger = turn.ctx.safety_topic = None  # 'ok, dat is geregeld. andere clt: ...' starts another case
    # an unsure 'acuut' during the talk about an acute case is more of that case ('where can she stay tonight?')
    more = "situatie" if kind == "acuut" and prediction.confidence < ACUTE_ACT_SURE else kind
    if (
        danger
        and not signals.acute
        and _about_the_danger(turn, text, more, has_domains=bool(signals.domains))
    ):
        safety.keep_topic(turn, danger, text)  # 'hij wil niet dat ik iemand inschakel' after a suicide case
        return
    if danger and not signals.acute and more == "situatie" and turn.ctx.situation:
        partners.suggest(turn, text, earlier=turn.ctx.situation)  # 'kan ze vannacht ergens anders slapen?'
        return
    turn.ctx.safety_topic = None
    if not signals.acute and CLIENT_STATUS.search(text):
        _no_client_data(turn, text)  # 'is mevr K al ingeschreven bij de voedselbank?': no client records here
        return
    if signals.acute and kind in ("vraag_publicatie", "definitie") and _reads_as_case(prediction):
        kind = "acuut"  # 'client hoort stemmen ..., staat met een mes in de gang' describes a case
    if signals.acute and kind in ("vraag_publicatie", "definitie"):
        turn.say(safety.general_notice(turn))
    elif signals.acute or kind == "acuut":
        sure = kind == "acuut" and prediction.confidence >= ACUTE_ACT_SURE
        partners.suggest(turn, text, acute_act=sure)
        return
    if (
        kind not in CASE_ACTS
        and asking.named_in(turn, text) is None
        and knowledge.advice_follow_up(turn, text)
    ):
        return  # 'wat kan ik daar als uitvoerder zelf aan doen?' after a publication answer: its tips
    if _on_publication(turn) and kind not in CASE_ACTS and SAME_THERE.search(text):
        knowledge.answer_question(turn, text, follow_up=True)  # 'en bij de ggz speelt dat ook?'
        return
    if (
        _on_publication(turn)
        and kind not in CASE_ACTS
        and SAYS_MORE.search(text)
        and not WHO_THERE.search(text)
    ):
        # 'wat zegt die over de wijkverpleegkundige?', 'en welke oplossingen noemen ze?': 'die' and 'ze' are the
        # text just quoted, so more of that topic (not the kaart's wijkverpleging)
        knowledge.answer_question(turn, text, follow_up=True, keep_topic=True)
        return
    if kind not in CASE_ACTS and about_whole_publication(text):
        knowledge.overview(turn)  # 'ik moet Samenwerken in de wijk lezen, waar gaat dat over?'
        return
    if kind not in CASE_ACTS and TEN_VRAGEN.search(text):
        knowledge.list_vragen(turn)  # 'welke tien vragen zijn dat dan?'
        return
    if (
        _on_publication(turn)
        and kind not in CASE_ACTS
        and WHICH_CHAPTER.search(text)
        and knowledge.where_in_publication(turn)
    ):
        return  # 'welk hoofdstuk is dat?': the vraag the last answer came from
    if _on_publication(turn) and kind not in CASE_ACTS and ABOUT_NEXT.search(text):
        knowledge.answer_question(turn, text, follow_up=True)  # 'en over de wijkverpleging?'
        return
    if kind in WHY_ACTS and WHY.search(text):
        # 'waarom wil de wijkverpleegkundige geen lid van ons team worden?' asks for reasons, not for a partner
        knowledge.answer_question(
            turn, text, follow_up=bool(turn.ctx.questions), keep_topic=_on_publication(turn)
        )  # 'en waarom?' right after an answer from the publication: why, within that topic
        return
    if kind not in CASE_ACTS and INFORM_ASK.search(text):
        _who_to_inform(turn)  # 'intake is donderdag. moet ik nog iets terugkoppelen of afstemmen?'
        return
    if (
        kind in PROCEDURE_ACTS
        and asking.named_in(turn, text) is None
        and safety.meldcode_question(turn, text)
    ):
        return  # 'moet ik de ouders eerst inlichten?' after signs of child abuse: the meldcode
    if (
        kind in ("onduidelijk", "actie", "smalltalk")
        and WIJK_MOVE.search(text)
        and asking.wijk_in(turn, text)
    ):
        do_action(turn, text, "wijk_wijzigen")  # 'foutje, ik blijf toch in oosterhoek. zet maar terug'
        return
    if (picked := PICK_NUMBER.match(text)) and knowledge.pick_vraag(turn, int(picked["n"])):
        return  # 'nr 8?' right after the ten vragen: that vraag
    if (
        not signals.acute
        and kind not in CASE_ACTS
        and VIA_GP.search(text)
        and (focused := _gp_route_of_focus(turn, text))
    ):
        asking.answer_attribute(turn, text, "toegang", certainty=0.0, service=focused)
        return  # 'moet hij daarvoor eerst langs de huisarts?' right after the valpreventie: its access route
    bare = BARE_ASK.get(" ".join(words_of(text)))
    if bare and (turn.ctx.focus_id or turn.ctx.shown_ids):
        asking.answer_attribute(turn, text, bare)  # 'wanneer' right after a partner: its opening hours
        return
    if kind not in CASE_ACTS and (asked := _focus_field_ask(turn, text)) is not None:
        focused, detail = asked  # 'is dat anoniem', 'hoe lang is de wachttijd' right after one partner
        asking.answer_attribute(turn, text, detail, certainty=0.0, service=focused)
        return
    if kind in SHORT_ASK_ACTS and BARE_WORD_ASK.fullmatch(text) and _focus_has(turn, text):
        asking.answer_attribute(turn, text, "aanbod", certainty=0.0)  # 'insta?' after the jongerenwerk
        return
    if (
        kind in NEED_ACTS
        and not signals.acute
        and _on_partners(turn)
        and TRAVEL.search(text)
        and _travel(turn, text)
    ):
        return  # 'hoe komt hij bij de huisarts, hij rijdt niet meer', 'de tweede, halen ze ook op?'
    if kind in NEED_ACTS and not signals.acute and _new_need(turn, text):
        _find_for_need(turn, text)  # 'kinderen hebben geen winterjassen. is daar iets voor?' after a partner
        return
    chat = _small_talk(turn, text, kind, prediction)
    if chat is not None:
        kind, prediction = chat
    elif kind == "onduidelijk" and signals.domains:
        kind = "situatie"
    case = bool(signals.domains) and prediction.probabilities.get("situatie", 0.0) >= CASE_FALLBACK
    _by_act(turn, text, kind, prediction, case=case)


# A need that asks whether something exists for it ('is daar iets voor?', 'iets voor overdag?', 'kan dat ergens?'):
# a partner for that need, not a fact of the partner in focus
NEED = re.compile(
    r"\bis\s+(?:daar|er|hier)\s+(?:ook\s+|nog\s+)?iets\b|\biets\s+(?:voor|met)\b|\bkan\s+(?:dat|die|het)\s+ergens\b"
    r"|\bergens\s+(?:terecht|voor|krijgen|aanvragen)\b|\bis\s+there\s+(?:anything|something)\b",
    re.IGNORECASE,
)
THEIR_OFFER = re.compile(
    r"\b(?:hebben|doen|bieden|kunnen)\s+(?:ze|zij|jullie|they)\b|\bdo\s+they\b", re.IGNORECASE
)
NEED_ACTS = frozenset({"partner_vraag", "partner_zoeken", "vervolg", "onduidelijk", "vraag_publicatie"})
NEED_KIND_SCORE = 2.0  # a kind this clear (a word rare on the kaart, in the partner's themes or description)


# How a client gets there: the partner's own transport when its kaart entry names it, else a transport service
TRAVEL = re.compile(
    r"\bhoe\s+kom(?:t|en)\s+(?:hij|ze|zij|ie|die|meneer|mevrouw)\s+(?:daar|er|bij|naar|op)\b"
    r"|\b(?:rijdt|rijden|fietst)\s+(?:zelf\s+)?(?:niet|geen)\b|\bhalen\s+(?:ze|zij|jullie)\s+(?:\w+\s+){0,2}op\b"
    r"|\bis\s+er\s+(?:ook\s+)?vervoer\b|\bhow\s+(?:does|do|can)\s+(?:he|she|they)\s+get\s+there\b",
    re.IGNORECASE,
)
TRAVEL_TERMS = ("vervoer", "busje", "taxibus", "haalt", "ophalen", "halen", "taxi")
TRAVEL_KIND = "vervoer"


def _travel(turn: Turn, text: str) -> bool:
    """'hoe komt ie daar?' right after a dagbesteding whose kaart entry says 'vervoer van huis mogelijk': that
    sentence; when the partner meant names no transport ('hoe komt hij bij de huisarts, hij rijdt niet meer'),
    the transport service of the kaart. False when the kaart has neither."""
    meant = asking.resolve(turn, text)
    told = fold(meant.description) if meant is not None else ""
    term = next((t for t in TRAVEL_TERMS if t in told), None)
    if meant is not None and term is not None:
        asking.answer_attribute(turn, text, "aanbod", certainty=0.0, service=meant, told=(term,))
        return True
    transport = asking.by_kind(turn, TRAVEL_KIND)
    if transport is None:
        return False
    asking.show_one(turn, transport)
    return True


GP_WORDS = ("huisarts", "huisartsen", "huisartsenpraktijk", "gezondheidscentrum")


def _is_gp(service: Service) -> bool:
    told = fold(" ".join((service.organization, service.name, *service.themes)))
    return any(word in told.split() or word in told for word in GP_WORDS)


def _gp_route_of_focus(turn: Turn, text: str) -> Service | None:
    """The partner in focus when a question asks whether it needs the huisarts first and names no other partner
    than a huisarts; None when there is no such partner or it is a huisarts itself ('moet dat bij die POH via de
    huisarts?' is about the POH of the practice, answered as before)."""
    focused = turn.services.kaart.get(turn.ctx.focus_id) if turn.ctx.focus_id else None
    if focused is None or _is_gp(focused):
        return None
    named = asking.resolve(turn, text, use_focus=False)
    if named is not None and named.id != focused.id and not _is_gp(named):
        return None  # 'moet ik voor de voedselbank via de huisarts?' names another partner
    return focused


def _new_need(turn: Turn, text: str) -> bool:
    """A need with words of its own ('winterjassen', 'een laptop voor school', 'korting'), inside a talk about
    partners, that the partner in focus (or the list shown) does not hold in its own fields and that names no
    partner: 'is daar iets voor?' asks for another partner. A bare 'is daar iets voor?' keeps the topic."""
    if (
        not NEED.search(text)
        or not _on_partners(turn)
        or ABOUT_PUBLICATION.search(text)
        or THEIR_OFFER.search(text)
    ):
        return False  # 'buurtsportcoach, hebben ze iets voor iemand die ...?' asks what that partner offers
    need = [w for w in kind_words(NEED.sub(" ", text)) if w not in CASE_PEOPLE_WORDS]
    named = asking.named_in(turn, text)
    if not need or (named is not None and only_names(" ".join(need), named)):
        return False
    focused = turn.services.kaart.get(turn.ctx.focus_id) if turn.ctx.focus_id else None
    return focused is None or matching_attribute([focused], " ".join(need)) is None


def _find_for_need(turn: Turn, text: str) -> None:
    """The one partner whose own words clearly name the need ('laptop' -> a kindpakketfonds, 'schoolreisje' ->
    Leergeld), else the partners the suggestion ranks for it (levensgebied, wijk and text). A crisis service is
    never the answer to a need by a loose word ('overdag' in its hours)."""
    need = " ".join(w for w in kind_words(NEED.sub(" ", text)) if w not in CASE_PEOPLE_WORDS)
    kind = asking.clear_kind(turn, need, minimum=NEED_KIND_SCORE)
    if kind is not None and not kind.crisis:
        asking.show_one(turn, kind, text=text)
    else:
        partners.suggest(turn, text)


# The user calls or signs up the partner now: 'oke ik bel nu met hem erbij', 'ik ga ze straks bellen', 'ik meld
# haar aan'. A statement, not a question ('hoe bel ik ze?' asks how).
CALLING_NOW_TEXT = re.compile(
    r"^\W*(?:(?:ok[eé]?|oke|okay|goed|top|prima|dank\w*|thanks?|ja|nou)\W+)*(?:dan\s+)?(?:ik|we|wij)\s+"
    r"(?:bel|bellen|mail|meld|(?:ga|gaan)\s+(?:\w+\s+){0,3}?(?:bellen|mailen|aanmelden|melden)|"
    r"(?:bel|meld)\s+(?:\w+\s+){0,3}?(?:nu|meteen|straks|zo|direct|vandaag))\b",
    re.IGNORECASE,
)
# 'moet ik nog iets terugkoppelen?', 'moet ik nog iemand anders laten weten?', 'wie moet ik informeren?'
INFORM_ASK = re.compile(
    r"\b(?:moet|kan|zal|moeten|wie\s+moet)\s+(?:ik|we|wij|je)\s+(?:nog\s+)?(?:iets\s+|iemand\s+(?:anders\s+)?|wat\s+)?"
    r"(?:terug\s*koppel\w*|terugkoppelen|af\s*stemmen|laten\s+weten|informeren|inlichten|op\s+de\s+hoogte\s+"
    r"(?:houden|brengen|stellen))\b|\b(?:should|do)\s+i\s+(?:\w+\s+)?(?:inform|tell|update|let\s+\w+\s+know)\b",
    re.IGNORECASE,
)


CALLING_NOW_WORDS = 8  # longer: the start of a new situation ('ik bel met mw, ze zegt ...')


def _calling_now(turn: Turn, text: str) -> bool:
    """'oke ik bel nu met hem erbij' right after a partner: encourage, and offer to note it as a referral so
    the reminder asks how it went. False when no partner is in focus or the text is a question."""
    if (
        "?" in text
        or len(text.split()) > CALLING_NOW_WORDS
        or not turn.ctx.focus_id
        or not CALLING_NOW_TEXT.search(text)
    ):
        return False
    focused = turn.services.kaart.get(turn.ctx.focus_id)
    if focused is None:
        return False
    name = texts.shorten(display_name(focused), 40)
    key = turn.ctx.service_key(focused.id, room=act.KEY_ROOM)
    turn.say(texts.CALLING_NOW)
    turn.say(
        texts.CALLING_NOW_OFFER.format(name=name), [[act.button(texts.CALLING_NOW_BUTTON, act.Refer(key))]]
    )
    return True


def _who_to_inform(turn: Turn) -> None:
    """Who to let know after a referral or a call, and the publication's tip on terugkoppeling."""
    vraag = knowledge.find_vraag(turn, referrals.TERUGKOPPELING_VRAAG)
    tip = f"Tip: {vraag.advice[0].text}\n{knowledge.citation(vraag)}" if vraag and vraag.advice else ""
    turn.say(f"{texts.WHO_TO_INFORM}\n\n{tip}" if tip else texts.WHO_TO_INFORM)


# What the text just quoted says: 'wat zegt die over de wijkverpleegkundige?', 'en welke oplossingen noemen ze?',
# 'wat raden ze aan?'. 'die', 'ze' point at the publication (its authors) right after an answer from it.
SAYS_MORE = re.compile(
    r"\b(?:wat|welke|hoe)\s+(?:\w+\s+){0,2}?(?:zegt|zeggen|noemt|noemen|schrijft|schrijven|vindt|vinden|adviseert|"
    r"adviseren|raadt|raden|bedoelt|bedoelen)\s+(?:die|ze|zij|hij|deze|men|de\s+auteurs?|de\s+schrijvers?)\b"
    r"|\bwhat\s+(?:\w+\s+){0,2}?(?:does|do)\s+(?:it|they)\s+(?:say|suggest|recommend|mention)\b",
    re.IGNORECASE,
)

# 'wie is dat hier eigenlijk?' after 'en de woningcorporatie?': who that partner is here, not the book
WHO_THERE = re.compile(r"\bwie\s+(?:is|zijn)\s+(?:dat|die|dit|deze|het)\b|\bhier\b", re.IGNORECASE)
CONTINUE_ACTS = frozenset({"partner_zoeken", "partner_vraag", "onduidelijk"})
MIN_CONTINUE_WORDS = 3  # 'hmm', 'ok dan' are no question about the publication


def _continues_publication(turn: Turn, text: str, kind: str) -> bool:
    """Right after an answer from the publication, a question that names no partner, no kind of partner and no
    wijk ('welke voorwaarden noemen ze daarvoor?', 'zijn er voorbeelden van hoe het beter kan?') asks more about
    that topic, even when the act model reads a partner question (it has no partner to go to)."""
    if (
        not _on_publication(turn)
        or kind not in CONTINUE_ACTS
        or len(text.split()) < MIN_CONTINUE_WORDS
        or (kind == "partner_vraag" and turn.ctx.focus_id)
    ):
        return False
    if knowledge.names_vraag_theme(turn, text) and asking.named_in(turn, text) is None:
        return True  # 'en vertrouwen dat de ander clt echt verder helpt?': a theme of the publication, no partner
    if SIMILAR.search(text) or WHO_THERE.search(text) or (AT_FOCUS.search(text) and turn.ctx.focus_id):
        return False
    return (
        asking.resolve(turn, text, use_focus=False) is None
        and asking.by_kind(turn, text) is None
        and asking.wijk_in(turn, text) is None
    )


SHORT_ASK_ACTS = frozenset({"onduidelijk", "smalltalk", "vervolg"})  # the act model has no partner question


def _focus_has(turn: Turn, text: str) -> bool:
    """The partner in focus names the one word asked in its name, themes or description ('insta?' when the
    jongerenwerk is 'online via Instagram'): a question about that partner, not small talk."""
    focused = turn.services.kaart.get(turn.ctx.focus_id) if turn.ctx.focus_id else None
    return focused is not None and matching_attribute([focused], text) is not None


# 'is dat anoniem', 'hoe lang is de wachttijd': a short question about the partner in focus
FOCUS_ASK_WORDS = 6
# Words of a question about how long it takes that name no field value ('hoe lang', 'snel', 'tijd')
WAITING_WORDS = frozenset(
    ["lang", "snel", "tijd", "wachten", "wacht", "duurt", "duren", "reageren", "reageert"]
)


def _focus_field_ask(turn: Turn, text: str) -> tuple[Service, str] | None:
    """A short question right after one partner whose content words its own fields hold ('is dat anoniem' when
    the access route says the inloop is anonymous), or that asks how long it takes ('hoe lang is de
    wachttijd'): (that partner, the attribute to answer). The act model reads such a bare question as a
    definition or a publication question; the words on the partner's kaart entry say what it is about. None
    when the text names another partner, is long, or holds a word the partner's fields do not."""
    focused = turn.services.kaart.get(turn.ctx.focus_id) if turn.ctx.focus_id else None
    if focused is None or len(text.split()) > FOCUS_ASK_WORDS or DEFINE.search(text):
        return None  # 'wat is een verwijzing?' asks what the word means
    if find_term(turn.deps.understanding.glossary(), text) or ASKING_WORDS & set(words(text)):
        return None  # 'en wat kost een nacht daar?' names what it asks: the attribute model answers that
    named = asking.resolve(turn, text, use_focus=False)
    if named is not None and named.id != focused.id:
        return None
    if WAITING.search(text):
        rest = [w for w in content_words(WAITING.sub(" ", text), [focused]) if w not in WAITING_WORDS]
        held = matching_attribute([focused], " ".join(rest)) if rest else None
        return (focused, "wachttijd") if not rest or (held and set(rest) <= set(held[1])) else None
    asked = content_words(text, [focused])
    match = matching_attribute([focused], text) if asked else None
    if match is None or not set(asked) <= set(match[1]):
        return None
    return focused, match[0]


# A message that says it is about another case ('andere clt:', 'nieuwe casus', 'another client'): not more of the
# acute case before it.
NEW_CASE = re.compile(
    r"\b(?:ander\w*|nieuwe?|volgende|new|another|next)\s+(?:cli[eë]nt\w*|clt|casus|case|situatie|gezin|huisbezoek|"
    r"vraag|melding|client)\b",
    re.IGNORECASE,
)
WHY_ACTS = frozenset({"vraag_publicatie", "vervolg", "partner_zoeken", "onduidelijk"})
PROCEDURE_ACTS = frozenset({"partner_vraag", "vraag_publicatie", "vervolg", "onduidelijk", "definitie"})


def _signals(turn: Turn, text: str, act: str) -> SignalSummary:
    """The kaart's signals; a case (act situatie/acuut) without life domains is read again with the Dutch words
    for its English phrases ('where can she stay tonight?' -> 'vannacht slapen onderdak'), for its domains."""
    signals = turn.services.kaart.signals(text)
    if signals.domains or act not in CASE_ACTS:
        return signals
    dutch = with_dutch(text, turn.deps.understanding.english())
    return replace(signals, domains=turn.services.kaart.signals(dutch).domains) if dutch != text else signals


# A publication question the publication does not answer, that the situation model reads as a case (life
# domains) and the act model gives 'situatie' this much: the partners for it ('3 mnd huurachterstand, brief
# over ontruiming. wie pak ik erbij?') instead of 'daar gaat de publicatie niet over'.
CASE_FALLBACK = 0.05

SHORT_CHAT = 4  # words: 'sorry verkeerd', 'haha', 'ben jij een mens?'
CHAT_SHARE = 0.3  # the detail heads give small talk (or 'help') this much together ...
UNCLEAR_SURE = 0.8  # ... while the act model gives 'onduidelijk' less than this ('haha' 0.62, 'hmm' 0.95)
CHAT_CLEAR = 0.5  # ... or small talk this much on its own ('nee laat maar')


def _small_talk(
    turn: Turn, text: str, kind: str, prediction: ActPrediction
) -> tuple[str, ActPrediction] | None:
    """A short unclear message that the detail heads read as small talk ('sorry verkeerd', 'haha'), or a
    'follow-up' with nothing before it that reads as a question to the bot ('hoe gaat het met je?'): small
    talk or /help instead of a guessed situation or 'Wat bedoel je?'."""
    fresh = turn.ctx.topic is None and not turn.ctx.questions and not turn.ctx.shown_ids
    size = len(text.split())
    if not (
        (kind == "onduidelijk" and size <= SHORT_CHAT)
        or (kind == "vervolg" and fresh and size <= SHORT_CHAT + 2)
    ):
        return None
    chat = {k.split(":", 1)[1]: p for k, p in prediction.details.items() if k.startswith("smalltalk:")}
    help_ = prediction.details.get("actie:help", 0.0)
    if kind == "vervolg" and help_ >= CHAT_SHARE and help_ >= max(chat.values(), default=0.0):
        return "actie", replace(prediction, act="actie", detail="help", confidence=1.0)
    share = sum(chat.values())
    # The detail head picks among partner questions, small talk and actions, so an unclear text always gives
    # small talk some share: the act model must also be unsure it is unclear, or the share must be large.
    if (
        APOLOGY.search(text)
        or share >= CHAT_CLEAR
        or (share >= CHAT_SHARE and prediction.confidence < UNCLEAR_SURE)
    ):
        detail = "sorry" if APOLOGY.search(text) else max(chat, key=chat.__getitem__)
        return "smalltalk", replace(prediction, act="smalltalk", detail=detail)
    return None


APOLOGY = re.compile(r"\b(?:sorry|sry|excuus|excuses|oeps|oops|typfout|verkeerd\w*)\b", re.IGNORECASE)


NO_CASE_ACTS = frozenset({"partner_vraag", "partner_zoeken", "smalltalk", "actie"})
NO_CASE_SURE = 0.9  # the act model gives a NO_CASE_ACTS act this much, 'acuut' + 'situatie' little
NO_CASE_ROOM = 0.05


def _surely_no_case(prediction: ActPrediction) -> bool:
    case = prediction.probabilities.get("acuut", 0.0) + prediction.probabilities.get("situatie", 0.0)
    return prediction.act in NO_CASE_ACTS and prediction.confidence >= NO_CASE_SURE and case <= NO_CASE_ROOM


# A question with an acute signal word is a case when the model gives 'acuut' + 'situatie' this much together
# (the knife case read as a question had 0.40; questions about violence in general stay far below).
CASE_SHARE = 0.35
ACUTE_ACT_SURE = 0.8  # the model is this sure of 'acuut': the general safety lines even when the kaart's
# safety judgement names no danger ('hij laat me niet weg uit de woning')


def _reads_as_case(prediction: ActPrediction) -> bool:
    share = prediction.probabilities.get("acuut", 0.0) + prediction.probabilities.get("situatie", 0.0)
    return share >= CASE_SHARE


SHORT_PARTNER_QUESTION = 5  # words: 'en de crisisdienst?' asks about that partner, not about the danger
# Words about what to do in the danger itself: melden, toestemming, inschakelen, de politie bellen.
SAFETY_WORDS = re.compile(
    r"\b(?:meld\w*|toestemming|inschakel\w*|politie|112|bespre\w*|overleg\w*|vertel\w*)\b", re.IGNORECASE
)  # 'moet ik het eerst met haar bespreken voor ik bel?
CASE_ACTS = frozenset({"situatie", "acuut"})  # with life domains: more of the case ('where can she stay?')
SAFETY_TOPIC_ACTS = frozenset({"acuut", "vervolg", "situatie", "onduidelijk", "vraag_publicatie"})


def _about_the_danger(turn: Turn, text: str, kind: str, *, has_domains: bool) -> bool:
    """Right after an acute situation, a message that is no new situation and no short question about a
    partner ('en de ggz?') is about that situation ('en als ze niet wil dat ik de politie bel?')."""
    if safety.NEXT_STEP.search(text):  # 'de politie is er, wat is de volgende stap?'
        return True
    if SAFETY_WORDS.search(text) and kind == "partner_vraag":  # 'moet ik dit melden?'
        return asking.resolve(turn, text, use_focus=False, kinds_from_people=False) is None
    if kind not in SAFETY_TOPIC_ACTS or (kind == "situatie" and has_domains):
        return False
    return len(text.split()) > SHORT_PARTNER_QUESTION or asking.resolve(turn, text, use_focus=False) is None


def names_partner(turn: Turn, text: str) -> bool:
    return asking.resolve(turn, text, use_focus=False) is not None


def _by_act(  # noqa: PLR0911, PLR0912
    turn: Turn, text: str, kind: str, prediction: ActPrediction, *, case: bool = False
) -> None:
    if kind != "acuut" and (rest := without_preamble(text)) is not None:
        route(turn, rest.text)  # 'goedemorgen! eerste week hier. wat is een beschikking': the question
        if rest.new_here and not NEW_HERE.search(rest.text):
            turn.say(texts.WELCOME_SHORT)
        return
    if kind not in CASE_ACTS and WIJKEN_ASKED.search(text) and asking.named_in(turn, text) is None:
        _known_wijken(turn)  # 'welke wijken ken je?': the wijken of the kaart
        return
    if kind not in CASE_ACTS and WHO_WROTE.search(text):
        turn.say(texts.PUBLICATION_AUTHORS)  # 'wie heeft het eigenlijk geschreven': the colofon, short
        return
    if kind not in CASE_ACTS and ABOUT_PUBLICATION.search(text):
        # 'staat er iets in over zorgmail?', 'wie heeft het geschreven?': the publication, not a partner
        knowledge.answer_question(turn, text, follow_up=bool(turn.ctx.questions))
        return
    if _continues_publication(turn, text, kind):
        # 'welke voorwaarden noemen ze daarvoor?' (after the shapes above: 'wie heeft het geschreven?')
        knowledge.answer_question(turn, text, follow_up=True, keep_topic=True)
        return
    if kind in PERSON_ACTS and turn.ctx.situation and _on_partners(turn) and only_case_people(text):
        partners.suggest(
            turn, text, earlier=turn.ctx.situation
        )  # 'en voor de vrouw?': the same case, for her
        return
    if kind not in CASE_ACTS and asking.list_all(turn, text):
        return  # 'en dagbesteding, welke zijn er allemaal': every partner of that kind, not one named partner
    if kind not in CASE_ACTS and asking.which_in_wijk(turn, text):
        # 'kennismaken met de huisartsen in de kanaalzone, welke zijn er': the partners of that kind there
        asking.look_up(turn, text)
        return
    if kind in SUBJECT_ACTS:
        turn.ctx.subject = turn.safe_text(text)  # 'en de woningcorporatie?' .. 'wie is dat hier eigenlijk?'
    if kind in REFERENCE_ACTS and answered_about(turn, text):
        return  # 'dat maatjesproject, hoe meld ik haar aan'
    if (
        kind == "situatie"
        and prediction.confidence < POINTING_SITUATION
        and answered_about(turn, text, known_only=True)
    ):
        return  # 'die thuiszorg, komen ze ook in t weekend': the model half reads a case, the partner is named
    if kind not in ("situatie", "acuut") and NEW_HERE.search(text) and not DEFINE.search(text):
        turn.say(texts.ONBOARDING)  # 'ik ben net begonnen, waar moet ik beginnen?'
    elif kind in MEANING_ACTS and (
        defined(turn.deps.understanding.glossary(), text)
        or asked_about(turn.deps.understanding.glossary(), text)
    ):
        define(turn, text)  # 'wat is eigenlijk precies een sociaal wijkteam?' asks what the word means
    elif (
        kind in ("partner_zoeken", "vervolg") and SIMILAR.search(text) and asking.similar_in_wijk(turn, text)
    ):
        return  # 'is er in de polder ook zoiets?'
    elif kind == "vraag_publicatie" and WHICH_PARTNER.search(text) and asking.by_kind(turn, text):
        asking.look_up(turn, text)  # 'welke partner helpt ouders met opvoedvragen?' asks for a partner
    elif kind == "vraag_publicatie" and (named := route_at_named(turn, text, prediction)):
        asking.answer_attribute(turn, text, "toegang", service=named)  # 'hoe gaat dat bij het zorgloket?'
    elif kind == "vraag_publicatie" and _clear_partner_ask(turn, text, prediction):
        _answer_attribute(turn, text, prediction)  # 'moet de huisarts eerst verwijzen voor wijkverpleging?'
    elif kind == "situatie" and (named := _name_and_ask(turn, text)) is not None:
        _name_asked(turn, text, named, prediction)  # 'mantelzorgpnt telefoon': a name and what is asked
    elif kind == "situatie":
        partners.suggest(turn, text)
    elif kind == "partner_vraag":
        _answer_attribute(turn, text, prediction)
    elif kind == "partner_zoeken" and _at_focus(turn, text) and _asks_attribute(prediction, named=False):
        _answer_attribute(turn, text, prediction)  # 'wie leidt die groep' right after the rouwgroep
    elif kind == "onduidelijk" and len(text.split()) <= SHORT_CHAT + 1 and (focused := _at_focus(turn, text)):
        asking.show_one(turn, focused)  # 'heeft haverdam dat?' right after one partner
    elif kind == "partner_zoeken" and (term := _defined_just_now(turn, text)):
        asking.look_up(turn, term)  # 'wat is FACT?' .. 'is er hier een?': a partner of that kind
    elif kind == "partner_zoeken" and not _unsure_about_named(turn, text, prediction):
        asking.look_up(turn, text)
    elif (
        kind == "partner_zoeken"
    ):  # 'hebben de raadslieden een inloop?': unsure look-up or fact of a named partner
        _about_named_partner(turn, text, prediction)
    elif kind == "definitie":
        define(turn, text)
    elif kind == "smalltalk":
        turn.say(texts.SMALLTALK.get(prediction.detail, texts.SMALLTALK["bevestiging"]))
    elif (
        kind == "actie"
        and prediction.detail == "help"
        and find_term(turn.deps.understanding.glossary(), text)
    ):
        define(turn, text)  # 'ik ben nieuw, wat doet een wijkteam eigenlijk?' asks what the word means
    elif kind == "actie" and prediction.confidence < UNSURE_ACTION and asking.by_kind(turn, text):
        asking.look_up(turn, text)  # 'wie kan helpen met geldproblemen?' names a kind of partner, not /help
    elif kind == "actie":
        do_action(turn, text, prediction.detail)
    elif kind == "vervolg":
        follow_up(turn, text, prediction)
    elif kind == "onduidelijk":
        ask_what(turn, text)
    elif _unsure_about_named(turn, text, prediction):
        _about_named_partner(turn, text, prediction)
    else:
        knowledge.answer_question(
            turn,
            text,
            follow_up=_on_publication(turn),  # 'en bij school?' right after an answer from the publication
            instead=(lambda: _suggest_instead(turn, text)) if case else None,
            refused=lambda: _describe_named(turn, text) or _about_shown(turn, text, prediction),
        )


SUBJECT_ACTS = frozenset({"vraag_publicatie", "definitie", "vervolg"})
CLEAR_PARTNER_ATTRIBUTE = 0.7  # the detail head gives one partner attribute this much ...
PUBLICATION_UNSURE = 0.9  # ... while the act model gives the publication less than this


def _clear_partner_ask(turn: Turn, text: str, prediction: ActPrediction) -> bool:
    """During a talk about partners, a question the act model reads as one about the publication but not surely,
    whose partner attribute the detail head reads clearly, and that names a partner of the kaart or asks the
    route of the one in focus ('moet de huisarts eerst verwijzen voor wijkverpleging?'): that fact."""
    if not _on_partners(turn) or prediction.confidence >= PUBLICATION_UNSURE:
        return False
    detail = prediction.detail_of("partner_vraag")
    if prediction.details.get(f"partner_vraag:{detail}", 0.0) < CLEAR_PARTNER_ATTRIBUTE:
        return False
    return asking.named_in(turn, text) is not None or bool(turn.ctx.focus_id and asking.ROUTE.search(text))


def _on_partners(turn: Turn) -> bool:
    topic = turn.ctx.topic
    return topic is not None and topic.kind == "partners"


def _known_wijken(turn: Turn) -> None:
    wijken = sorted(turn.services.kaart.wijken())
    turn.say(texts.KNOWN_WIJKEN.format(wijken=dutch_list(wijken)) if wijken else texts.NO_WIJKEN)


POINTING_SITUATION = (
    0.6  # below this, a 'situatie' that first names a partner is a question about that partner
)
# Acts the model gives a question that first points at a partner ('die van school en werk, hoe bereik ik die')
REFERENCE_ACTS = frozenset({"vraag_publicatie", "vervolg", "onduidelijk", "partner_zoeken", "definitie"})


NAME_AND_ASK_WORDS = 4  # 'mantelzorgpnt telefoon', 'budgetbureau open zaterdag?'


def _name_and_ask(turn: Turn, text: str) -> Service | None:
    """A short message of nothing but a partner's name and words that ask for a fact: that partner (the act
    model may read a bare name as a case)."""
    if len(text.split()) > NAME_AND_ASK_WORDS:
        return None
    named = asking.named_in(turn, text)
    rest = " ".join(kind_words(text))
    return named if named is not None and (not rest or only_names(rest, named)) else None


def _name_asked(turn: Turn, text: str, named: Service, prediction: ActPrediction) -> None:
    if kind_words(text) == words(text):  # only the name
        asking.show_one(turn, named, text=text)
    else:
        detail, certainty = attribute(turn, text, prediction)
        asking.answer_attribute(turn, text, detail, certainty=certainty, service=named)


def _on_publication(turn: Turn) -> bool:
    topic = turn.ctx.topic
    return topic is not None and topic.kind == "publication"


def _defined_just_now(turn: Turn, text: str) -> str:
    """The term just explained, when a look-up names nothing itself ('is er hier een?'); else ''."""
    topic = turn.ctx.topic
    if topic is None or topic.kind != "definition" or not topic.section or words(text):
        return ""
    return topic.section


# A question whether a client is already signed up, helped or on a list somewhere: the bot keeps no client records
CLIENT_STATUS = re.compile(
    r"^\s*(?:en\s+)?(?:is|zijn|staat|staan|heeft|hebben|weet\s+je\s+of)\b[^?]{0,60}?\b(?:al|nog|inmiddels)\s+"
    r"(?:\w+\s+)?(?:ingeschreven|aangemeld|geholpen|gebeld|geweest|geplaatst|toegelaten|goedgekeurd|"
    r"op\s+de\s+wachtlijst|in\s+behandeling)\b",
    re.IGNORECASE,
)


def _no_client_data(turn: Turn, text: str) -> None:
    named = asking.resolve(turn, text, use_focus=False, any_of_kind=True)
    if named is not None and named.phone:
        asking.focus(turn, named)
        turn.say(texts.NO_CLIENT_DATA_AT.format(name=display_name(named), phone=tappable(named.phone)))
    else:
        turn.say(texts.NO_CLIENT_DATA)


def _describe_named(turn: Turn, text: str) -> bool:
    """A question the publication is not about that names a partner of the kaart ('wat dut MEE krek?', in
    dialect): what the kaart says about that partner, instead of 'daar gaat de publicatie niet over'."""
    if len(text.split()) > SHORT_PARTNER_QUESTION:  # a longer question only shares a word with a name
        return False  # ('mag ik info over een gezin delen met school?' is no question about a Gezinscentrum)
    named = asking.named_in(turn, text)
    if named is None:
        return False
    asking.describe(turn, named)
    return True


SHOWN_QUESTION_WORDS = 6  # 'wat doen die precies?', 'hoe snel reageren ze': short, pointing back


def _about_shown(turn: Turn, text: str, prediction: ActPrediction | None = None) -> bool:
    """A short question the publication is not about, right after partners were shown, that points back at
    them ('wat doen die precies?', 'hoe snel reageren ze'): about those partners, not 'daar gaat de publicatie
    niet over'. What they do: the partner in focus (else the first shown) described; else the fact asked, for
    the partner in focus or each partner of the list."""
    if (
        not _on_partners(turn)
        or not turn.ctx.shown_ids
        or len(text.split()) > SHOWN_QUESTION_WORDS
        or not AT_FOCUS.search(text)
    ):
        return False
    named = asking.resolve(turn, text, use_focus=False)
    if named is not None and named.id not in turn.ctx.shown_ids:
        return False  # another partner: not about the ones shown
    if DESCRIBE.search(text):
        target = named or turn.services.kaart.get(turn.ctx.focus_id or turn.ctx.shown_ids[0])
        if target is None:
            return False
        asking.describe(turn, target)
        return True
    if WAITING.search(text):
        asking.answer_attribute(turn, text, "wachttijd", certainty=0.0, service=named)
        return True
    reading = prediction if prediction is not None else turn.deps.understanding.read(text)
    detail, certainty = attribute(turn, text, reading)
    asking.answer_attribute(turn, text, detail, certainty=certainty, service=named)
    return True


def _suggest_instead(turn: Turn, text: str) -> bool:
    partners.suggest(turn, text)
    return True


AT_FOCUS = re.compile(r"\b(?:die|dat|deze|dit|daar|daarvan|ze|zij|hun|hen)\b", re.IGNORECASE)


def _at_focus(turn: Turn, text: str) -> Service | None:
    """The partner in focus, when the message points back ('die groep', 'dat', 'daar') and names no other
    partner: it is about that partner."""
    if not turn.ctx.focus_id or not AT_FOCUS.search(text) or without_reference(text) != text:
        return None
    named = asking.resolve(turn, text, use_focus=False)
    if named is not None and named.id != turn.ctx.focus_id:
        return None
    return turn.services.kaart.get(turn.ctx.focus_id)


def _unsure_about_named(turn: Turn, text: str, prediction: ActPrediction) -> bool:
    """An unsure question that names a partner. A glossary term ('hoe gaat zo'n keukentafelgesprek?') that
    only fits the kind of a partner just shown names no partner: the term is what is asked about."""
    if prediction.confidence >= UNSURE_QUESTION or asking.resolve(turn, text, use_focus=False) is None:
        return False
    return asking.named_in(turn, text) is not None or not find_term(turn.deps.understanding.glossary(), text)


def _about_named_partner(turn: Turn, text: str, prediction: ActPrediction) -> None:
    """An unsure question or look-up that names a partner on the kaart is about that partner: its fact when
    one attribute stands out ('moet je voor de basis ggz een verwijzing hebben?'), else the partner."""
    if _asks_attribute(prediction, named=False):
        _answer_attribute(turn, text, prediction)
    else:
        asking.look_up(turn, text)


def attribute(turn: Turn, text: str, prediction: ActPrediction) -> tuple[str, float]:
    """The attribute asked for, with the model's probability for it. A reference to a listed partner ('die
    van taal, wanneer ...?') is read without its subject word, which would otherwise pull the attribute."""
    if SELF_ACCESS.search(text):
        return "toegang", 1.0  # 'kan ik zelf de crisisdienst bellen?' asks who may call: the access route
    rest = without_reference(text)
    if rest != text and len(rest.split()) >= MIN_REST_WORDS:
        prediction = turn.deps.understanding.read(rest)
    detail = prediction.detail_of("partner_vraag") or "telefoon"
    if detail == "talen" and not _names_language(turn, text):
        detail = _next_attribute(prediction, "talen")  # 'heeft ze daar aanspraak op?' is no language question
    return detail, prediction.details.get(f"partner_vraag:{detail}", 0.0)


# Words that ask about language: 'welke talen', 'anderstalig', 'spreken ze', 'een tolk', 'do they speak'. Not
# 'spreekuur' (opening hours) and not 'aanspraak' (entitlement), which only share letters with them.
LANGUAGE_ASK = re.compile(
    r"\b(?:\w*taal|talen|\w*talige?n?|spreek|spreekt|spreken|sprak|spraken|tolk\w*|vertaal\w*|language\w*|"
    r"speak\w*|spoken|interpret\w*|translat\w*)\b",
    re.IGNORECASE,
)


def _names_language(turn: Turn, text: str) -> bool:
    """The text asks about language: a language word, or the name of a language ('arabisch?', 'polish')."""
    return bool(LANGUAGE_ASK.search(text) or asked_languages(text, turn.deps.understanding.languages()))


def _next_attribute(prediction: ActPrediction, leave_out: str) -> str:
    """The detail head's most likely partner attribute other than `leave_out`."""
    others = {k.split(":", 1)[1]: p for k, p in prediction.details.items()
              if k.startswith("partner_vraag:") and k != f"partner_vraag:{leave_out}"}  # fmt: skip
    return max(others, key=others.__getitem__) if others else "telefoon"


def _answer_attribute(turn: Turn, text: str, prediction: ActPrediction) -> None:
    detail, certainty = attribute(turn, text, prediction)
    asking.answer_attribute(turn, text, detail, certainty=certainty)


def define(turn: Turn, text: str) -> None:
    """A glossary entry when the text names one (two for 'het verschil tussen ...'), else the publication.
    'wat doet die bemoeizorg precies?' right after that partner asks what the partner does: the kaart."""
    pointed = asking.that_partner(turn, text)
    if pointed is not None:
        asking.describe(turn, pointed)
        return
    if knowledge.explain_terms(turn, text):
        return
    named = asking.resolve(turn, text, use_focus=False)
    if named is not None:  # 'wat doet een casemanager dementie': the kaart describes the partner
        asking.describe(turn, named)
    else:  # not in the publication either: the one partner of that kind ('wat is een thuiszitter?')
        knowledge.answer_question(
            turn,
            text,
            instead=lambda: asking.describe_kind(turn, text),
            refused=lambda: _about_shown(turn, text),  # 'wat doen die precies?' right after a list
        )


def follow_up(turn: Turn, text: str, prediction: ActPrediction) -> None:
    """'en met de politie?', 'en de ggz?', 'en het adres?': read with the last topic."""
    topic = turn.ctx.topic
    if topic is not None and topic.kind == "partners":
        if _only_a_wijk(turn, text) and asking.similar_in_wijk(turn, text):
            return  # 'en in de polder?' after a partner: the same kind of partner there
        named = asking.resolve(turn, text, use_focus=False)
        if OFFER.search(text) and turn.ctx.focus_id and (named is None or named.id == turn.ctx.focus_id):
            asking.answer_attribute(turn, text, "aanbod", certainty=0.0)  # 'do they help with gaming too?'
            return
        if (
            named is not None
            and topic.attribute
            and (
                only_names(text, named, turn.deps.understanding.english())
                or ordinal(text, len(turn.ctx.shown_ids)) is not None
                or ELLIPSIS.match(text)
            )
        ):
            same = "openingstijden" if names_weekday(text) else topic.attribute  # 'kledingbank ook za?'
            asking.answer_attribute(turn, text, same)  # 'spreken ze pools?' .. 'en bij de voedselbank?'
            return
        if named is not None and only_names(text, named, turn.deps.understanding.english()):
            asking.look_up(turn, text)  # 'en het mantelzorgpunt?': that partner, not a guessed attribute
            return
        if (
            turn.ctx.focus_id
            and (named is None or named.id == turn.ctx.focus_id)
            and (SIGN_UP.search(text) or WAITING.search(text))
        ):
            focused = turn.services.kaart.get(turn.ctx.focus_id)  # not a loose kind word ('zoiets duurt')
            asking.answer_attribute(turn, text, "toegang", service=focused)  # 'en hoe vraag je dat daar aan?'
        elif _asks_attribute(prediction, named=named is not None):
            _answer_attribute(turn, text, prediction)
        elif named is not None and ordinal(text, len(turn.ctx.shown_ids)) is not None:
            asking.show_one(turn, named)  # 'en de derde?': that partner of the list
        else:  # 'en de ggz?': that partner, or a short list when several carry the name
            asking.look_up(turn, text)
        return
    named = asking.resolve(turn, text, use_focus=False)
    if named is not None and DESCRIBE.search(text):  # 'en wat doet veilig thuis dan?'
        asking.describe(turn, named)
        return
    if topic is not None and topic.kind == "definition":
        if find_term(turn.deps.understanding.glossary(), text):
            define(turn, text)
            return
        if topic.section and len(text.split()) <= SHORT_PARTNER_QUESTION:
            entry = next((e for e in turn.deps.understanding.glossary() if e.term == topic.section), None)
            said = entry_sentences(entry, text) if entry is not None else None
            if said is not None:  # 'en bij ouderen?' right after the meldcode: what the entry says about them
                turn.say(said)
                return
            # else the same word, for them, in the publication
            knowledge.answer_question(turn, f"{topic.section}: {text}", follow_up=True)
            return
        if topic.section:  # a longer follow-up: the publication, else the sentence of the entry it asks about
            knowledge.answer_question(
                turn, text, follow_up=True, instead=lambda: _entry_near(turn, topic, text)
            )
            return
    knowledge.answer_question(turn, text, follow_up=True, keep_topic=_on_publication(turn))


def _entry_near(turn: Turn, topic: Topic, text: str) -> bool:
    """'en als ze het er niet mee eens is?' right after the beschikking, which the publication does not answer:
    the sentence of that glossary entry about it (True when said)."""
    entry = next((e for e in turn.deps.understanding.glossary() if e.term == topic.section), None)
    said = entry_sentence_near(entry, text) if entry is not None else None
    if said is None:
        return False
    turn.say(said)
    return True


def _only_a_wijk(turn: Turn, text: str) -> bool:
    """The text names a wijk and asks for something like it ('iets vergelijkbaars'), or nothing else."""
    wijk = asking.wijk_in(turn, text)
    if wijk is None:
        return False
    return bool(SIMILAR.search(text)) or not words(asking.without_wijk(text, wijk))


def _asks_attribute(prediction: ActPrediction, *, named: bool) -> bool:
    """A follow-up about partners that asks for a fact ('en de tweede, wat kost die?'). When it names a
    partner ('en voor die psychologenpraktijk, moet dat via de huisarts?') a weaker attribute is enough."""
    attributes = [p for key, p in prediction.details.items() if key.startswith("partner_vraag:")]
    return prediction.probabilities.get("partner_vraag", 0.0) >= PARTNER_FOLLOW_UP or max(
        attributes, default=0.0
    ) >= (ATTRIBUTE_NAMED if named else ATTRIBUTE_CLEAR)


def do_action(turn: Turn, text: str, kind: str) -> None:
    if kind == "open_verwijzingen":
        followups.list_open(turn)
    elif kind == "wijk_wijzigen":
        account.wijk(turn, asking.wijk_in(turn, text) or "")
    elif kind == "vergeet_mij":
        account.ask_forget(turn)
    else:
        account.help_text(turn)


def ask_what(turn: Turn, text: str) -> None:
    """Really unclear: ask with two buttons, keeping the (scrubbed) text for the choice."""
    turn.ctx.pending = AwaitIntent(turn.safe_text(text))
    turn.say(
        texts.INTENT_UNSURE,
        [[act.button(texts.INTENT_QUESTION, act.ChooseIntent(situation=False)),
          act.button(texts.INTENT_SITUATION, act.ChooseIntent(situation=True))]],
    )  # fmt: skip
