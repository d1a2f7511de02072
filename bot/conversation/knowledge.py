"""Questions about collaboration: answers with 👍/👎, the ten vragen, and feedback."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from bot.answering import messages
from bot.answering.service import Answer, BadQuestion
from bot.conversation import texts
from bot.conversation.actions import Feedback, ListVragen, ShowVraag, button
from bot.conversation.asks import PUBLICATION_NAMED, framed_topic, without_source
from bot.conversation.context import Topic
from bot.conversation.glossary import Entry, asked_about, defined, english_replies, find_all, replies
from bot.conversation.lookup import fold
from bot.conversation.reframe import reframe
from bot.conversation.shapes import WHY
from bot.conversation.turn import Turn
from bot.conversation.types import Reply
from bot.conversation.vraagwords import dutch_tokens
from bot.ingest.vragen import Vraag
from bot.retrieval.language import reads_english
from bot.retrieval.lexical import raw_terms
from bot.retrieval.types import Passage

VRAAG_ADVICE_ITEMS = 3
CARD_ADVICE_ITEMS = 2
# USE cosine: a question and an advice about the same thing. bench/cards.py on 82 labelled development
# questions: 0.45 -> 13 cards (12 right), 0.40 -> 14 (13 right), 0.35 -> 18 (16 right, 2 wrong).
CARD_MIN_SIMILARITY = 0.40
CARD_MIN_AGREEMENT = 2  # of the top three passages, this many come from the card's vraag


def answer_question(
    turn: Turn,
    text: str,
    *,
    follow_up: bool = False,
    keep_topic: bool = False,
    instead: Callable[[], bool] | None = None,
    refused: Callable[[], bool] | None = None,
) -> None:
    """Answer from the publication: a curated vraag card when one clearly fits, else the passage answer.

    `follow_up` reads the question with the last questions of this conversation ('en met de politie?');
    `instead` answers (and returns True) when the publication does not ('wat is een thuiszitter?' -> the kaart);
    `refused` only when the question is out of the publication's scope ('wat dut MEE krek?' -> that partner);
    `keep_topic`: the question asks more about the last topic ('zijn er voorbeelden van hoe het beter kan?'), so
    an answer from another vraag gives way to the answer read with the last question, when that one stays there.
    """
    question = turn.safe_text(text)
    history = list(turn.ctx.questions)  # the answer service decides whether the question leans on them
    framed = _framed(turn, question)
    if framed:  # 'wat zegt het boek over de huisarts?': the topic alone, a question of its own
        question, history, follow_up = framed, [], False
    typed = question  # with its words about the book: it may fit a vraag card better
    if (
        not framed
    ):  # 'waarom botst dat zo vaak? staat daar iets over in de publicatie?': without the book's words
        question = without_source(question)
    if follow_up and _advice_follow_up(turn, question, history):
        return
    examples = _examples_in_topic(turn, question, history)
    reframed = (
        reframe(history[-1], question, partners=_partner_words(turn)) if follow_up and history else None
    )
    if reframed is not None:  # 'en met de politie?': the last question about the new partner
        question, history = reframed.question, []
    # 'en als de huisarts niet terugbelt?' after a question about GPs, refused alone: read as one question
    joined = f"{history[-1].rstrip('?.! ')}. {question}" if follow_up and history and reframed is None else ""
    # room above the first message for 'De publicatie zegt niets apart over ...' (added when the answer does not
    # name the new partner)
    reserve = (
        len(texts.FOLLOW_UP_NOT_NAMED.format(subject=reframed.subject)) + 2 if reframed is not None else 0
    )
    try:
        with turn.unlocked():  # no lock held across the LLM call
            if examples:  # 'can you give an example?' right after an answer: the examples of that vraag
                answer = turn.services.answers.answer(examples[0], history=[], within=examples[1])
                question, history = examples[0], []
            else:
                answer = turn.services.answers.answer(question, history=history, reserve=reserve)
            if joined and not answer.in_scope:
                again = turn.services.answers.answer(joined, history=[])
                answer, question = (again, joined) if again.in_scope else (answer, question)
            if reframed is not None and not answer.in_scope:
                # 'en bij school?' after 'en als de huisarts niet reageert?': the swapped question is refused,
                # so the follow-up read with the conversation ('school', within the topic so far)
                own = turn.safe_text(text)
                for asked, before in ((own, history), (f"samenwerken met {reframed.subject}", [])):
                    again = turn.services.answers.answer(asked, history=before)
                    if again.in_scope:  # else the partner alone, as a topic: working with school
                        answer, question = again, asked
                        break
            own = turn.safe_text(text)
            named = _named_partner_words(turn, own)
            if follow_up and history and reframed is None and named and not _mentions(answer, named):
                # 'en als de huisarts niet reageert?': an answer read with the last question that never names the
                # huisarts gives way to the question read alone, when that answer does name it
                again = turn.services.answers.answer(own, history=[])
                answer, question = (
                    (again, own) if again.in_scope and _mentions(again, named) else (answer, question)
                )
            if keep_topic and history and reframed is None and _left_topic(turn, answer):
                joined_topic = f"{history[-1].rstrip('?.! ')}. {question}"
                again = turn.services.answers.answer(joined_topic, history=[])
                if _left_topic(turn, again) and turn.ctx.topic is not None and turn.ctx.topic.chapter:
                    # 'en waarom?' after the vraag on getting to know partners: that vraag's passages only
                    again = turn.services.answers.answer(
                        joined_topic, history=[], within=turn.ctx.topic.chapter
                    )
                answer, question = (
                    (again, joined_topic) if not _left_topic(turn, again) else (answer, question)
                )
            if framed and not answer.in_scope:  # the topic alone is too little: the whole question
                whole = turn.safe_text(text)
                again = turn.services.answers.answer(whole, history=list(turn.ctx.questions))
                answer, question = (again, whole) if again.in_scope else (answer, question)
    except BadQuestion as exc:
        turn.say(str(exc) or texts.EMPTY_TEXT)
        return
    turn.ctx.questions.append(question)
    if not answer.in_scope and explain_terms(turn, text, head=texts.GLOSSARY_INSTEAD):
        return  # 'hoe werkt de meldcode?': not in the publication, but the word is in the glossary (cited)
    if _term_not_in_answer(turn, text, answer) and explain_terms(turn, text, head=texts.GLOSSARY_INSTEAD):
        return  # 'mag ik dat vertellen, qua privacy?': the passages found never name privacy; the glossary does
    if refused is not None and not answer.in_scope and refused():
        return  # a question about a partner of the kaart, by its name, that the publication is not about
    if instead is not None and (not answer.in_scope or _loose(answer)) and instead():
        return  # 'wat is een jobcoach?': the publication only touches it, one kaart partner works on it
    top = answer.sources[0].passage if answer.sources else None
    turn.ctx.topic = Topic(kind="publication", chapter=top.chapter if top else None,
                           section=top.section if top else "")  # fmt: skip
    token = turn.ctx.add_answer_ref(f"{answer.mode}:{top.id if top else 'none'}"[:80])
    feedback_row = [
        button(texts.THUMBS_UP, Feedback(token, True)),
        button(texts.THUMBS_DOWN, Feedback(token, False)),
    ]
    # 'wat zegt het boek over X?' asks what the book says: its passage, not the advice of a vraag card
    # 'zijn er voorbeelden van hoe het beter kan?' asks for the cases the text describes, not for tips
    card = (
        vraag_card(turn, question, answer)
        or (vraag_card(turn, typed, answer) if without_source(typed) == question != typed else None)
        if answer.in_scope and answer.mode == "extractive" and not framed and not EXAMPLE_ASK.search(question)
        else None
    )  # the question as typed may fit a card better than without its words about the book
    # a phone-sized answer: the cited best sentences first, the rest in a second message
    parts = [card] if card else list(answer.parts or (answer.text,))
    if reframed is not None and answer.in_scope and not reframed.mentioned_in("\n".join(parts)):
        parts[0] = texts.FOLLOW_UP_NOT_NAMED.format(subject=reframed.subject) + "\n\n" + parts[0]
    if answer.notices:
        parts[-1] = parts[-1] + "\n\n" + "\n".join(f"ℹ️ {notice}" for notice in answer.notices)
    rows = [feedback_row] if answer.in_scope else [[button(texts.ALL_VRAGEN_OFFER, ListVragen())]]
    gist = (
        _english_gist(turn, text, top) or _why_gist(turn, text, top) or _theme_gist(turn, text, top)
        if answer.in_scope
        else ""
    )
    if gist:  # asked in English, or asked why: what the vraag is about, above the quote
        turn.say(gist)
    for part in parts[:-1]:
        turn.say(part)
    turn.say(parts[-1], rows)


# Words of the publication's own examples: its 'Praktijkvoorbeeld' boxes, the evaluations of municipalities it
# quotes ('De volgende voorbeelden komen uit de evaluaties van gemeente Tiel, ...') and the approaches and
# experiments it describes ('Aanpakken om geldstromen soepeler te laten lopen', the City Deal); searched with a
# request for examples, within the vraag of the last answer.
EXAMPLE_WORDS = "voorbeeld voorbeelden praktijkvoorbeeld evaluatie aanpak aanpakken experiment experimenten"
EXAMPLE_FOLLOW_UP_WORDS = 12  # longer: a question of its own


def _examples_in_topic(turn: Turn, question: str, history: list[str]) -> tuple[str, int] | None:
    """A short request for examples right after an answer from a vraag ('can you give an example?', 'vb met
    wijkverpleging?'): (the question to search, that vraag's chapter); None otherwise."""
    topic = turn.ctx.topic
    if (
        topic is None
        or topic.kind != "publication"
        or not topic.chapter
        or not history
        or len(question.split()) > EXAMPLE_FOLLOW_UP_WORDS
        or not EXAMPLE_ASK.search(question)
    ):
        return None
    return f"{history[-1].rstrip('?.! ')}. {question} {EXAMPLE_WORDS}", topic.chapter


# A question for examples from practice: 'zijn er voorbeelden van hoe het beter kan?', 'geef eens een
# praktijkvoorbeeld', 'any examples?', 'waar werkt dat al goed?'
EXAMPLE_ASK = re.compile(
    r"\b(?:praktijk)?voorbeeld(?:en)?\b|\bexamples?\b|\bvb\b|\bwaar\s+(?:werkt|gaat|lukt)\s+(?:dat|het)\s+(?:al\s+)?goed\b",
    re.IGNORECASE,
)


def _english_gist(turn: Turn, text: str, top: Passage | None) -> str:
    """For a question asked in English, the English summary of the vraag the answer's passage is from, with
    that vraag and its page; '' otherwise (a Dutch question, the introduction, no summary)."""
    if top is None or not reads_english(text):
        return ""
    vraag = find_vraag(turn, top.chapter)
    if vraag is None or not vraag.english:
        return ""
    return texts.ENGLISH_GIST.format(number=vraag.number, title=vraag.title, english=vraag.english)


TERM_QUESTION_WORDS = 3  # content words besides the term: a question about the term itself


def _term_not_in_answer(turn: Turn, text: str, answer: Answer) -> bool:
    """The question names a glossary term from outside the publication that none of the answer's passages
    names ('qua privacy?' answered with passages about visie): the passages only share other words with it.
    Not when the question asks what the publication says (then its passages are what is asked for)."""
    if not answer.in_scope or not answer.sources or PUBLICATION_NAMED.search(text):
        return False
    outside = [e for e in find_all(turn.deps.understanding.glossary(), text) if not e.from_publication]
    if not outside:
        return False
    term_words = {w for alias in outside[0].aliases for w in re.findall(r"[a-z0-9]+", alias)}
    if len([w for w in raw_terms(text) if w not in term_words]) > TERM_QUESTION_WORDS:
        return False  # 'hoe werk ik samen met het wmo-loket?' asks more than the term
    said = (
        " "
        + " ".join(re.findall(r"[a-z0-9-]+", fold(" ".join(h.passage.text for h in answer.sources[:3]))))
        + " "
    )
    return not any(f" {alias} " in said for alias in outside[0].aliases)


# 'wat bedoelen ze met financiële schotten?', 'wat is dat, die financiële schotten?': what a vraag's theme means
MEANING_ASK = re.compile(
    r"\bwat\s+(?:bedoel\w*|betekent|betekenen|is|zijn|houdt|houden)\b|\bsnap\s+ik\s+niet\b|"
    r"\bwhat\s+(?:is|are|do|does)\b[^?]*\bmean\b",
    re.IGNORECASE,
)


def _theme_gist(turn: Turn, text: str, top: Passage | None) -> str:
    """For a question what the theme of the answer's vraag means ('wat bedoelen ze met financiële schotten?'),
    that vraag's summary; '' otherwise (the question names no vraag's theme, or asks something else)."""
    if top is None or not MEANING_ASK.search(text):
        return ""
    vraag = find_vraag(turn, top.chapter)
    if vraag is None or not vraag.summary or not vraag.theme:
        return ""
    if not set(dutch_tokens(vraag.theme)) & set(dutch_tokens(text)):
        return ""  # a word of the theme ('schotten' of 'financiële schotten') must be asked about
    return texts.WHY_GIST.format(number=vraag.number, summary=" ".join(vraag.summary.split()))


def names_vraag_theme(turn: Turn, text: str) -> bool:
    """The text names the theme of one of the ten vragen ('vertrouwen', 'financiële schotten', 'mandaat'), as
    knowledge/vragen.yaml gives it, partner words left out."""
    asked = set(dutch_tokens(text)) - _partner_words(turn)
    return any(set(dutch_tokens(v.theme)) & asked for v in turn.services.vragen if v.theme)


def _why_gist(turn: Turn, text: str, top: Passage | None) -> str:
    """For a question that asks why ('en waarom is dat zo belangrijk?'), the summary of the vraag the answer's
    passage is from: the publication's own short account of why that collaboration is hard or matters; ''
    otherwise (no reason asked, the introduction, an answer card)."""
    if top is None or not WHY.search(text):
        return ""
    vraag = find_vraag(turn, top.chapter)
    if vraag is None or not vraag.summary:
        return ""
    return texts.WHY_GIST.format(number=vraag.number, summary=" ".join(vraag.summary.split()))


def _named_partner_words(turn: Turn, question: str) -> set[str]:
    """The kaart partner words the question names ('huisarts' in 'en als de huisarts niet reageert?')."""
    return set(dutch_tokens(question)) & _partner_words(turn)


def _mentions(answer: Answer, words: set[str]) -> bool:
    """The answer's text holds one of the (stemmed) partner words."""
    return bool(set(dutch_tokens(answer.text)) & words)


def _left_topic(turn: Turn, answer: Answer) -> bool:
    """The answer is not from the vraag (chapter) of the last publication answer."""
    topic = turn.ctx.topic
    if topic is None or topic.kind != "publication" or not topic.chapter:
        return False
    return not answer.in_scope or not answer.sources or answer.sources[0].passage.chapter != topic.chapter


def _framed(turn: Turn, question: str) -> str:
    """The topic of a question framed as 'wat zegt het boek over X?' (X), or of 'staat daar iets over in de
    publicatie?' right after a glossary entry (that term); '' otherwise."""
    topic = framed_topic(question)
    if topic is None or topic:
        return topic or ""
    last = turn.ctx.topic  # the frame points back: at the word just explained
    return last.section if last is not None and last.kind == "definition" else ""


# After 'welke oplossingen': only words that point back ('noemen ze', 'worden er genoemd', 'in het boek'), so
# 'welke tips heb je voor de huisarts?' with a topic of its own is no follow-up
_ONLY_POINTING = (
    r"(?:\s+(?:noem\w*|geef\w*|geven|word\w*|er|ze|zij|die|daar\w*|hier\w*|genoemd|gegeven|sta\w*|hebben|heeft|"
    r"zijn|is|in|het|boek|de|publicatie|dan|nog|eigenlijk|do|does|they|there|are|mention\w*|given|the|book|it))*\W*$"
)
# 'en wat doe ik eraan?', 'hoe dan?', 'wat kan ik daar als uitvoerder zelf aan doen?', 'what can I do about it?'
ADVICE_ASK = re.compile(
    r"\bwat\s+(?:kan|moet|kunnen|moeten|doe|doen)\s+(?:ik|we|wij|je)\b[^?]{0,40}?\b(?:aan|mee)(?:\s+doen)?\b|"
    r"\bwat\s+doe\s+ik\s+(?:er|daar)\s*(?:aan|mee)\b|"
    r"\bwat\s+(?:ik|we|wij|je)\s+(?:\w+\s+){0,5}?(?:zelf\s+|concreet\s+)?(?:kan|kunnen|moet|moeten)\s+doen\b|"
    r"^\W*(?:en|maar|ok[eé]?|oke|and|so)?\W*(?:wat|what)\s+(?:helpt|werkt|helps|works)\b(?!\s+(?:bij|voor|for|with)\b)|"
    r"^\W*(?:en|maar|and)?\s*(?:de|het|een|the|any)?\s*(?:oplossing(?:en)?|tips?|adviezen|advies|solutions?|advice)"
    r"(?:\s+(?:dan|daarvoor|hiervoor|ervoor|then))?\W*$|^\W*(?:en\s+|maar\s+|ja\s+)?hoe\s+dan\W*$|"
    r"\bhoe\s+(?:pak|los)\s+(?:ik|je|we)\s+(?:dat|dit|het)\s+(?:aan|op)\b|\bwhat\s+can\s+(?:i|we)\s+do\b|"
    r"\bhow\s+do\s+(?:i|we)\s+(?:fix|handle|solve|deal\s+with)\s+(?:it|that|this)\b|"
    r"\b(?:welke|wat\s+(?:zijn|voor))\s+(?:\w+\s+){0,2}?(?:oplossing\w*|tips?|adviez\w*|advies|aanbeveling\w*)"
    rf"{_ONLY_POINTING}|"
    r"\b(?:what|which|any)\s+(?:\w+\s+){0,2}?(?:solutions?|tips|advice|recommendations?)"
    rf"{_ONLY_POINTING}",
    re.IGNORECASE,
)  # 'en welke oplossingen noemen ze?', 'wat zijn de tips?': the tips of that vraag
ADVICE_FOLLOW_UP_WORDS = 15  # longer: a question of its own


def advice_follow_up(turn: Turn, text: str) -> bool:
    """'wat kan ik daar zelf aan doen?' right after a publication answer: that vraag's tips (True when said)."""
    return _advice_follow_up(turn, without_source(turn.safe_text(text)), list(turn.ctx.questions))


def _advice_follow_up(turn: Turn, question: str, history: list[str]) -> bool:
    """Right after a publication answer, 'en wat doe ik eraan?' asks for the tips of that topic's vraag."""
    topic = turn.ctx.topic
    if (
        topic is None
        or topic.kind != "publication"
        or not topic.chapter
        or len(question.split()) > ADVICE_FOLLOW_UP_WORDS
        or not ADVICE_ASK.search(question)
    ):
        return False
    card = advice_card(turn, topic.chapter, f"{history[-1]} {question}" if history else question)
    if card is None:
        return False
    token = turn.ctx.add_answer_ref(f"card:{topic.chapter}")
    turn.say(
        card,
        [[button(texts.THUMBS_UP, Feedback(token, True)), button(texts.THUMBS_DOWN, Feedback(token, False))]],
    )
    return True


def _loose(answer: Answer) -> bool:
    """The answer says the publication does not answer the question directly: a loose extractive answer, or
    the refusal that names the nearby topic ('dit precieze punt staat niet in de publicatie')."""
    near = messages.text("near_miss").split("{", 1)[0]
    return answer.text.startswith(messages.text("loose_lead")) or answer.text.startswith(near)


GLOSSARY_CHARS = 600  # a reply's first message


def explain_terms(turn: Turn, text: str, *, head: str = "") -> bool:
    """The glossary entry (or two, 'het verschil tussen de wmo en de wlz') the text names; False when none.
    `head` goes first (for a question the publication does not answer)."""
    glossary = turn.deps.understanding.glossary()
    entries = find_all(glossary, text)
    if not entries:
        return False
    asked = defined(glossary, text) or asked_about(glossary, text)
    if asked is not None and asked in entries:  # 'wat is de meldcode, moet ik die kennen als wijkteam?'
        entries = [asked, *(e for e in entries if e is not asked)]
    turn.ctx.topic = Topic(kind="definition", section=entries[0].term)
    english = entries[0].english and reads_english(text)  # 'what does beschikking mean': in English first
    limit = GLOSSARY_CHARS - len(head) - 1
    body = english_replies(entries, limit) if english else replies(entries, limit)
    turn.say(f"{head}\n{body}" if head else body)
    if LOCAL_ASK.search(text):
        _local_partner(turn, text, entries)
    return True


# A definition question that also asks for the partner here: 'wat is een FACT-team? en hebben we die hier?',
# 'waar doe je in Sterkenburg een Wmo-melding?', 'hoe doe ik een wmo melding?', 'het verschil tussen het Zorgloket en ons buurtteam'
LOCAL_ASK = re.compile(
    r"\b(?:hier|hierzo|bij\s+ons|ons|onze|hebben\s+(?:we|wij|jullie)|zit\s+(?:er|die|dat)|"
    r"waar\s+(?:doe|kan|moet|kun|meld)\w*\s+(?:je|ik|men|we|u)|here|our|do\s+we\s+have|is\s+there\s+one|"
    r"hoe\s+(?:doe|maak|regel)\s+(?:ik|je|jij|we|wij)|how\s+do\s+(?:i|we)\s+(?:do|make|file|arrange))\b",
    re.IGNORECASE,
)


def _local_partner(turn: Turn, text: str, entries: list[Entry]) -> None:
    """After the explanation, the partner on the kaart that the question asks for here: one it names that no
    explained term covers ('het jgt' next to 'wijkteam'), else the one partner of the explained term's kind
    ('FACT-team' -> the FACT-team of the kaart). Nothing when the kaart has none."""
    from bot.conversation import asking  # asking uses explain_terms: imported here, not at the top

    named = asking.named_in(turn, text)
    service = named
    if service is None:
        for entry in entries:
            service = asking.by_kind(turn, entry.term)
            if service is not None:
                break
    if service is not None:
        explained = turn.ctx.topic
        asking.show_one(turn, service)  # in focus: 'kan ik daar zelf iemand aanmelden?'
        turn.ctx.topic = explained  # 'en de meldcode?' is the next term, not a partner of a list


def vraag_card(turn: Turn, question: str, answer: Answer) -> str | None:
    """The vraag's best advice when the retrieval agrees with the advice (sentence vectors) or with the
    topic words of the vraag, else None."""
    vragen = turn.services.vragen
    chapters = [hit.passage.chapter for hit in answer.sources[:3]]
    if not vragen or not chapters or turn.services.embeddings is None:
        return None
    encode = turn.services.embeddings.encode
    vectors = turn.deps.understanding.vraag_vectors(vragen, encode)
    scores = vectors.vectors @ turn.services.embeddings.encode_query(question)
    best = int(np.argmax(scores))
    by_vectors = vectors.rows[best][0]
    agreed = float(scores[best]) >= CARD_MIN_SIMILARITY and chapters.count(by_vectors) >= CARD_MIN_AGREEMENT
    number = by_vectors if agreed else _by_topic_words(turn, question, chapters, by_vectors)
    if number is None:
        return None
    return _card(turn, number, question, scores, vectors.rows, items=CARD_ADVICE_ITEMS)


def advice_card(turn: Turn, number: int, question: str) -> str | None:
    """The card of vraag `number` (the topic of the last answer), its tips ranked by the question: for a
    follow-up that asks what to do about it ('en wat doe ik eraan?')."""
    if not turn.services.vragen or turn.services.embeddings is None:
        return None
    vectors = turn.deps.understanding.vraag_vectors(turn.services.vragen, turn.services.embeddings.encode)
    scores = vectors.vectors @ turn.services.embeddings.encode_query(question)
    return _card(turn, number, question, scores, vectors.rows, items=VRAAG_ADVICE_ITEMS, partner_tip=False)


def _card(
    turn: Turn,
    number: int,
    question: str,
    scores: np.ndarray,
    rows: tuple[tuple[int, int], ...],
    *,
    items: int,
    partner_tip: bool = True,
) -> str | None:
    vraag = find_vraag(turn, number)
    if vraag is None or not vraag.advice:
        return None
    ranked = sorted(
        ((float(scores[i]), index) for i, (n, index) in enumerate(rows) if n == number and index >= 0),
        reverse=True,
    )
    advice = [vraag.advice[index] for _, index in ranked[:items]]
    if not advice:
        return None
    lines = [f"• {a.text} (p. {a.page})" for a in advice]
    named = _partner_advice(turn, question, scores, rows, [a.text for a in advice]) if partner_tip else None
    if named is not None:  # 'hoe leer ik de huisartsen kennen?': one tip that is about the huisarts
        lines[-1] = named
    return texts.VRAAG_CARD.format(title=vraag.title, advice="\n".join(lines), citation=citation(vraag))


# USE cosine of a tip about the partner the question names: the partner word itself is required, so a loose
# match is enough (the huisarts tip scores 0.17 for 'hoe leer ik de huisartsen kennen?').
PARTNER_ADVICE_SIMILARITY = 0.15


def _partner_advice(
    turn: Turn, question: str, scores: np.ndarray, rows: tuple[tuple[int, int], ...], chosen: list[str]
) -> str | None:
    """When the question names a kind of partner ('de huisartsen') that no chosen tip mentions: the closest
    tip of any vraag that does, with its vraag and page; None when there is none."""
    named = set(dutch_tokens(question)) & _partner_words(turn)
    if not named or any(named & set(dutch_tokens(text)) for text in chosen):
        return None
    for i in np.argsort(-scores):
        number, index = rows[int(i)]
        if index < 0 or float(scores[i]) < PARTNER_ADVICE_SIMILARITY:
            continue
        vraag = find_vraag(turn, number)
        if vraag is not None and named & set(dutch_tokens(vraag.advice[index].text)):
            advice = vraag.advice[index]
            return f"• {advice.text} (vraag {number}, p. {advice.page})"
    return None


def _partner_words(turn: Turn) -> frozenset[str]:
    active = turn.services.kaart.active()
    return turn.deps.understanding.partner_words(active.content_hash, active.services)


def _by_topic_words(turn: Turn, question: str, chapters: list[int], by_vectors: int) -> int | None:
    """The vraag the question's topic words point to (partner words left out), when the retrieval or the
    nearest vraag by sentence vectors agrees ('hoe maak ik kennis met de huisartsen' -> vraag 2)."""
    leave_out = _partner_words(turn)
    number = turn.deps.understanding.vraag_words(turn.services.vragen).best(question, leave_out=leave_out)
    return number if number is not None and (number in chapters or number == by_vectors) else None


def feedback(turn: Turn, action: Feedback) -> None:
    """👍/👎 pressed: store +1/-1 for the answer behind the token."""
    if action.token not in turn.ctx.answer_refs:
        turn.say(texts.STALE_BUTTON)
        return
    ref = f"{action.token}:{turn.ctx.answer_refs[action.token]}"
    turn.services.store.add_feedback(turn.user_id, ref, 1 if action.up else -1, now=turn.now())
    turn.outcome.replies.append(Reply(text=texts.FEEDBACK_THANKS, notice=True))  # Telegram: on the button


def list_vragen(turn: Turn, *, intro: str = texts.VRAGEN_INTRO) -> None:
    """/vragen: the ten questions as buttons."""
    vragen = turn.services.vragen
    if not vragen:
        turn.say(texts.VRAGEN_NONE)
        return
    rows = [[button(texts.shorten(f"{v.number}. {v.title}", 60), ShowVraag(v.number))] for v in vragen]
    turn.say(intro, rows)
    turn.ctx.topic = Topic(kind="publication", section=VRAGEN_LISTED)  # 'nr 8?' picks one of them


VRAGEN_LISTED = "de tien vragen"


def pick_vraag(turn: Turn, number: int) -> bool:
    """'nr 8?' right after the ten vragen were listed: that vraag's card (True when shown)."""
    topic = turn.ctx.topic
    if topic is None or topic.kind != "publication" or topic.section != VRAGEN_LISTED:
        return False
    if find_vraag(turn, number) is None:
        return False
    show_vraag(turn, ShowVraag(number))
    turn.ctx.topic = Topic(kind="publication", chapter=number)
    return True


def where_in_publication(turn: Turn) -> bool:
    """'welk hoofdstuk is dat?' right after a publication answer: the vraag (chapter) it came from, with a button
    to that vraag; False when the last answer was not from the publication."""
    topic = turn.ctx.topic
    if topic is None or topic.kind != "publication" or topic.chapter is None:
        return False
    vraag = find_vraag(turn, topic.chapter) if topic.chapter else None
    if vraag is None:
        turn.say(texts.WHERE_IN_INTRODUCTION, [[button(texts.ALL_VRAGEN_OFFER, ListVragen())]])
        return True
    turn.say(
        texts.WHERE_IN_PUBLICATION.format(number=vraag.number, title=vraag.title, page=vraag.page),
        [[button(texts.shorten(f"{vraag.number}. {vraag.title}", 60), ShowVraag(vraag.number))]],
    )
    return True


def overview(turn: Turn) -> None:
    """'waar gaat de publicatie over?': what the whole publication is about, with the ten vragen to choose."""
    list_vragen(turn, intro=texts.PUBLICATION_OVERVIEW)


def show_vraag(turn: Turn, action: ShowVraag) -> None:
    """A vraag button: summary, key advice and the citation."""
    vraag = find_vraag(turn, action.number)
    if vraag is None:
        turn.say(texts.STALE_BUTTON)
        return
    lines = [
        texts.VRAAG_HEAD.format(number=vraag.number, title=vraag.title),
        "",
        vraag.summary,
        "",
        texts.VRAAG_ADVICE,
    ]
    lines += [f"• {advice.text} (p. {advice.page})" for advice in vraag.advice[:VRAAG_ADVICE_ITEMS]]
    lines += ["", citation(vraag)]
    turn.say("\n".join(lines), [[button(texts.ALL_VRAGEN, ListVragen())]])


def find_vraag(turn: Turn, number: int) -> Vraag | None:
    return next((v for v in turn.services.vragen if v.number == number), None)


def citation(vraag: Vraag) -> str:
    return texts.CITATION.format(number=vraag.number, title=vraag.title, page=vraag.page)
