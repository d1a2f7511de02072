"""Personal-data detection: each detector, checksums, placeholders, labels, and ordinary questions untouched."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from bot.config import PROJECT_ROOT
from bot.privacy import names as names_module
from bot.privacy.pii import PiiScrubber, elfproef, iban_valid


@pytest.fixture(scope="module")
def scrubber() -> PiiScrubber:
    scrubber = PiiScrubber()
    scrubber.warm_up()
    return scrubber


@pytest.fixture(scope="module")
def regex_only() -> PiiScrubber:
    return PiiScrubber(use_deduce=False)


def kinds(scrubber: PiiScrubber, text: str) -> list[str]:
    return [f.kind for f in scrubber.find(text)]


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("987654305", True),
        ("10000008", True),
        ("111222334", False),
        ("123456789", False),
        ("000000000", False),
        ("12345", False),
    ],
)
def test_elfproef(number: str, valid: bool) -> None:
    assert elfproef(number) is valid


@pytest.mark.parametrize(
    "text", ["BSN 111222333.", "bsn: 123.456.782", "nummer 123 456 782", "oud nr 10000008"]
)
def test_bsn_found(regex_only: PiiScrubber, text: str) -> None:
    assert kinds(regex_only, text) == ["bsn"]


@pytest.mark.parametrize("text", ["BSN 111222334", "ordernummer 123456789", "klantnummer 1234567890"])
def test_bsn_elfproef_negatives(regex_only: PiiScrubber, text: str) -> None:
    assert "bsn" not in kinds(regex_only, text)


@pytest.mark.parametrize(
    "text",
    [
        "bel 06-12345678",
        "bel 0612345678",
        "bel +31 6 1234 5678",
        "bel +31612345678",
        "bel 020-1234567",
        "bel 06 12 34 56 78",
        "bel 0031 6 12345678",
        "bel 010 123 4567",
    ],
)
def test_phone_found(regex_only: PiiScrubber, text: str) -> None:
    assert kinds(regex_only, text) == ["telefoon"]
    assert regex_only.scrub(text).text == "bel [TELEFOON]"


@pytest.mark.parametrize(
    "text",
    [
        "Bel 0800-2000 voor advies",
        "Bel 0800-1234567",
        "info: 0900-1234567",
        "0900 8844 voor de politie",
        "Bel 112 bij gevaar",
    ],
)
def test_service_numbers_are_kept(regex_only: PiiScrubber, text: str) -> None:
    assert regex_only.scrub(text).text == text


def test_email(regex_only: PiiScrubber) -> None:
    assert (
        regex_only.scrub("mail naar j.devries+wijk@voorbeeld-gemeente.nl graag").text
        == "mail naar [E-MAIL] graag"
    )


@pytest.mark.parametrize("iban", ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91abna0417164300"])
def test_iban_found(regex_only: PiiScrubber, iban: str) -> None:
    assert regex_only.scrub(f"rekening {iban} is van de cliënt").text == "rekening [IBAN] is van de cliënt"


def test_iban_checksum() -> None:
    assert iban_valid("NL91ABNA0417164300")
    assert not iban_valid("NL91ABNA0417164301")
    assert not iban_valid("NL91ABNA041716430")  # wrong length for NL


def test_invalid_iban_is_not_flagged(regex_only: PiiScrubber) -> None:
    assert "iban" not in kinds(regex_only, "rekening NL91ABNA0417164301")


@pytest.mark.parametrize(
    "text",
    [
        "1234 AB 12",
        "1234AB 12a",
        "1234 AB",
        "1234ab",
        "Dorpsstraat 12",
        "Lange Nieuwstraat 3b",
        "Kerkplein 7-2",
    ],
)
def test_address_found(regex_only: PiiScrubber, text: str) -> None:
    assert regex_only.scrub(f"woont op {text} sinds kort").text == "woont op [ADRES] sinds kort"


@pytest.mark.parametrize(
    "text",
    [
        "geboren op 12-05-1980",
        "12/5/1980",
        "3 mei 1980",
        "geboren in 1985",
        "geb. 1990",
        "geboortedatum: 01.02.2003",
    ],
)
def test_dates_of_birth(regex_only: PiiScrubber, text: str) -> None:
    assert "datum" in kinds(regex_only, text)
    assert "19" not in regex_only.scrub(text).text.replace("[DATUM]", "")[-4:]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mijn cliënt Jan de Vries belt morgen.", "Jan de Vries"),
        ("Mevrouw Jansen is bezorgd.", "Jansen"),
        ("Fatima El Amrani komt op gesprek.", "Fatima El Amrani"),
        ("Ik sprak dhr. Bakker vanochtend.", "Bakker"),
        ("Piet komt niet naar school.", "Piet"),
    ],
)
def test_names_via_deduce(scrubber: PiiScrubber, text: str, name: str) -> None:
    scrubbed = scrubber.scrub(text)
    assert name not in scrubbed.text
    assert "[NAAM]" in scrubbed.text and scrubbed.kinds == ("naam",)


def test_titled_name_without_deduce(regex_only: PiiScrubber) -> None:
    assert regex_only.scrub("Mevrouw Jansen is bezorgd").text == "[NAAM] is bezorgd"


@pytest.mark.parametrize(
    "question",
    [
        "Hoe werk ik samen met de huisarts en de wijkverpleegkundige?",
        "Moeder heeft contact gehad met Veilig Thuis. Wat nu?",
        "Wat doen we met die financiële schotten tussen Wmo en Jeugdwet?",
        "Ik heb geen tijd om met huisartsen te overleggen, tips?",
        "Hoe krijg ik de wijkagent, de jeugdarts en de POH-GGZ in 2016 en 2017 aan tafel?",
        "Bel bij acuut gevaar 112 of Veilig Thuis via 0800-2000.",
        "Hoe maak ik afspraken met school en leerplicht over terugkoppeling na 2 weken?",
        "Vader en oma willen weten wat het sociaal wijkteam doet bij Alzheimer.",
        "Wat staat er in vraag 5 op p. 21 over de Zorgverzekeringswet?",
        "insta?",  # a short question asks about a thing: no label, no name
        "Telnr?",
        "do they need a referal?",  # an English article before a typo is no initial
        "Zij moet nu voor haar moeder zorgen, die slecht ter been is.",
        "meisje 14 zit al 6 wkn thuis, wil niet naar schoo, angstig",  # a typo of 'school', no surname  # a fixed phrase, no 'ter Been'
    ],
)
def test_ordinary_questions_are_unchanged(scrubber: PiiScrubber, question: str) -> None:
    scrubbed = scrubber.scrub(question)
    assert scrubbed.text == question and scrubbed.kinds == ()


def test_scrub_everything_with_placeholders(scrubber: PiiScrubber) -> None:
    text = (
        "Jan de Vries (BSN 111222333), 06-12345678, jan@example.nl, NL91ABNA0417164300, "
        "Dorpsstraat 12, geboren 3 mei 1980."
    )
    scrubbed = scrubber.scrub(text)
    assert scrubbed.text == "[NAAM] (BSN [BSN]), [TELEFOON], [E-MAIL], [IBAN], [ADRES], geboren [DATUM]."
    assert set(scrubbed.kinds) == {"naam", "bsn", "telefoon", "email", "iban", "adres", "datum"}
    assert scrubbed.kinds[0] == "naam"


@pytest.mark.parametrize(
    ("label", "identifying"),
    [
        ("Piet", True),
        ("mevrouw Jansen", True),
        ("111222333", True),
        ("12345678", True),
        ("0612345678", True),
        ("Dorpsstraat 12", True),
        ("1234 AB 5", True),
        ("jan@example.nl", True),
        ("gezin A", False),
        ("casus 12", False),
        ("jongere met schulden", False),
        ("school noord", False),
        ("", False),
    ],
)
def test_check_label(scrubber: PiiScrubber, label: str, identifying: bool) -> None:
    assert scrubber.check_label(label) is identifying


@pytest.mark.parametrize(
    "text",
    [
        "Amrani",
        "amrani",
        "gezin Amrani",
        "mw ter horst belt",
        "ter Horst zegt",
        "mw amrani?",
        "a. kowalski belde",
        "Yonas zegt dat",
    ],
)
def test_a_name_alone_or_asked_with_a_title_is_still_a_name(scrubber: PiiScrubber, text: str) -> None:
    assert "naam" in kinds(scrubber, text)


def test_deduce_loads_once_per_instance_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = names_module._build_light_deduce

    def counting() -> object:
        calls.append(1)
        return real()

    monkeypatch.setattr(names_module, "_build_light_deduce", counting)
    scrubber = PiiScrubber()
    threads = [threading.Thread(target=scrubber.scrub, args=("Piet belt morgen.",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    scrubber.scrub("Mevrouw Jansen belt ook.")
    assert calls == [1]


def test_deduce_does_not_hijack_logging() -> None:
    """deduce calls logging.basicConfig(DEBUG, stdout) at import; we keep the root logger untouched."""
    code = (
        "import logging; from bot.privacy.pii import PiiScrubber; PiiScrubber().warm_up(); "
        "root = logging.getLogger(); print(len(root.handlers), root.level)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == f"0 {30}"
