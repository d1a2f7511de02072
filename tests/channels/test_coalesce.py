"""Replies with text only are joined with the next reply into one message (issue #12: fewer Bot API requests)."""

from __future__ import annotations

from bot.channels.telegram_render import MESSAGE_LIMIT
from bot.channels.telegram_send import coalesce
from bot.conversation.types import Button, ContactCard, Reply

FEEDBACK = ((Button("👍", "fb:1:up"), Button("👎", "fb:1:down")),)


def test_answer_and_its_source_line_become_one_message_with_the_buttons() -> None:
    joined = coalesce([Reply("Het antwoord."), Reply("Bron: Movisie", buttons=FEEDBACK)])
    assert joined == [Reply("Het antwoord.\n\nBron: Movisie", buttons=FEEDBACK)]


def test_a_reply_with_buttons_or_a_contact_ends_a_message() -> None:
    card = ContactCard(name="Wijkagent", phone="0900-8844")
    replies = [Reply("Tip", buttons=FEEDBACK), Reply("Label?", buttons=FEEDBACK), Reply("Kaart", contact=card),
               Reply("Verder")]  # fmt: skip
    assert coalesce(replies) == replies


def test_warnings_stand_alone_and_long_texts_are_not_joined() -> None:
    protocol = Reply("⚠️ Geweld, nu. Doe dit eerst: bel 112.")
    replies = [protocol, Reply("Partners", buttons=FEEDBACK)]
    assert coalesce(replies) == replies
    assert coalesce([Reply("Eerst dit."), Reply("⚠️ Deel geen namen.")]) == [Reply("Eerst dit."),
                                                                           Reply("⚠️ Deel geen namen.")]  # fmt: skip
    long = [Reply("a" * (MESSAGE_LIMIT - 10)), Reply("b" * 20)]
    assert coalesce(long) == long


def test_three_text_replies_become_one_and_order_is_kept() -> None:
    joined = coalesce([Reply("een"), Reply("twee"), Reply("drie", buttons=FEEDBACK), Reply("vier")])
    assert joined == [Reply("een\n\ntwee\n\ndrie", buttons=FEEDBACK), Reply("vier")]


def test_a_handover_with_one_button_and_the_label_question_become_one_message() -> None:
    share = ((Button("Deel met cliënt", "fu:1:share"),),)
    no_label = ((Button("Geen label", "nl:1"),),)
    joined = coalesce(
        [Reply("Warme overdracht."), Reply("Tip.", buttons=share), Reply("Label?", buttons=no_label)]
    )
    assert joined == [Reply("Warme overdracht.\n\nTip.\n\nLabel?", buttons=share + no_label)]
    # an aside's button never ends up under a text without buttons, or under more choices than one row allows
    assert coalesce([Reply("Tip.", buttons=share), Reply("Verder")]) == [
        Reply("Tip.", buttons=share),
        Reply("Verder"),
    ]
    assert (
        coalesce([Reply("Keuze", buttons=FEEDBACK), Reply("Label?", buttons=no_label)])[0].buttons == FEEDBACK
    )
