"""Questions about collaboration: answers with 👍/👎, the ten vragen, and feedback."""

from __future__ import annotations

from bot.answering.service import BadQuestion
from bot.conversation import texts
from bot.conversation.actions import Feedback, ListVragen, ShowVraag, button
from bot.conversation.turn import Turn
from bot.ingest.vragen import Vraag

VRAAG_ADVICE_ITEMS = 3


def answer_question(turn: Turn, text: str) -> None:
    """Answer from the publication, with the last questions of this conversation as history."""
    question = turn.safe_text(text)
    try:
        answer = turn.services.answers.answer(question, history=list(turn.ctx.questions))
    except BadQuestion as exc:
        turn.say(str(exc) or texts.EMPTY_TEXT)
        return
    turn.ctx.questions.append(question)
    top = answer.sources[0].passage.id if answer.sources else "none"
    token = turn.ctx.add_answer_ref(f"{answer.mode}:{top}"[:80])
    body = answer.text
    if answer.notices:
        body = body + "\n\n" + "\n".join(f"ℹ️ {notice}" for notice in answer.notices)
    turn.say(
        body,
        [[button(texts.THUMBS_UP, Feedback(token, True)), button(texts.THUMBS_DOWN, Feedback(token, False))]],
    )


def feedback(turn: Turn, action: Feedback) -> None:
    """👍/👎 pressed: store +1/-1 for the answer behind the token."""
    if action.token not in turn.ctx.answer_refs:
        turn.say(texts.STALE_BUTTON)
        return
    ref = f"{action.token}:{turn.ctx.answer_refs[action.token]}"
    turn.services.store.add_feedback(turn.user_id, ref, 1 if action.up else -1, now=turn.now())
    turn.say(texts.FEEDBACK_THANKS)


def list_vragen(turn: Turn) -> None:
    """/vragen: the ten questions as buttons."""
    vragen = turn.services.vragen
    if not vragen:
        turn.say(texts.VRAGEN_NONE)
        return
    rows = [[button(texts.shorten(f"{v.number}. {v.title}", 60), ShowVraag(v.number))] for v in vragen]
    turn.say(texts.VRAGEN_INTRO, rows)


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
