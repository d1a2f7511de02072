"""Injuries and whether the note explains them, as features for the safety head.

'het kind heeft blauwe plekken en is schrikachtig' is a signal; 'zoon 7 blauwe plek op wang van de schommel, moeder
belde zelf' is not. A linear model on words cannot see that an explanation is MISSING, so these columns say it:
an injury named with or without an explanation, for a (possible) minor and for others.
"""

from __future__ import annotations

import re

import numpy as np

from bot.understanding.ages import read_ages
from bot.understanding.normalize import fold

_INJURY = re.compile(
    r"\b(?:blauwe? plek\w*|blauw oog|blauwe ogen|striem\w*|brandwond\w*|brandplek\w*|kneuzing\w*|verwonding\w*|"
    r"letsel|botbreuk\w*|breuk\w*|gebroken (?:arm|been|pols|rib\w*|neus)|bloedneus|bult\w*|buil\w*|bruise\w*|"
    r"black eye|welts?|burn marks?|wondjes|schaafwond\w*|krassen|beetwond\w*|rode plekken|handafdruk\w*)"
)
_EXPLAINED = re.compile(
    r"\b(?:gevallen|val|valt|viel|gestruikeld|struikel\w*|gestoten|botste|"
    r"sport\w*|voetbal\w*|hockey\w*|judo|paard\w*|schommel\w*|trampoline|fiets\w*|klim\w*|"
    r"speel\w*|spelen|zelf verteld|vertelt zelf|vertelde het|meldt zelf|uit zichzelf|belde zelf|zelf gemeld|"
    r"geen zorgen|no concerns?|past bij|normaal|ongeluk\w*|accident\w*|fell|football|practice|herself|himself)\b"
)
COLUMNS = (
    "injury:minor_unexplained",
    "injury:minor_explained",
    "injury:other_unexplained",
    "injury:other_explained",
)


def injury_row(text: str) -> np.ndarray:
    folded = fold(text)
    row = np.zeros(len(COLUMNS), dtype=np.float32)
    if not _INJURY.search(folded):
        return row
    explained = bool(_EXPLAINED.search(folded))
    minor = read_ages(text).minor  # (adults only never has a minor)
    row[(0 if minor else 2) + explained] = 1.0
    return row


def injury_rows(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, len(COLUMNS)), dtype=np.float32)
    return np.vstack([injury_row(t) for t in texts])
