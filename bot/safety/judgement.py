"""Which safety protocol applies: level (acuut/zorg) and danger type for a situation.

Bridge until the learned safety judgement of the understanding package (issue 7) is merged: the level comes
from the suggestion's safety line; the danger type from the safety domain that fired (crisis, veiligheid)
and a few words in the scrubbed situation. When issue 7 lands, `judge` takes its judgement directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Level = Literal["acuut", "zorg"]
LEVELS: dict[str, Level] = {"acute": "acuut", "acuut": "acuut", "zorg": "zorg"}
# Word stems per danger type inside a safety domain (folded text). Most specific first.
_CRISIS = (("psychose", r"psychot|psychose|verward|waan|wanen|stemmen hor|achtervolg|manisch|paranoi"),
           ("suicide", r"."))  # fmt: skip
_VIOLENCE = (
    ("ouderenmishandeling", r"\b(oudere|ouderen|bejaard|opa|oma|dementer|(?:[6-9]\d|1[01]\d)[- ]?jarig|"
     r"moeder van (?:[6-9]\d|1[01]\d)|vader van (?:[6-9]\d|1[01]\d))"),
    ("kindermishandeling", r"\b(kind|kinderen|kindje|baby|peuter|kleuter|zoon|dochter|zoontje|dochtertje|"
     r"meisje|jongen|leerling|pleegkind)"),
    ("huiselijk_geweld", r"."),
)  # fmt: skip
_DOMAIN_DANGERS = {"crisis": _CRISIS, "veiligheid": _VIOLENCE}


@dataclass(frozen=True, slots=True)
class Judgement:
    level: Level
    danger: str


def judge(*, level: str | None, domains: list[str], text: str) -> Judgement | None:
    """The protocol to show for a suggestion, or None when there is no safety concern.

    level: the level of the suggestion's safety line (acute/zorg, or None); domains: the levensgebieden of the suggested partners,
    in order; text: the (scrubbed) situation.
    """
    if level is None or level not in LEVELS:
        return None
    folded = text.casefold()
    candidates = [d for d in dict.fromkeys(domains) if d in _DOMAIN_DANGERS]
    for domain in candidates or [d for d in _DOMAIN_DANGERS if _mentions(d, folded)]:
        for danger, pattern in _DOMAIN_DANGERS[domain]:
            if re.search(pattern, folded):
                return Judgement(LEVELS[level], danger)
    return None


def _mentions(domain: str, folded: str) -> bool:
    """Without a partner from that domain, the words must point to it (a guard for the default dangers)."""
    words = {"crisis": r"zelfmoord|suicid|zelfdoding|dood|leven|pillen|springen|ophangen|psycho|verward",
             "veiligheid": r"sla|geslagen|geweld|mishandel|bang|dreig|schop|wurg|vuist|verwaarloos|misbruik"}  # fmt: skip
    return re.search(words[domain], folded) is not None
