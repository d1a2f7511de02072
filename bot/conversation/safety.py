"""Safety first: when a situation is acute, the protocol for its danger type is the first message.

The judgement (level + danger type) comes from the learned safety model (bot/understanding) via the
suggestion's safety line, with bot/safety/judgement.py as fallback; texts and numbers from knowledge/
(veiligheidsprotocol.yaml, landelijke_lijnen.yaml). At level `zorg` the protocol's short line (without 112)
replaces the general safety line.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.conversation import texts
from bot.conversation.asking import show_one
from bot.conversation.knowledge import explain_terms
from bot.conversation.turn import Turn
from bot.safety.judgement import LEVELS, Judgement, judge
from bot.safety.protocol import phone_line
from bot.suggestion.result import SuggestionResult

GENERAL_DANGER = "algemeen"  # acute by the dialogue-act model, no danger type named by the safety judgement


def protocol_first(
    turn: Turn, result: SuggestionResult, situation: str, *, repeat: bool = True
) -> SuggestionResult:
    """Say the protocol (acute) before any partner; returns the result to format (its general line removed
    when the protocol replaces it). Remembers an acute danger so referrals get no routine presets.
    `repeat=False`: a follow-up of the same acute situation ('kan ze vannacht ergens anders slapen?') does not
    get the protocol of the same danger a second time."""
    before = turn.ctx.safety_topic
    level = result.safety.level if result.safety else None
    danger = result.safety.danger if result.safety else None
    if level in LEVELS and danger:  # the learned safety judgement (bot/understanding) names the danger type
        judgement: Judgement | None = Judgement(LEVELS[level], danger)
    else:
        judgement = judge(level=level, domains=[s.domain for s in result.suggestions], text=situation)
    turn.ctx.acute_danger = judgement.danger if judgement and judgement.level == "acuut" else None
    turn.ctx.safety_topic = turn.ctx.acute_danger
    turn.ctx.case_danger = judgement.danger if judgement else (GENERAL_DANGER if level else None)
    if judgement is None:
        return result
    if not repeat and judgement.level == "acuut" and judgement.danger == before:
        return replace(result, safety=None)
    message = turn.services.protocols.render(judgement.level, judgement.danger)
    numbers = "\n".join(phone_line(line) for line in message.lines)
    turn.say(f"{message.text}\n{numbers}" if numbers else message.text)
    return replace(result, safety=None)


def general_notice(turn: Turn, *, case: bool = False) -> str:
    """The short notice for a question that mentions acute danger (`case`: for a situation, before its
    partners): numbers from landelijke_lijnen.yaml."""
    lines = turn.services.protocols.lines
    return (texts.SAFETY_NOTICE_CASE if case else texts.SAFETY_NOTICE).format(alarm=lines["alarm"].number, veilig_thuis=lines["veilig_thuis"].number,
                                      zelfmoordpreventie=lines["zelfmoordpreventie"].number)  # fmt: skip


def keep_topic(turn: Turn, danger: str, text: str = "") -> None:
    """A follow-up right after an acute situation ('hij wil niet dat ik iemand inschakel'): the same steps
    again, short, with the national numbers; safety still goes first. A question about what comes next
    ('de politie is er nu, wat nu?') also gets the steps after the danger (Veilig Thuis, write it down)."""
    turn.outcome.safety = "acute"
    after = (
        texts.SAFETY_AFTER.format(veilig_thuis=turn.services.protocols.lines["veilig_thuis"].number)
        if NEXT_STEP.search(text)
        else ""
    )
    if danger not in turn.services.protocols.protocols:  # acute by the act model only: the general lines
        turn.say("\n".join(p for p in (texts.SAFETY_FOLLOW_UP, after, general_notice(turn, case=True)) if p))
        _next_partner(turn, VIOLENCE_LINE if after else "")
        return
    message = turn.services.protocols.render("acuut", danger)
    numbers = "\n".join(phone_line(line) for line in message.lines)
    turn.say("\n".join(p for p in (texts.SAFETY_FOLLOW_UP, after, message.text, numbers) if p))
    if after and any(line.key == VIOLENCE_LINE for line in message.lines):
        _next_partner(turn, VIOLENCE_LINE)


VIOLENCE_LINE = "veilig_thuis"  # the next step after violence at home: advice and the meldcode


def _next_partner(turn: Turn, line_key: str) -> None:
    """The kaart's own entry for the national line of the next step (Veilig Thuis), as one card with its
    buttons, so it can be referred to and asked about ('nummer?')."""
    if not line_key:
        return
    lines = turn.services.protocols.lines
    for service in turn.services.kaart.active().services:
        line = lines.matching(service.phone) if service.phone else None
        if line is not None and line.key == line_key:
            show_one(turn, service)
            return


# 'wat moet ik hierna doen?', 'en nu?', 'what next': the steps after the acute moment
NEXT_STEP = re.compile(
    r"\b(?:hierna|daarna|hierop|vervolgstap\w*|volgende\s+stap\w*|nu\s+verder|wat\s+nu|en\s+nu|"
    r"what\s+next|next\s+step\w*|after\s+that|afterwards)\b",
    re.IGNORECASE,
)


# Dangers where the professional works with the meldcode (huiselijk geweld en kindermishandeling)
MELDCODE_DANGERS = frozenset(
    {"huiselijk_geweld", "kindermishandeling", "ouderenmishandeling", GENERAL_DANGER}
)
MELDCODE_TERM = "meldcode"
# 'moet ik de ouders eerst inlichten?', 'moet ik bij twijfel altijd melden?', 'mag ik het met de school bespreken?'
PROCEDURE = re.compile(
    r"\b(?:moet|mag|kan|zal)\s+ik\b.{0,40}?\b(?:meld\w*|inlicht\w*|aanspre\w*|bespre\w*|vertel\w*|informer\w*|"
    r"confronter\w*|overleg\w*|inschakel\w*|zeggen)\b|\b(?:do|should|must)\s+i\b.{0,40}?\b(?:report|tell|inform)\b",
    re.IGNORECASE,
)


def meldcode_question(turn: Turn, text: str) -> bool:
    """A question about what the professional must do ('moet ik de ouders eerst inlichten?') after a case of
    violence or child abuse, or right after the meldcode was explained: the meldcode steps (glossary, cited)."""
    topic = turn.ctx.topic
    after_meldcode = (
        topic is not None and topic.kind == "definition" and MELDCODE_TERM in topic.section.casefold()
    )
    if not PROCEDURE.search(text) or not (after_meldcode or turn.ctx.case_danger in MELDCODE_DANGERS):
        return False
    return explain_terms(turn, MELDCODE_TERM)
