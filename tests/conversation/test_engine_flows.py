"""Engine flows driven with Events: onboarding, wijk, questions, feedback, vragen, kaart, privacy."""

from __future__ import annotations

from bot.conversation import texts
from tests.conversation.helpers import Chat


def test_onboarding_and_wijk(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("start")
    assert "Welkom" in chat.said() and "privacy" in chat.said().casefold()
    assert texts.FIRST_STEP in chat.said()
    assert set(chat.labels()) >= {"Noord", "Zuid", texts.WIJK_ALL_LABEL}
    chat.press("Zuid")
    assert services.store.get_user(1).wijk == "Zuid"
    chat.cmd("wijk")
    assert "Zuid" in chat.said()
    chat.cmd("wijk", "noord")
    assert services.store.get_user(1).wijk == "Noord"
    chat.data("w:Atlantis")
    assert chat.said() == texts.STALE_BUTTON
    chat.data("w:*")
    assert services.store.get_user(1).wijk is None


def test_question_answer_history_and_feedback(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("Hoe maak ik goede afspraken over terugkoppeling met de huisarts?")
    assert chat.said().startswith("Antwoord 1")
    chat.text("En hoe bouw ik contact op met de wijkagent?")
    calls = services.answers.calls
    assert calls[1][1] == [calls[0][0]], "the previous question is passed as history"
    down = chat.button("👎")
    chat.press("👍")
    assert chat.said() == texts.FEEDBACK_THANKS
    chat.data(down.data)  # changing the vote on the same answer keeps one vote
    stats = services.store.stats()
    assert (stats.feedback_up, stats.feedback_down) == (0, 1)
    chat.data("fb:deadbeef:u")
    assert chat.said() == texts.STALE_BUTTON


def test_emoji_only_question_gets_a_clear_reply(engine) -> None:
    chat = Chat(engine, 1)
    chat.text("  ")
    assert chat.said() == texts.EMPTY_TEXT
    chat.text("??")  # unclear -> choose question -> BadQuestion message
    chat.press(texts.INTENT_QUESTION)
    assert "woorden" in chat.said()


def test_unsure_asks_then_remembers_text(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("hmm")
    assert chat.said() == texts.INTENT_UNSURE
    chat.press(texts.INTENT_SITUATION)
    assert services.kaart.suggest_calls[-1][0] == "hmm"
    chat.data("int:s")  # the pending text was used up
    assert chat.said() == texts.STALE_BUTTON


def test_signal_words_decide_when_unsure_and_danger_never_waits(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text(
        "schulden"
    )  # no question form, but a kaart signal: straight to partners (suggested or looked up)
    assert "Schuldhulp Voorbeeldstad" in chat.said()
    assert texts.INTENT_UNSURE not in chat.said()
    chat.text("ze ziet het niet meer zitten")  # acute: never asked to choose first
    assert services.kaart.suggest_calls[-1][0] == "ze ziet het niet meer zitten"
    assert texts.INTENT_UNSURE not in chat.said()


def test_question_naming_danger_gets_the_safety_lines_first(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.text("Hoe werk ik samen met de ggz als iemand het niet meer zitten ziet?")
    replies = [r.text for r in chat.last.replies]
    assert replies[0].startswith("Let op: is er nu gevaar?") or "\n\nLet op: is er nu gevaar?" in replies[0]
    assert "112" in replies[0] and "0800-2000" in replies[0] and "113" in replies[0]
    assert len(replies) >= 2  # the answer follows


def test_vragen_open_summary_with_citation(engine) -> None:
    chat = Chat(engine, 1)
    chat.cmd("vragen")
    assert len(chat.labels()) == 4
    chat.press("4.")
    said = chat.said()
    assert "Samenvatting van vraag 4" in said and "Advies 4a" in said
    assert "Vraag 4 · Hoe weet ik zeker dat de ander mij en de bewoner verder helpt? (p. 18)" in said
    assert "Samenwerken in de wijk (Movisie/IWW, 2016)" in said
    chat.data("v:99")
    assert chat.said() == texts.STALE_BUTTON


def test_privacy_warning_once_and_scrubbed_text_downstream(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("partner")
    chat.text("Mevrouw Jansen (BSN 111222333, tel 06-12345678) heeft grote schulden")
    said = chat.said()
    assert said.count(texts.PRIVACY_WARNING) == 1
    situation = services.kaart.suggest_calls[-1][0]
    assert "111222333" not in situation and "06-12345678" not in situation and "Jansen" not in situation
    assert services.store.get_user(1).privacy_warned
    chat.text("Hoe maak ik afspraken over terugkoppeling met partners?")
    assert texts.PRIVACY_WARNING not in chat.said()


def test_kaart_search_pages_and_cards(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("kaart")
    assert chat.said() == texts.KAART_ASK
    chat.cmd("kaart", "schulden")
    assert "Schuldhulp Voorbeeldstad" in chat.said()
    chat.press("Kaart: Heel Lange")  # a 70-char id travels as '#n'
    assert "Heel Lange Id Stichting" in chat.said()
    chat.cmd("kaart", "xyzzy")
    assert "niets" in chat.said()
    chat.data("kp:7")
    assert chat.said() == texts.STALE_BUTTON


def test_kennismaken_lists_contacts_in_wijk(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("wijk", "Noord")
    chat.cmd("kennismaken")
    said = chat.said()
    assert "Buurtkamer Fictief" in said and "Sam Voorbeeld" in said
    assert "Ouderenwerk Proef" not in said


def test_more_options_shows_new_partners_only(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("partner")
    chat.text("Vader met een flinke huurachterstand")
    first = chat.said()
    chat.press("Meer opties")
    more = chat.said()
    assert "Heel Lange Id Stichting" in more
    assert "Schuldhulp Voorbeeldstad" in first and "Schuldhulp Voorbeeldstad" not in more
    chat.press("Meer opties")
    assert chat.said() == texts.MORE_NONE


def test_unknown_command_stale_button_and_voice(engine) -> None:
    chat = Chat(engine, 1)
    chat.cmd("bestaatniet")
    assert chat.said() == texts.UNKNOWN_COMMAND
    for data in (
        "",
        "zzz",
        "ref:",
        "ref:nope",
        "rm:abc:1",
        "fu:1:done",
        "cc:x",
        "lbl:",
        "forget:yes",
        "w",
        "kp:x",
        "card:#5",
        "int:q",
        "more",
    ):
        chat.data(data)
        assert chat.said() == texts.STALE_BUTTON, data
    out = engine.handle(
        __import__("bot.conversation.types", fromlist=["Event"]).Event(user_id=1, kind="voice_unavailable")
    )
    assert out.replies[0].text == texts.VOICE_UNAVAILABLE


def test_help_privacy_and_admin_commands(engine, services) -> None:
    chat = Chat(engine, 1)
    chat.cmd("help")
    assert "/vragen" in chat.said() and "/uitnodigen" not in chat.said()
    chat.cmd("privacy")
    assert "90 dagen" in chat.said()
    chat.cmd("herlaad")
    assert chat.said() == texts.ADMIN_ONLY and services.kaart.reloads == 0
    admin = Chat(engine, 900)
    admin.cmd("help")
    assert "/uitnodigen" in admin.said()
    out = admin.cmd("herlaad")
    assert out.reloaded and services.kaart.reloads == 1


def test_allowed_user_is_counted_once(engine, services) -> None:
    chat = Chat(engine, 2)
    chat.text("Hoe bouw ik een netwerk op met partners?")
    chat.text("En met de huisarts?")
    assert services.store.stats().users == 1
