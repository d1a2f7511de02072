"""Finding partners: situations -> suggestions, 'meer opties', kaart search, cards, kennismaken, wijk."""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversation import texts
from bot.conversation.actions import KEY_ROOM, MoreOptions, Refer, SearchPage, ShowCard, button
from bot.conversation.cards import card, display_name, suggestion_text, why
from bot.conversation.context import AwaitSituation, Topic
from bot.conversation.facts import tappable
from bot.conversation.safety import GENERAL_DANGER, general_notice, protocol_first
from bot.conversation.turn import Turn
from bot.conversation.types import Button
from bot.kaart.format import format_card
from bot.kaart.model import Service

SUGGEST_TOP = 3
MORE_STEP = 3
PAGE_SIZE = 5
SEARCH_LIMIT = 30
WIJK_BUTTONS = 12


def partner_buttons(turn: Turn, services: Sequence[Service], *, refer: bool) -> list[list[Button]]:
    """Per partner: 'Ik verwijs door naar X' (optional) and 'Kaart: X'."""
    rows: list[list[Button]] = []
    turn.shown([s.id for s in services])
    for service in services:
        key = turn.ctx.service_key(service.id, room=KEY_ROOM)
        name = texts.shorten(display_name(service), 36)
        if refer:
            rows.append([button(texts.REFER_LABEL.format(name=name), Refer(key))])
        rows.append([button(texts.CARD_LABEL.format(name=name), ShowCard(key))])
    return rows


def ask_situation(turn: Turn) -> None:
    """/partner: the next text is a situation."""
    turn.ctx.pending = AwaitSituation()
    turn.say(texts.PARTNER_ASK)


def suggest(turn: Turn, text: str, *, acute_act: bool = False, earlier: str = "") -> None:
    """A situation: safety first, then suggestions with refer/card buttons and 'Meer opties'.

    `acute_act`: the dialogue-act model is sure the message is about acute danger; when the safety judgement
    names none, the general safety lines (112, Veilig Thuis, 113) still come first. `earlier`: the (scrubbed)
    acute situation this message continues ('kan ze vannacht ergens anders slapen?'): read together, without
    the same protocol again."""
    situation = f"{earlier} {turn.safe_text(text)}".strip()
    result = turn.services.kaart.suggest(situation, wijk=turn.wijk(), top=SUGGEST_TOP)
    services = [s.service for s in result.suggestions]
    ctx = turn.ctx
    ctx.situation = situation
    ctx.shown_ids = [s.id for s in services]
    if not services and result.nothing_fits and result.general:  # the general contacts are the list shown
        ctx.shown_ids = [s.id for s in result.general]
        turn.shown(ctx.shown_ids)
    ctx.domains = {s.service.id: s.domain_label or s.domain for s in result.suggestions}
    ctx.focus_id = None  # the list is in focus: a question without a name is answered for each
    ctx.topic = Topic(kind="partners")
    turn.outcome.safety = result.safety.level if result.safety else None
    general = acute_act and (result.safety is None or result.safety.level != "acute")
    if general:
        turn.outcome.safety = "acute"
        turn.say(general_notice(turn, case=True))
    result = protocol_first(turn, result, situation, repeat=not earlier)  # acute: the protocol comes first
    if general and ctx.safety_topic is None:
        ctx.safety_topic = GENERAL_DANGER
    rows = partner_buttons(turn, services, refer=True)
    if services:
        rows.append([button(texts.MORE_LABEL, MoreOptions())])
    turn.say(suggestion_text(result, ctx, today=turn.now().date()), rows)


def more_options(turn: Turn) -> None:
    """'Meer opties': the next suggestions for the same situation, not shown before."""
    ctx = turn.ctx
    if not ctx.situation:
        turn.say(texts.STALE_BUTTON)
        return
    top = len(ctx.shown_ids) + MORE_STEP
    result = turn.services.kaart.suggest(ctx.situation, wijk=turn.wijk(), top=top)
    fresh = [s for s in result.suggestions if s.service.id not in ctx.shown_ids][:MORE_STEP]
    if not fresh:
        turn.say(texts.MORE_NONE)
        return
    ctx.shown_ids += [s.service.id for s in fresh]
    ctx.domains.update({s.service.id: s.domain_label or s.domain for s in fresh})
    start = len(ctx.shown_ids) - len(fresh) + 1
    lines = [texts.MORE_HEAD] + [card(i, s.service, why(s)) for i, s in enumerate(fresh, start=start)]
    rows = partner_buttons(turn, [s.service for s in fresh], refer=True)
    rows.append([button(texts.MORE_LABEL, MoreOptions())])
    turn.say("\n".join(lines), rows)


def show_card(turn: Turn, action: ShowCard) -> None:
    """'Kaart: X': the partner's card, with a refer button."""
    service = turn.service_from(action.key)
    if service is None:
        return
    turn.shown([service.id])
    turn.ctx.focus_id = service.id
    key = turn.ctx.service_key(service.id, room=KEY_ROOM)
    name = texts.shorten(display_name(service), 36)
    text = format_card(service, today=turn.now().date())
    if service.phone:  # the number as Telegram makes it tappable, with the local form kept
        text = text.replace(f"Telefoon: {service.phone}", f"Telefoon: {tappable(service.phone)}", 1)
    rows = [[button(texts.REFER_LABEL.format(name=name), Refer(key))]]
    if turn.ctx.situation:  # the other partners for the same situation stay one tap away
        rows.append([button(texts.MORE_LABEL, MoreOptions())])
    turn.say(text, rows)


def search(turn: Turn, query: str) -> None:
    """/kaart TEXT: a short list, five per page, with a card button per partner."""
    if not query.strip():
        turn.say(texts.KAART_ASK)
        return
    safe = turn.safe_text(query)
    found = turn.services.kaart.search(safe, wijk=turn.wijk(), limit=SEARCH_LIMIT)
    if not found:
        turn.say(texts.KAART_NONE.format(query=texts.shorten(safe, 40)))
        return
    turn.ctx.search_ids = [s.id for s in found]
    show_search_page(turn, found, page=0)


def search_page(turn: Turn, action: SearchPage) -> None:
    """'Volgende' on a search list."""
    page = action.page
    ids = turn.ctx.search_ids
    if page * PAGE_SIZE >= len(ids):
        turn.say(texts.STALE_BUTTON)
        return
    services = [s for s in (turn.services.kaart.get(i) for i in ids) if s is not None]
    show_search_page(turn, services, page=page)


def show_search_page(turn: Turn, services: Sequence[Service], *, page: int) -> None:
    start = page * PAGE_SIZE
    chunk = services[start : start + PAGE_SIZE]
    head = texts.KAART_RESULTS.format(start=start + 1, end=start + len(chunk), total=len(services))
    lines = [head] + [f"{start + i + 1}. {_line(s)}" for i, s in enumerate(chunk)]
    rows = partner_buttons(turn, chunk, refer=False)
    if start + PAGE_SIZE < len(services):
        rows.append([button(texts.NEXT_PAGE, SearchPage(page + 1))])
    turn.say("\n".join(lines), rows)


def _line(service: Service) -> str:
    extra = service.phone or service.city
    return texts.shorten(display_name(service), 70) + (f" — {extra}" if extra else "")


def kennismaken(turn: Turn) -> None:
    """/kennismaken: partners in the user's wijk, with contact persons (Vraag 2: meet in person)."""
    wijk = turn.wijk()
    services = turn.services.kaart.kennismaken(wijk=wijk, limit=PAGE_SIZE)
    if not services:
        turn.say(texts.KENNISMAKEN_NONE)
        return
    lines = [texts.KENNISMAKEN_INTRO.format(wijk=wijk or "de gemeente"), ""]
    for service in services:
        contact = ", ".join(p for p in (service.contact_name, service.contact_title) if p)
        lines.append(f"• {display_name(service)}" + (f" — {contact}" if contact else ""))
        if service.phone:
            lines.append(f"  {service.phone}")
    turn.say("\n".join(lines), partner_buttons(turn, services, refer=False))
