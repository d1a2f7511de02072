"""Fixed Dutch texts the user reads (B1, short sentences) and small formatters for dates and presets.

These are not prompts: the LLM never sees them.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = "Europe/Amsterdam"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")  # fmt: skip

PRIVACY_WARNING = "⚠️ Deel geen namen of BSN van cliënten; beschrijf de situatie anoniem."
NO_ACCESS = "Sorry, je hebt geen toegang tot deze bot. Vraag je beheerder om een uitnodiging."
STALE_BUTTON = "Deze knop werkt niet meer. Typ /help om te zien wat ik kan."
UNKNOWN_COMMAND = "Dat commando ken ik niet. Typ /help om te zien wat ik kan."
EMPTY_TEXT = "Ik zie geen tekst. Typ je vraag, of beschrijf een situatie."
VOICE_UNAVAILABLE = "Spraakberichten kan ik nu niet verwerken. Wil je je vraag typen?"
ADMIN_ONLY = "Dit commando is alleen voor beheerders."
SOMETHING_WENT_WRONG = "Er ging iets mis. Probeer het later nog eens."

WELCOME = (
    "Welkom bij wijkbot! 👋\n"
    "Ik help je bij het samenwerken in de wijk.\n\n"
    "Wat ik kan:\n"
    "• Vragen over samenwerken beantwoorden, uit 'Samenwerken in de wijk' (Movisie/IWW, 2016).\n"
    "• Een partner zoeken voor een situatie (/partner).\n"
    "• Partners in je wijk laten zien (/kennismaken, /kaart).\n"
    "• Je helpen herinneren aan terugkoppeling na een verwijzing (/open).\n\n"
    "Privacy: deel geen namen, BSN of adressen van cliënten. Beschrijf een situatie altijd anoniem. "
    "Meer uitleg: /privacy."
)
FIRST_STEP = "Eerste stap: stel je wijk in. Kies hieronder."
WIJK_CURRENT = "Je wijk is nu: {wijk}. Wil je een andere wijk? Kies hieronder."
WIJK_SET = "Je wijk is nu {wijk}. Ik zoek partners eerst in deze wijk."
WIJK_ALL = "Oké, ik zoek in de hele gemeente."
WIJK_NONE_KNOWN = "Er staan nog geen wijken op de sociale kaart. Ik zoek in de hele gemeente."
WIJK_ALL_LABEL = "Hele gemeente"
INVITE_OK = "Je code is geaccepteerd. Je hebt nu toegang."
INVITE_BAD = "Deze code werkt niet. Misschien is hij al gebruikt of verlopen. Vraag een nieuwe code."

HELP = (
    "Zo werk je met mij:\n"
    "• Typ een vraag over samenwerken, bijvoorbeeld: 'Hoe maak ik afspraken over terugkoppeling?'\n"
    "• Beschrijf een situatie anoniem, dan zoek ik een partner.\n\n"
    "Commando's:\n"
    "/vragen – de tien vragen uit de publicatie\n"
    "/partner – partner zoeken voor een situatie\n"
    "/kaart ZOEKWOORD – zoeken op de sociale kaart\n"
    "/kennismaken – partners in je wijk om te leren kennen\n"
    "/wijk – je wijk instellen\n"
    "/open – je open verwijzingen\n"
    "/privacy – wat ik bewaar\n"
    "/vergeet – al je gegevens wissen"
)
HELP_ADMIN = (
    "\n\nBeheer:\n/uitnodigen – code voor een nieuwe collega\n/herlaad – kaart en kennis opnieuw laden"
)

PRIVACY = (
    "Wat ik bewaar:\n"
    "• je wijk;\n"
    "• je verwijzingen: partner, datum, status en een kort anoniem label;\n"
    "• je herinneringen en je 👍/👎 op antwoorden.\n\n"
    "Wat ik niet bewaar: de tekst van je berichten. Je laatste vragen onthoud ik kort "
    "(maximaal {hours} uur) om je vervolgvragen te snappen.\n\n"
    "Namen, BSN, telefoonnummers en adressen haal ik weg voordat een taalmodel je tekst ziet. "
    "Deel ze toch liever niet.\n"
    "Afgeronde verwijzingen wis ik na {days} dagen. Met /vergeet wis je alles direct."
)

# 'waar gaat de publicatie over?': what the whole publication is about (its Leeswijzer), then the ten vragen
PUBLICATION_OVERVIEW = (
    "'Samenwerken in de wijk' (Movisie/IWW, 2016) gaat over samenwerken tussen het sociaal wijkteam en de "
    "partners in de wijk, zoals de huisarts, de wijkverpleging, school en de ggz. Het geeft de tien vragen over "
    "samenwerken die wijkteams het vaakst noemen, met tips om ze aan te pakken. Kies een vraag:"
)
WHERE_IN_PUBLICATION = "Dat staat bij vraag {number} van 'Samenwerken in de wijk': {title} (vanaf p. {page})."
WHERE_IN_INTRODUCTION = "Dat staat in de inleiding van 'Samenwerken in de wijk', voor de tien vragen."
VRAGEN_INTRO = "De tien vragen uit 'Samenwerken in de wijk'. Kies een vraag."
VRAGEN_NONE = "De vragen uit de publicatie zijn nu niet beschikbaar."
CITATION = "Vraag {number} · {title} (p. {page}) — Samenwerken in de wijk (Movisie/IWW, 2016)"
# From the colofon of the publication (knowledge/publicatie/samenwerken-in-de-wijk.txt, page 2)
PUBLICATION_AUTHORS = (
    "'Samenwerken in de wijk' (2016) is geschreven door Maaike Kluft van Movisie, met bijdragen van "
    "collega's. Het is een uitgave van Integraal Werken in de Wijk (IWW), een landelijk programma van onder "
    "meer Movisie, het Nederlands Jeugdinstituut, het Trimbos-instituut en Vilans. © IWW 2016."
)
VRAAG_HEAD = "Vraag {number}: {title}"
VRAAG_ADVICE = "Wat kun je doen?"
ALL_VRAGEN = "◀ Alle vragen"
FOLLOW_UP_NOT_NAMED = (
    "De publicatie zegt niets apart over {subject}. Dit geldt wel voor samenwerken met partners:"
)
THUMBS_UP = "👍"
THUMBS_DOWN = "👎"
FEEDBACK_THANKS = "Dank je! Je feedback helpt de bot beter te maken."

INTENT_UNSURE = "Wat bedoel je? Kies wat past."
SAFETY_AFTER = (
    "Daarna: schrijf op wat je zag en hoorde, met tijd. Ging het om geweld of dreiging in huis? Bel Veilig "
    "Thuis ({veilig_thuis}) voor advies en de volgende stappen (meldcode). Spreek af wie contact houdt."
)
SAFETY_FOLLOW_UP = (
    "Bij acuut gevaar gaat veiligheid voor, ook als de persoon dat niet wil. Je staat er niet alleen voor: "
    "overleg meteen met een collega of je leidinggevende."
)
SAFETY_NOTICE = (  # numbers from knowledge/landelijke_lijnen.yaml (bot/conversation/safety.py)
    "Let op: is er nu gevaar? Bel {alarm}. Zorgen over huiselijk geweld of kindermishandeling: Veilig Thuis "
    "{veilig_thuis}. Zorgen over zelfdoding: {zelfmoordpreventie}. Wil je een partner zoeken? Gebruik /partner."
)
SAFETY_NOTICE_CASE = (
    "⚠️ Is er nu gevaar? Bel {alarm}. Huiselijk geweld of kindermishandeling: Veilig Thuis {veilig_thuis}. "
    "Gedachten aan zelfdoding: {zelfmoordpreventie}. Ga niet alleen: neem een collega mee of overleg meteen."
)
INTENT_QUESTION = "Vraag over samenwerken"
INTENT_SITUATION = "Partner zoeken"

PARTNER_ASK = (
    "Beschrijf de situatie in een paar zinnen. Doe het anoniem: geen namen, BSN of adres.\n"
    "Bijvoorbeeld: 'Alleenstaande vader, huurachterstand, durft de post niet meer te openen.'"
)
KAART_ASK = "Waar zoek je naar? Typ bijvoorbeeld: /kaart schulden"
KAART_NONE = "Ik vond niets op de sociale kaart voor '{query}'. Probeer een ander woord."
KAART_RESULTS = "Gevonden op de sociale kaart ({start}–{end} van {total}):"
MORE_NONE = "Ik heb geen andere opties meer. Kijk ook eens met /kaart."
MORE_LABEL = "Meer opties"
MORE_HEAD = "Meer opties:"
NEXT_PAGE = "Volgende ▶"
REFER_LABEL = "Ik verwijs door naar {name}"
CARD_LABEL = "Kaart: {name}"
KENNISMAKEN_INTRO = (
    "Partners om te leren kennen in {wijk}. Tip uit de publicatie: ga langs, maak kennis en "
    "spreek een vaste contactpersoon af (Vraag 2)."
)
KENNISMAKEN_NONE = "Ik vond geen partners om kennis mee te maken. Stel eerst je wijk in met /wijk."

REFERRAL_ADVICE_HEAD = (
    "Je verwijst door naar {name}. Spreek meteen af hoe en wanneer je terugkoppeling krijgt."
)
REFERRAL_ADVICE_FALLBACK = (
    "Tip uit de publicatie (Vraag 4): spreek bij de verwijzing af wie wat terugkoppelt, en wanneer. "
    "Zo weet je zeker dat de ander jou en de bewoner verder helpt."
)
LABEL_ASK = (
    "Wil je een kort label bij deze verwijzing? Bijvoorbeeld 'gezin A' of 'huurachterstand 1'. "
    "Gebruik geen naam, BSN, telefoonnummer of adres. Typ het label of kies 'Geen label'."
)
LABEL_NONE = "Geen label"
LABEL_IDENTIFYING = (
    "Dit label lijkt op een naam, BSN, telefoonnummer of adres. Kies een anoniem label, "
    "bijvoorbeeld 'gezin A'. Of kies 'Geen label'."
)
LABEL_SAVED = "Label opgeslagen: {label}."
REMIND_ASK = "Wanneer zal ik je vragen of je terugkoppeling hebt gehad van {name}?"
REMIND_NONE = "Geen herinnering"
REMIND_SET = "Goed. Ik vraag het je {when} ({date}). Je open verwijzingen zie je met /open."
REMIND_SKIPPED = "Oké, geen herinnering. Je open verwijzingen zie je met /open."

REMINDER_QUESTION = (
    "Heb je terugkoppeling gehad van {name} over je verwijzing van {date}? Is het contact gelukt?"
)
FU_DONE = "Afgerond"
FU_LATER = "Nog niet"
FU_FAILED = "Contact lukte niet"
CONTACT_CHECK = "Fijn! De verwijzing is afgerond. Klopten de contactgegevens van {name} nog?"
CONTACT_YES = "Ja"
CONTACT_NO = "Nee"
CONTACT_THANKS = "Dank je voor het doorgeven."
CONTACT_NOTED = "Dank je. Ik heb gemeld dat de contactgegevens van {name} niet klopten."
CORRECTION_NOTE = "contactgegevens niet juist (gemeld na verwijzing)"
LATER_ASK = "Oké. Wanneer zal ik het opnieuw vragen?"
FAILED_HEAD = (
    "Jammer dat het contact met {name} niet lukte. De verwijzing blijft open in /open. Wat wil je doen?"
)

OPEN_NONE = "Je hebt geen open verwijzingen."
OPEN_HEAD = "Je open verwijzingen ({count}):"
OPEN_ITEM = "{name}\nStatus: {state} · verwezen op {date}\nVolgende herinnering: {next}\nLabel: {label}"
OPEN_PHONE = "Bellen: {phone}"
OPEN_NO_REMINDER = "geen"
OPEN_NO_LABEL = "geen"
OPEN_FAILURES = "Contact lukte niet: {count} keer"
OPEN_RELABEL = "Label wijzigen"
OPEN_MORE = "En nog {count} oudere verwijzing(en)."

FORGET_ASK = (
    "Weet je het zeker? Ik wis dan al je gegevens: je wijk, verwijzingen, herinneringen en feedback. "
    "Kwam je binnen met een uitnodiging? Dan heb je daarna een nieuwe code nodig."
)
FORGET_YES = "Ja, wis alles"
FORGET_NO = "Nee, niet wissen"
FORGET_DONE = "Klaar. Ik heb al je gegevens gewist."
FORGET_CANCELLED = "Oké, ik heb niets gewist."

INVITE_CREATED = (
    "Nieuwe uitnodiging. Stuur dit naar je collega:\n\n/start {code}\n\n"
    "De code werkt één keer en is geldig tot {expires}."
)
RELOADED = "Kaart en kennis zijn opnieuw geladen."
RELOAD_FAILED = "Herladen is niet gelukt. Kijk in de logboeken van de server."


# -- terugkoppeling (issue 9) -------------------------------------------------------------------------
STATE_NAMES = {"open": "open", "contact": "contact gemaakt", "hulp_loopt": "terugkoppeling gehad, hulp loopt",
               "afgerond": "afgerond"}  # fmt: skip
FU_CONTACT = "Contact gemaakt"
FU_FEEDBACK = "Terugkoppeling gehad"
FU_RETRY = "Morgen opnieuw herinneren"
FU_OTHER = "Ander contact"
FU_NEXT = "Andere partner"
FU_CLOSE = "Afsluiten"
FU_CALLED = "Ik heb gebeld"
FU_NOT_REACHED = "Lukt niet"
FU_SUCCEEDED = "Ja, gelukt"
SHARE_LABEL = "Deel met cliënt"
SHARE_HEAD = "Dit bericht kun je doorsturen naar de cliënt:"
CONTACT_STATE = "Genoteerd: contact gemaakt met {name}. Wanneer vraag ik naar de terugkoppeling?"
FEEDBACK_STATE = (
    "Fijn: je hebt terugkoppeling en de hulp loopt. De verwijzing blijft open tot je hem afrondt. "
    "Wanneer zal ik het weer vragen?"
)
CLOSED = "De verwijzing naar {name} is afgesloten."
RETRY_SET = "Goed. Ik herinner je {date} opnieuw. De verwijzing blijft open."
NEXT_HEAD = "Een andere partner voor hetzelfde levensgebied:"
NEXT_NONE = "Ik vond geen andere partner voor hetzelfde levensgebied in je wijk. Probeer /partner of /kaart."
ANON_CHECK_SET = "Ik vraag je {date} of het gelukt is."
ANON_QUESTION = "Is het gelukt om {name} te bellen? (verwezen op {date})"
ACUTE_REFERRED = (
    "Bel nu {name}: {phone}. Laat me weten of het gelukt is. Ik vraag het je over een paar uur ({date}) "
    "nog een keer."
)
ACUTE_CHECK = "Check: is het gelukt om {name} te bellen? Is er nu iemand bij?"
ACUTE_CALLED = "Goed dat je gebeld hebt. De verwijzing staat in /open: rond hem af als de hulp loopt."
ACUTE_NOT_REACHED = "Het lukte niet. Probeer het direct opnieuw, of bel een ander nummer hieronder. Ik vraag het je weer om {date}."
LABEL_RELABEL_ASK = "Typ het nieuwe label. Gebruik geen naam, adres of geboortedatum."
LABEL_TOO_LONG = "Dit label is te lang. Houd het kort, bijvoorbeeld 'gezin A'."
REMINDER_LABEL = "(label: {label})"


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(LOCAL_TZ))


def format_date(moment: datetime) -> str:
    """'3 mei': day and month in local time."""
    local = local_time(moment)
    return f"{local.day} {MONTHS[local.month - 1]}"


def format_datetime(moment: datetime) -> str:
    """'3 mei om 14:05'."""
    local = local_time(moment)
    return f"{format_date(moment)} om {local:%H:%M}"


def format_day(moment: datetime) -> str:
    """'maandag 3 mei om 09:00': for working-hours reminders."""
    days = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
    return f"{days[local_time(moment).weekday()]} {format_datetime(moment)}"


def shorten(text: str, limit: int = 32) -> str:
    """Cut a label to fit on a phone button."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


ONBOARDING = (
    "Welkom! Zo begin je:\n"
    "1. /kennismaken: partners in je wijk, met een vaste contactpersoon. Ga langs of bel even.\n"
    "2. /vragen: de tien vragen uit 'Samenwerken in de wijk' (Movisie/IWW, 2016), met tips.\n"
    "3. Vraag wat een woord betekent, bijvoorbeeld 'wat is een beschikking?'.\n"
    "4. Beschrijf een situatie (anoniem), dan zoek ik passende partners."
)

# --- partner facts (one short message each, from the kaart fields) ---
FACT_PHONE = "{name}: bel {phone}."
FACT_PHONE_HOURS = " Bereikbaar: {hours}."
FACT_ASK_FOR = " Vraag naar {contact}."
FACT_EMAIL = "{name}: mail naar {email}."
FACT_ADDRESS = "{name} zit op {address}."
FACT_HOURS = "{name} is open: {hours}."
FACT_NO_ADDRESS = (
    "Op de sociale kaart staat geen bezoekadres van {name}. Bel {phone} en vraag waar je terecht kunt."
)
FACT_SECRET_ADDRESS = (
    "Het adres van {name} is geheim, voor de veiligheid. Bel {phone}; zij spreken een plek af."
)
LANGUAGE_YES = "Ja, bij {name} spreken ze {asked}. Alle talen: {languages}."
LANGUAGE_NO = "{asked} staat niet bij {name}. Ze spreken {languages}. Vraag eventueel een tolk."
LANGUAGE_LISTED = "{asked}: dat spreken ze bij {names}."
LANGUAGE_NONE_LISTED = "{asked} staat bij geen van deze partners op de kaart. Vraag eventueel een tolk."
LANGUAGE_ELSEWHERE = "{asked} staat bij geen van deze partners op de kaart. Wel bij: {names}."
LANGUAGE_ALSO = "Wel bij: {names}."
LANGUAGE_LOOKUP_HEAD = "{asked} spreken ze op de kaart bij:"
VALUE_MISSING = "staat niet op de kaart"
VALUE_SECRET = "geheim adres (bel eerst)"
VALUE_OPEN = "open"
VALUE_CLOSED = "dicht"
HOURS_OPEN = "Ja, {name} is {day} open: {hours}."
HOURS_CLOSED = "Nee, {name} is {day} dicht. Open: {hours}."
HOURS_UNKNOWN = (
    "Of {name} {day} open is, staat niet op de kaart. De kaart zegt: {hours}. Bel {phone} en vraag het na."
)
HOURS_WEEKEND = "in het weekend"
HOURS_TODAY = "vandaag"
HOURS_TOMORROW = "morgen"
HOURS_NOW = "nu"
FACT_LANGUAGES = "{name} spreekt {languages}."
FACT_ACCESS = "Toegang bij {name}: {access}."
FACT_ACCESS_CALL = " Telefoon: {phone}."
FACT_COSTS = "Kosten bij {name}: {costs}"
FACT_FUNDING = " Betaald uit: {funding}."
FACT_CONTACT = "Contactpersoon bij {name}: {contact}. Telefoon: {phone}."
FACT_WEBSITE = "Website van {name}: {website}"
FACT_SCRIPT = (
    "Bellen met {name} ({phone}): zeg wie je bent en van welk wijkteam.{ask} Vertel de vraag kort en anoniem"
    "{about}.{anonymous} Spreek af wie wat doet en wanneer je terugkoppeling krijgt."
)
SCRIPT_ABOUT = " ({about})"
SCRIPT_ANONYMOUS = " Namen noemen hoeft niet: je kunt eerst anoniem advies vragen."
SCRIPT_ASK_FOR = " Vraag naar {contact}."
KAART_INSTEAD = "Dat staat niet in de publicatie. Op de sociale kaart:"
FACT_OFFER_QUOTE = "Ja, op de kaart bij {name}: {sentence}. Ze werken aan: {themes}."
FACT_OFFER_YES = "Ja, {name} helpt ook bij {found}. Op de kaart: {themes}."
FACT_OFFER_UNKNOWN = (
    "Op de kaart staat niet of {name} daarbij helpt. Ze werken aan: {themes}. Bel {phone} en vraag het na."
)
FACT_WAITING = "Wachttijd bij {name}: {waiting}."
FACT_WAITING_NONE = "De wachttijd van {name} staat niet op de kaart. Bel {phone} en vraag het na."
FACT_MISSING = "Dat staat niet op de sociale kaart bij {name}. Bel {phone} en vraag het na."
WHICH_PARTNER = "Over welke partner gaat het? Noem de naam, of zoek met /kaart ZOEKWOORD."
PARTNER_FOUND_NONE = "Ik vond die partner niet op de sociale kaart. Probeer /kaart met een ander woord."
LOOKUP_HEAD = "Op de sociale kaart:"
LOOKUP_ALL_HEAD = "Op de sociale kaart ({count}):"
CLOSED_HEAD = "{name} is dan dicht. Wel open {day}:"
DETAILS_LABEL = "Kaart: {name}"

# --- small talk and actions ---
SMALLTALK = {
    "groet": "Hallo! Stel een vraag over samenwerken, of beschrijf een situatie (anoniem).",
    "dank": "Graag gedaan! Succes ermee.",
    "afscheid": "Tot ziens! Succes vandaag.",
    "bevestiging": "Oké. Laat maar weten als je nog iets nodig hebt.",
    "sorry": "Geen probleem. Typ je vraag of beschrijf de situatie opnieuw.",
}

# --- publication answers ---
VRAAG_CARD = "Uit de publicatie, {title}\n{advice}\n\n{citation}"
ALL_VRAGEN_OFFER = "De tien vragen"
LOOSE_ANSWER = (
    "Daar zegt de publicatie weinig precies over. Wat er wel staat, gaat over: {topic}. "
    "Kijk bij /vragen voor de tien vragen met tips."
)
GLOSSARY_INSTEAD = "Dat staat niet precies in de publicatie. Wel kan ik het begrip uitleggen:"
GLOSSARY_SOURCE = "Bron: {source}"
GLOSSARY_OUTSIDE = "(Niet uit de publicatie.) Bron: {source}"

# --- phone-sized suggestions ---
SUGGEST_HEAD = "Partners die passen:"
SUGGEST_NONE = "Ik vind geen partner op de sociale kaart die hier goed bij past."
SUGGEST_GENERAL = "Neem contact op met:"
CARD_ACCESS = "Toegang: {access}"
STALE_DATA = "Let op: de gegevens van nr. {numbers} zijn ouder dan een jaar. Check ze voor je belt."
MELDCODE_ONCE = "Meldcode: bespreek het met je aandachtsfunctionaris en raadpleeg Veilig Thuis (0800-2000)."
TERUGKOPPELING_TIP = "Spreek bij het doorverwijzen af wie wanneer terugkoppelt."
KNOWN_WIJKEN = (
    "Ik ken de partners van de sociale kaart voor deze wijken: {wijken}. Je eigen wijk stel je in met /wijk."
)
NO_WIJKEN = "Op deze sociale kaart staan geen wijken. Zoek een partner met /kaart ZOEKWOORD."
WELCOME_SHORT = "Welkom in het team! Typ /start voor uitleg om mee te beginnen."

# conversation10: questions about one client's status at a partner (the bot keeps no client records)
NO_CLIENT_DATA = (
    "Dat kan ik niet zien: ik heb geen toegang tot gegevens van cliënten. Vraag het na bij de partner."
)
NO_CLIENT_DATA_AT = "Dat kan ik niet zien: ik heb geen toegang tot gegevens van cliënten. Vraag het na bij {name}: bel {phone}."

# The user says they call or sign up the partner now ('oke ik bel nu met hem erbij'): encourage, offer the
# reminder to check how it went (the referral flow)
CALLING_NOW = "Succes met het gesprek! Laat me daarna weten hoe het is gelopen."
CALLING_NOW_OFFER = (
    "Zal ik {name} noteren als verwijzing? Dan herinner ik je eraan om na te gaan of het gelukt is."
)
CALLING_NOW_BUTTON = "Ja, noteer en herinner me"
# 'moet ik nog iets terugkoppelen?' after a referral or a call: who to let know, and the publication's tip
WHO_TO_INFORM = (
    "Goed dat je het bijhoudt. Laat het weten aan wie het moet weten:\n"
    "• de cliënt (of familie, contactpersoon): wat is er afgesproken, en wat mag je delen (toestemming)?\n"
    "• wie verwees of betrokken is, zoals de huisarts: wat is er geregeld?\n"
    "• je eigen team: zet het in het plan en vertel het je collega of leidinggevende.\n"
    "• de partner: spreek af wie wanneer terugkoppelt."
)
# A publication question asked in English: the vraag's English summary above the Dutch quote
ENGLISH_GIST = "In short (question {number}, '{title}'): {english}"
WHY_GIST = "In het kort (vraag {number}): {summary}"  # a question why: the vraag's own summary first
