"""Partner facts straight from the kaart fields: one short answer (at most 300 characters) per attribute.

Phone numbers are written so Telegram makes them tappable ('+31 123 456 730'), with the local form kept;
language codes (ISO 639-1, as HSDS uses them) are shown as Dutch names (knowledge/talen.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.conversation import texts
from bot.conversation.lookup import fold
from bot.conversation.schedule import AskedDay, hours_answer, hours_value
from bot.conversation.waiting import waiting_time
from bot.kaart.model import Service

FACT_LIMIT = 300
SCRIPT_LIMIT = 480  # what to say when calling: no kaart field, a few short sentences
MAX_CODE = 3  # ISO 639 codes have two or three letters; longer keys in talen.yaml are other names
SERVICE_PREFIXES = ("0800", "0900", "0906", "0909", "0880", "14")  # national numbers stay as they are


def load_languages(path: Path) -> dict[str, str]:
    """ISO code -> Dutch name, from knowledge/talen.yaml ({} when the file is missing), plus the other names a
    question may use ('arabic' -> Arabisch; keys longer than a code, so they never read as a kaart code)."""
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    codes = {str(k).casefold(): str(v) for k, v in (data.get("talen") or {}).items()}
    other = {
        str(k).casefold(): str(v)
        for k, v in (data.get("andere_namen") or {}).items()
        if len(str(k)) > MAX_CODE
    }
    return codes | other


def language_names(codes: tuple[str, ...], names: Mapping[str, str]) -> list[str]:
    """'ti' -> 'Tigrinya'; names that are already Dutch pass through (first letter upper case)."""
    out: list[str] = []
    items = [part for code in codes for part in LANGUAGE_SPLIT.split(code)]  # 'Nederlands, Engels', 'ar/ti'
    for code in items:
        raw = code.strip()
        if not raw:
            continue
        name = names.get(raw.casefold()) or names.get(raw.casefold().split("-")[0]) if len(raw) <= 3 else None
        name = name or (raw[:1].upper() + raw[1:])
        if name and name not in out:
            out.append(name)
    return out


LANGUAGE_SPLIT = re.compile(r"\s*(?:,|/|;|&|\+|\ben\b|\band\b)\s*", re.IGNORECASE)


def dutch_list(items: list[str]) -> str:
    """'a, b en c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1] if items else ""


def tappable(phone: str) -> str:
    """'0123-45 67 30' -> '+31 123 456 730 (0123-45 67 30)'; national and short numbers unchanged."""
    parts = [p.strip() for p in PHONE_SPLIT.split(phone) if p.strip()]
    return " / ".join(_one_number(p) for p in parts)


# Kaarten put two numbers in one field: '0180-432010 / 06-12345678', '... of ...', '...; ...', '..., ...'
PHONE_SPLIT = re.compile(r"\s*(?:/|;|,|\bof\b|\ben\b)\s*(?=[+(]?\d)", re.IGNORECASE)


def _one_number(raw: str) -> str:
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        return raw
    if digits.startswith("0031") and len(digits) == 13:  # '0031 180 432010': the same as +31
        digits = "0" + digits[4:]
    if len(digits) != 10 or not digits.startswith("0") or digits.startswith(SERVICE_PREFIXES):
        return raw
    rest = digits[1:]
    if rest.startswith("6"):
        international = f"+31 6 {rest[1:5]} {rest[5:]}"
    elif digits[:3] in ("010", "020", "030", "040", "050", "070", "071", "072", "073", "074", "075", "076",
                        "077", "078", "079") and digits[:4] not in ("0113",):  # fmt: skip
        international = f"+31 {rest[:2]} {rest[2:5]} {rest[5:]}"
    else:
        international = f"+31 {rest[:3]} {rest[3:6]} {rest[6:]}"
    return f"{international} ({raw})"


def address(service: Service) -> str:
    place = " ".join(p for p in (service.postal_code, service.city) if p)
    return ", ".join(p for p in (service.address, place) if p)


def contact_person(service: Service) -> str:
    return ", ".join(p for p in (service.contact_name, service.contact_title) if p)


def _costs(service: Service) -> str:
    """The fees, with who pays; a kaart that only fills the funding column still says who pays."""
    funding = texts.FACT_FUNDING.format(funding=", ".join(service.funding)) if service.funding else ""
    if not service.fees_description:
        return (texts.VALUE_MISSING[:1].upper() + texts.VALUE_MISSING[1:] + "." + funding) if funding else ""
    return service.fees_description.rstrip(".") + "." + funding


def _script(service: Service, name: str, about: tuple[str, ...] = ()) -> str:
    """What to say when calling: who you are, whom to ask for, what it is about (the words of the last
    situation: 'huurachterstand, ontruiming'), and that names can wait where the partner gives anonymous advice."""
    ask = texts.SCRIPT_ASK_FOR.format(contact=service.contact_name) if service.contact_name else ""
    subject = texts.SCRIPT_ABOUT.format(about=" · ".join(about)) if about else ""
    anonymous = texts.SCRIPT_ANONYMOUS if "anoniem" in fold(service.application_process) else ""
    return texts.FACT_SCRIPT.format(
        name=name, phone=tappable(service.phone) or "de kaart", ask=ask, about=subject, anonymous=anonymous
    )


def _address(service: Service, name: str, phone: str) -> str:
    """The street address; a kaart row with only a town has no address to go to: say so, with the phone.
    A secret address (vrouwenopvang) is never spelled out as if it were a street."""
    if "geheim" in service.address.casefold():
        return texts.FACT_SECRET_ADDRESS.format(name=name, phone=phone or "de partner")
    if not service.address:
        return texts.FACT_NO_ADDRESS.format(name=name, phone=phone or "de partner")
    return texts.FACT_ADDRESS.format(name=name, address=address(service))


def asked_languages(text: str, names: Mapping[str, str]) -> list[str]:
    """The languages a question names, by Dutch or other name ('do they speak arabic?' -> ['Arabisch'])."""
    words = set(re.findall(r"[a-z]+", fold(text)))
    aliases = {fold(name): name for name in names.values()} | {
        fold(key): name for key, name in names.items() if len(key) > MAX_CODE
    }
    found = [name for alias, name in aliases.items() if alias in words and name != "Nederlands"]
    return list(dict.fromkeys(found))


def _language_answer(service: Service, name: str, asked: list[str], languages: Mapping[str, str]) -> str:
    spoken = language_names(service.languages, languages)
    if not spoken:
        return texts.FACT_MISSING.format(name=name, phone=tappable(service.phone) or "de kaart")
    yes = [lang for lang in asked if lang in spoken]
    if yes:
        return texts.LANGUAGE_YES.format(name=name, asked=dutch_list(yes), languages=dutch_list(spoken))
    return texts.LANGUAGE_NO.format(name=name, asked=dutch_list(asked), languages=dutch_list(spoken))


def fact(
    service: Service,
    attribute: str,
    *,
    name: str,
    languages: Mapping[str, str],
    day: AskedDay | None = None,
    asked: tuple[str, ...] = (),
    found: tuple[str, ...] = (),
    about: tuple[str, ...] = (),
) -> str:
    """The answer for one attribute (corpus names: telefoon, adres, talen, ...), at most 300 characters.
    `day`: the day an opening-hours question asks about ('zijn ze zaterdag open?'); `asked`: the languages a
    question names ('spreekt iemand daar tigrinya?') for a yes or no; `found`: the words of a 'do they also
    do X?' question found in the partner's themes or description (attribute 'aanbod')."""
    phone = tappable(service.phone)
    if attribute == "openingstijden" and day is not None:
        return texts.shorten(hours_answer(name, service.schedule, day, phone), FACT_LIMIT)
    if attribute == "talen" and asked:
        return texts.shorten(_language_answer(service, name, list(asked), languages), FACT_LIMIT)
    if attribute == "aanbod":
        return texts.shorten(_offer(service, name, found, phone), FACT_LIMIT)
    if attribute == "wachttijd":
        waiting = waiting_time(service, found)
        answer = (
            texts.FACT_WAITING.format(name=name, waiting=waiting)
            if waiting
            else texts.FACT_WAITING_NONE.format(name=name, phone=phone or "de partner")
        )
        return texts.shorten(answer, FACT_LIMIT)
    values = {
        "telefoon": phone
        and texts.FACT_PHONE.format(name=name, phone=phone)
        + (texts.FACT_ASK_FOR.format(contact=service.contact_name) if service.contact_name else "")
        + (
            texts.FACT_PHONE_HOURS.format(hours=service.schedule)
            if PHONE_HOURS.search(service.schedule)
            else ""
        ),
        "email": service.email and texts.FACT_EMAIL.format(name=name, email=service.email),
        "adres": _address(service, name, phone),
        "openingstijden": service.schedule and texts.FACT_HOURS.format(name=name, hours=service.schedule),
        "talen": service.languages
        and texts.FACT_LANGUAGES.format(
            name=name, languages=dutch_list(language_names(service.languages, languages))
        ),
        "toegang": service.application_process
        and texts.FACT_ACCESS.format(name=name, access=service.application_process.rstrip("."))
        + (
            texts.FACT_ACCESS_CALL.format(phone=phone)
            if phone and CALL.search(service.application_process)
            else ""
        ),
        "kosten": _costs(service) and texts.FACT_COSTS.format(name=name, costs=_costs(service)),
        "contactpersoon": contact_person(service)
        and texts.FACT_CONTACT.format(name=name, contact=contact_person(service), phone=phone or "-"),
        "website": service.website and texts.FACT_WEBSITE.format(name=name, website=service.website),
        "belscript": _script(service, name, about),
    }
    if attribute == "belscript":
        return texts.shorten(_script(service, name, about), SCRIPT_LIMIT)
    answer = values.get(attribute) or texts.FACT_MISSING.format(name=name, phone=phone or "de kaart")
    return texts.shorten(answer, FACT_LIMIT)


def _offer(service: Service, name: str, found: tuple[str, ...], phone: str) -> str:
    """'do they do gaming too?': yes when the themes or description hold the word, else what they work on.
    A word found in the description only ('een beweegmaatje voor wie alleen niet durft te beginnen') is
    answered with that sentence, not with the loose words."""
    themes = ", ".join(service.themes) or texts.shorten(service.description, 120)
    sentence = _sentence_with(service.description, found) if found else ""
    in_themes = [w for w in found if any(w in fold(t) for t in service.themes)]
    if found and sentence and len(in_themes) < len(found):
        return texts.FACT_OFFER_QUOTE.format(name=name, sentence=sentence.rstrip("."), themes=themes)
    if found:
        return texts.FACT_OFFER_YES.format(name=name, found=dutch_list(list(found)), themes=themes)
    return texts.FACT_OFFER_UNKNOWN.format(name=name, themes=themes, phone=phone or "de partner")


def _sentence_with(text: str, found: tuple[str, ...]) -> str:
    """The sentence of `text` that holds most of the words found."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    scored = [(sum(w in fold(s) for w in found), s) for s in sentences]
    best = max(scored, default=(0, ""), key=lambda pair: pair[0])
    return best[1] if best[0] else ""


# A schedule that says when the partner can be reached by phone ('telefonisch ma-vr 8.30-12.30'): part of how to
# reach them ('hoe bereik ik het zorgloket?')
PHONE_HOURS = re.compile(r"\b(?:telefonisch\w*|bereikbaar|bel\w*)\b", re.IGNORECASE)
# An access route that is a call ('bellen, ook anoniem voor advies', 'zelf bellen of via de huisarts'): the number
# belongs in the answer ('moet ik daar melden?', 'kan ik daar anoniem advies vragen?')
CALL = re.compile(r"\b(?:bel|bellen|belt|telefonisch\w*|call)\b", re.IGNORECASE)


def fact_value(
    service: Service, attribute: str, *, languages: Mapping[str, str], day: AskedDay | None = None
) -> str:
    """Only the value, for one numbered line per partner after a list ('2. Taalhuis: di en do 10-12 uur')."""
    if attribute == "openingstijden":
        return hours_value(service.schedule, day)
    if attribute == "adres" and "geheim" in service.address.casefold():
        return texts.VALUE_SECRET
    values = {
        "telefoon": tappable(service.phone),
        "email": service.email,
        "adres": address(service) if service.address else "",
        "talen": dutch_list(language_names(service.languages, languages)),
        "toegang": service.application_process.rstrip("."),
        "kosten": service.fees_description.rstrip(".") or _costs(service).strip(),
        "contactpersoon": contact_person(service),
        "website": service.website,
        "wachttijd": waiting_time(service),
    }
    return values.get(attribute) or texts.VALUE_MISSING
