"""The engine with the real sociale kaart (example CSV, USE embeddings), real vragen and the real scrubber."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import texts
from bot.conversation.engine import Engine
from tests.conftest import seed_model_cache
from tests.conversation.helpers import Chat


@pytest.fixture(scope="module")
def real_services(tmp_path_factory: pytest.TempPathFactory, model_cache_dir: Path, use_embeddings):
    from bot.config import Settings
    from bot.followup.store import FollowupStore
    from bot.ingest.vragen import load_vragen
    from bot.privacy.pii import PiiScrubber
    from bot.services import Services
    from bot.suggestion.service import PartnerService
    from tests.conversation.fakes import ScriptedAnswers

    data = Path(tmp_path_factory.mktemp("real")) / "data"
    seed_model_cache(model_cache_dir, data)  # the session's situation model, not trained again
    settings = Settings(WIJKBOT_DATA_DIR=data, WIJKBOT_FOLLOWUP_PRESETS="10s,7d")  # type: ignore[call-arg]
    embeddings = use_embeddings  # perf11: the session's USE model, not a second one
    services = Services(
        settings=settings,
        embeddings=embeddings,
        index=None,  # type: ignore[arg-type]
        answers=ScriptedAnswers(),
        kaart=PartnerService(settings=settings, embeddings=embeddings),
        store=FollowupStore(settings.database_path),
        scrubber=PiiScrubber(use_deduce=False),
        vragen=load_vragen(settings.knowledge_dir / "vragen.yaml"),
    )  # type: ignore[arg-type]
    yield services
    services.store.close()


def test_situation_to_reminder_with_real_kaart(real_services) -> None:
    engine = Engine(real_services)
    chat = Chat(engine, 7)
    chat.cmd("start")
    wijk = real_services.kaart.wijken()[0]
    chat.press(wijk)
    chat.cmd("partner")
    chat.text("Alleenstaande moeder met een grote huurachterstand en schulden")
    refer = [label for label in chat.labels() if label.startswith("Ik verwijs door naar")]
    assert refer and texts.MORE_LABEL in chat.labels()
    chat.press("Kaart: ")
    assert len(chat.said()) > 20
    chat.press("Ik verwijs door naar")
    vraag4 = real_services.vragen[3]
    assert f"Vraag 4 · {vraag4.title}" in chat.said()
    chat.press(texts.LABEL_NONE)
    (reminder_id,) = chat.press("over 10 seconden").schedule_reminders
    reply = engine.reminder_due(reminder_id)
    assert reply is not None and reply.text.startswith("Heb je terugkoppeling gehad van")
    chat.last = type(chat.last)(replies=[reply])
    chat.press(texts.FU_FAILED)
    chat.press(texts.FU_NEXT)
    assert [label for label in chat.labels() if label.startswith("Ik verwijs door naar")], chat.said()


def test_vragen_kaart_search_and_kennismaken_real(real_services) -> None:
    chat = Chat(Engine(real_services), 8)
    chat.cmd("vragen")
    assert len(chat.labels()) == 10
    chat.press("4.")
    assert "Samenwerken in de wijk (Movisie/IWW, 2016)" in chat.said()
    chat.cmd("kaart", "schulden")
    assert chat.labels() and chat.labels()[0].startswith("Kaart: ")
    chat.cmd("wijk", real_services.kaart.wijken()[0])
    chat.cmd("kennismaken")
    assert chat.said() != texts.KENNISMAKEN_NONE


def test_partner_by_kind_and_named_follow_up_with_real_kaart(real_services) -> None:
    chat = Chat(Engine(real_services), 8)
    chat.text("moeder van drie, post blijft liggen, deurwaarder aan de deur, geen werk")
    chat.text("wie is de contactpersoon bij die van de schulden?")
    assert "Gerrit Mulder" in chat.said()
    chat.text("vrouw heel somber en angstig, slaapt slecht, huisarts weet ervan")
    chat.text("en voor die basis-ggz, moet dat via de huisarts?")
    assert "Verwijzing huisarts" in chat.said()
    chat.text("wat is het nummer van de thuisverpleging?")
    assert "0123-45 67 61" in chat.said() and "0800-2000" not in chat.said()  # as the kaart writes it
