"""Is a question English? The share of its function words that are English rather than Dutch.

Professionals write English questions with Dutch words in them ("is the aanbesteding to blame", "our wijkteam
and the huisarts"), so the topic words say little; the small words do. A question's English share is the number
of English function words over the number of English and Dutch function words (0 without any). Words that are
both (in, is, me, over, we) count for neither. Used by the learned fusion (bot.retrieval.fusion), which weighs
the retrieval signals differently for English questions (bench/fusion_cv.py --language).
"""

from __future__ import annotations

import re
from functools import lru_cache

_ENGLISH = frozenset(
    """
    the a an of to and or what how why who which when where whom whose do does did done can could should would
    will shall must might may i my mine you your our ours they their them he his she her it its this these those
    that there here with about be been being are were has have having from at by for not no if any some more
    than so get gets make makes us just really also between other others than then because while into onto
    out up down after before during without within against same such only very much many most each every all
    both either neither own someone anyone everyone something anything nothing am isn't don't doesn't can't
    i'm we're they're it's what's how's who's there's let's
    """.split()
)
_DUTCH = frozenset(
    """
    de het een en van ik je jij jou jouw wat hoe waarom wie welke welk wanneer waar zijn moet moeten kan kunnen
    kun kunt met voor op aan bij niet dat die dit deze er ze zij hij mijn onze ons ook naar om uit als maar
    dan nog wel geen heeft hebben heb wordt worden werd hun zo of nu al toch even hoeveel wij mij mag mogen
    zou zouden zal gaat gaan doen doet iets iemand alle veel meer tussen andere eigenlijk omdat dus hier daar
    """.split()
)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=2048)
def english_share(text: str) -> float:
    """English function words / (English + Dutch function words) in `text`; 0.0 when it has neither."""
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    english = sum(w in _ENGLISH and w not in _DUTCH for w in words)
    dutch = sum(w in _DUTCH and w not in _ENGLISH for w in words)
    return english / (english + dutch) if english + dutch else 0.0
