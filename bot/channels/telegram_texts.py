"""Fixed Dutch texts the Telegram channel itself shows (B1). Conversation texts live in the engine."""

from __future__ import annotations

REFUSAL = "Je hebt geen toegang tot deze bot. Vraag een beheerder om een uitnodiging."
RATE_LIMITED = "Je stuurt veel berichten kort na elkaar. Wacht even een minuut. Daarna help ik je weer."
TRUNCATED = "Je bericht was erg lang. Ik heb alleen de eerste {limit} tekens gelezen."
VOICE_UNAVAILABLE = "Spraakberichten kan ik nu niet lezen. Typ je vraag of situatie als tekst."
VOICE_FAILED = "Het lukte niet om je spraakbericht om te zetten naar tekst. Typ je vraag als tekst."
VOICE_TOO_LONG = "Dit spraakbericht is te lang. Houd het kort (maximaal {minutes} minuten) of typ je vraag."
NOT_TEXT = "Ik kan alleen tekst lezen. Typ je vraag of beschrijf de situatie."
EMPTY = "Ik zie geen tekst in je bericht. Typ je vraag of beschrijf de situatie."
ENGINE_ERROR = "Er ging iets mis aan mijn kant. Probeer het zo nog eens."
CHOOSE = "Maak een keuze:"

# Shown in Telegram's command menu (setMyCommands)
COMMAND_MENU: tuple[tuple[str, str], ...] = (
    ("start", "Uitleg en eerste stap"),
    ("help", "Wat kan deze bot?"),
    ("vragen", "De tien vragen over samenwerken"),
    ("kaart", "Zoek in de sociale kaart"),
    ("partner", "Vind een partner voor een situatie"),
    ("wijk", "Stel je wijk in"),
    ("kennismaken", "Partners om te leren kennen"),
    ("open", "Je open verwijzingen"),
    ("privacy", "Hoe ga ik om met gegevens?"),
    ("vergeet", "Wis al mijn gegevens"),
)
ADMIN_COMMANDS: tuple[str, ...] = ("uitnodigen", "herlaad")
