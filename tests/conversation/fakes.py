"""Named fakes for the engine tests: a scripted answer service and a small in-memory kaart.

They follow the public shapes of bot.answering.service.AnswerService and bot.suggestion.service.PartnerService
(duck-typed), so engine tests do not need the index or USE model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.followup.store import FollowupStore
from bot.ingest.vragen import Advice, Vraag
from bot.kaart.model import Kaart, Service
from bot.privacy.pii import PiiScrubber
from bot.retrieval.types import Passage, ScoredPassage
from bot.services import Services
from bot.suggestion.advice import AdviceRef
from bot.suggestion.result import Suggestion, SuggestionResult
from bot.suggestion.service import SignalSummary


@dataclass
class FakeAnswer:
    text: str
    mode: str = "extractive"
    in_scope: bool = True
    sources: list[ScoredPassage] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    parts: tuple[str, ...] = ()  # as Answer.parts: empty is one message, `text`


class ScriptedAnswers:
    """Answers every question with a fixed text and records (question, history) calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self.within: list[int | None] = []  # the chapter each call was kept within

    def answer(
        self, question: str, *, history: Sequence[str], reserve: int = 0, within: int | None = None
    ) -> FakeAnswer:
        from bot.answering.service import BadQuestion

        if not any(ch.isalnum() for ch in question):
            raise BadQuestion("Typ je vraag in woorden.")
        self.calls.append((question, list(history)))
        self.within.append(within)
        passage = Passage(
            id="p-4-1",
            text="Spreek terugkoppeling af.",
            chapter=4,
            chapter_title="Hoe weet ik zeker dat de ander mij en de bewoner verder helpt?",
            section="Terugkoppeling",
            page=18,
        )
        return FakeAnswer(
            text=f"Antwoord {len(self.calls)}: spreek terugkoppeling af. [Vraag 4 (p. 18)]",
            sources=[ScoredPassage(passage=passage, score=1.0)],
        )


FAKE_ADVICE = AdviceRef(
    text="Spreek af wie wanneer terugkoppelt.",
    chapter=4,
    page=18,
    title="Hoe weet ik zeker dat de ander mij en de bewoner verder helpt?",
)


def _svc(sid: str, org: str, themes: tuple[str, ...], areas: tuple[str, ...] = (), **kw: str) -> Service:
    return Service(
        id=sid,
        organization=org,
        name="Spreekuur",
        description=f"Hulp bij {themes[0]}.",
        themes=themes,
        service_areas=areas,
        contact_name=kw.get("contact", "Sam Voorbeeld"),
        contact_title="contactpersoon",
        phone=kw.get("phone", "010-0000000"),
    )


SERVICES = (
    _svc("schuld-1", "Schuldhulp Voorbeeldstad", ("schulden",)),
    _svc("schuld-2", "Budgetmaatje Testwijk", ("schulden",), ("Noord",)),
    _svc("schuld-3", "Formulierenbrigade Demo", ("schulden", "post")),
    _svc("eenzaam-1", "Buurtkamer Fictief", ("eenzaamheid",), ("Noord",)),
    _svc("eenzaam-2", "Ouderenwerk Proef", ("eenzaamheid",), ("Zuid",)),
    _svc("x" * 70, "Heel Lange Id Stichting", ("schulden",)),
)


class FakeKaart:
    """A small kaart: keyword match on themes; records calls."""

    def __init__(self, services: Sequence[Service] = SERVICES) -> None:
        self.services = list(services)
        self.reloads = 0
        self.suggest_calls: list[tuple[str, str | None]] = []

    def active(self) -> Kaart:
        return Kaart(services=tuple(self.services), source="fake", content_hash=str(len(self.services)))

    def wijken(self) -> list[str]:
        return sorted({a for s in self.services for a in s.service_areas})

    def get(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def search(self, text: str, *, wijk: str | None, limit: int) -> list[Service]:
        words = text.casefold().split()
        hits = [
            s
            for s in self.services
            if any(w in " ".join(s.themes) or w in s.organization.casefold() for w in words)
            and s.serves(wijk)
        ]
        return hits[:limit]

    def signals(self, text: str) -> SignalSummary:
        folded = text.casefold()
        domains = frozenset(
            d for d, word in (("schulden", "schuld"), ("crisis", "niet meer zitten")) if word in folded
        )
        return SignalSummary(domains=domains, acute="crisis" in domains)

    def suggest(self, situation: str, *, wijk: str | None, top: int) -> SuggestionResult:
        self.suggest_calls.append((situation, wijk))
        theme = (
            "schulden"
            if "schuld" in situation.casefold() or "huur" in situation.casefold()
            else "eenzaamheid"
        )
        matches = [s for s in self.services if theme in s.themes and s.serves(wijk)]
        suggestions = [
            Suggestion(s, theme, f"helpt bij {theme}", 1.0 - i / 10) for i, s in enumerate(matches)
        ]
        return SuggestionResult(
            safety=None, suggestions=suggestions[:top], advice=FAKE_ADVICE, nothing_fits=not suggestions
        )

    def alternatives(
        self, service_id: str, *, wijk: str | None, limit: int, domain: str | None = None
    ) -> list[Suggestion]:
        base = self.get(service_id)
        if base is None:
            return []
        others = [s for s in self.services if s.id != service_id and set(s.themes) & set(base.themes)]
        return [Suggestion(s, base.themes[0], "zelfde onderwerp", 0.5) for s in others[:limit]]

    def kennismaken(self, *, wijk: str | None, limit: int) -> list[Service]:
        return [s for s in self.services if s.in_wijk(wijk)][:limit]

    def reload(self) -> None:
        self.reloads += 1


def make_vragen() -> list[Vraag]:
    titles = [
        "Hoe maak ik ruimte in mijn agenda en takenpakket?",
        "Hoe kan ik anderen ontmoeten?",
        "Hoe komen we op één lijn?",
        "Hoe weet ik zeker dat de ander mij en de bewoner verder helpt?",
    ]
    themes = ["tijd", "kennismaken", "visie", "vertrouwen en terugkoppeling"]
    return [
        Vraag(
            number=i + 1,
            title=t,
            theme=themes[i],
            page=9 + 3 * i,
            summary=f"Samenvatting van vraag {i + 1}.",
            advice=(
                Advice(text=f"Advies {i + 1}a: maak afspraken over terugkoppeling.", page=9 + 3 * i),
                Advice(text=f"Advies {i + 1}b.", page=10 + 3 * i),
            ),
        )
        for i, t in enumerate(titles)
    ]


def make_services(tmp_path: Path, **env: str) -> Services:
    settings = Settings(WIJKBOT_DATA_DIR=tmp_path / "data", **env)  # type: ignore[call-arg]
    store = FollowupStore(settings.database_path)
    return Services(
        settings=settings,
        embeddings=None,
        index=None,  # type: ignore[arg-type]
        answers=ScriptedAnswers(),
        kaart=FakeKaart(),
        store=store,  # type: ignore[arg-type]
        scrubber=PiiScrubber(use_deduce=False),
        vragen=make_vragen(),
    )
