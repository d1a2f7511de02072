"""The danger-type head: which kind of danger a safety case is, with its own features next to the shared ones.

The shared features (words, characters, USE, lexicon) say WHAT happens (hitting, voices, pills); the danger type
often depends on WHO: partners hitting each other while the children watch is huiselijk_geweld, a father hitting his
son of 7 is kindermishandeling, a psychotic mother with a baby is psychose. So the text is also read as a sequence
in which every person word becomes its role (r_child, r_teen, r_adult, r_elder by a stated age; r_partner, r_parent,
r_offspring, r_client, ... by the word), and the head gets the role n-grams ("r_partner slaat r_client",
"r_child ziet") and the age columns of the one age reader. Which role n-gram points to which danger type is
learned from the labelled corpus (logistic regression); nothing here decides a type.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.understanding.ages import ADULT, BABY, ELDER, StatedAge, age_rows, stated_at
from bot.understanding.constants import Constants
from bot.understanding.normalize import fold

NO_DANGER = ""
PAIR_WINDOW = 4  # tokens between two roles that still make a pair
_ROLE_WORDS = {
    "r_child": "children child kid kind kinderen kindje kindjes kids kinders peuter peuters kleuter kleuters zoontje dochtertje "
    "jongetje broertje zusje kleintje kleintjes pleegkind stiefkind leerling scholier puber tiener minderjarige",
    "r_baby": "baby babys baby's zuigeling pasgeborene kraam",
    "r_offspring": "zoon zonen dochter dochters jongen meisje meid broer zus kleinzoon kleindochter kleinkind "
    "kleinkinderen neef nicht stiefzoon stiefdochter jongere jongeren",
    "r_partner": "husband wife boyfriend girlfriend partner man vrouw ex exman expartner exvrouw vriend vriendin vriendje echtgenoot echtgenote "
    "schoonzoon",
    "r_parent": "moeder vader ouder ouders mama papa stiefvader stiefmoeder pa ma stiefpa stiefma heit mem mum dad "
    "mother father",
    "r_elder": "opa oma oudere ouderen bejaarde schoonmoeder schoonvader grootmoeder grootvader",
    "r_client": "mw mevrouw mevr dhr meneer mijnheer clt client cliente bewoner huurder",
    "r_carer": "mantelzorger mantelzorgers verzorger thuiszorg",
}
_ROLE = {word: role for role, words in _ROLE_WORDS.items() for word in words.split()}
_TOKEN = re.compile(r"[a-z]+|\d{1,3}")
_FILLER = frozenset(
    "de het een van en op in met aan te bij voor naar dat die er om of als dan ook nog al wel".split()  # noqa: SIM905
)
_BETWEEN_AGE_AND_PERSON = re.compile(r"[\s,-]*(?:oude?\s+)?")  # '19-jarige zoon', '19 jaar oude zoon'


def role_sequence(text: str) -> list[str]:
    """The folded words of `text` (without articles and the like), every person word replaced by its role; a person
    word with a stated age ('zoon van 19', 'mw 81', '7-jarige zoon': the one age reader, ages.stated_at) becomes the
    role of that age, and the words of the age itself are left out."""
    folded = fold(text)
    stated = stated_at(folded)
    after = {a.start: a for a in stated if a.person_first}  # 'zoon van 19' starts at the person word
    taken = [(a.start, a.end) for a in after.values()]
    before = {a.end: a for a in stated
              if not a.person_first and not any(s <= a.start < e for s, e in taken)}  # fmt: skip
    out: list[tuple[int, str]] = []  # (place in the folded text, word or role)
    skip_to = 0
    for m in _TOKEN.finditer(folded):
        token = m.group()
        if m.start() < skip_to:
            continue
        role = _ROLE.get(token)
        if role is None:
            if not token.isdigit() and token not in _FILLER:
                out.append((m.start(), token))
            continue
        age = after.get(m.start()) or _age_before(folded, m.start(), before)
        if age is not None:
            skip_to = max(skip_to, age.end)
            out = [(place, word) for place, word in out if place < age.start]  # drop 'jarige' of '19-jarige'
        out.append((m.start(), _by_age(age.years) if age is not None else role))
    return [word for _, word in out]


def _age_before(folded: str, place: int, before: dict[int, StatedAge]) -> StatedAge | None:
    """A stated age that ends right before a person word ('19-jarige zoon')."""
    for end, age in before.items():
        if end <= place and _BETWEEN_AGE_AND_PERSON.fullmatch(folded, end, place):
            return age
    return None


def _by_age(age: int) -> str:
    if age < BABY:
        return "r_baby"
    if age < 12:
        return "r_child"
    if age < ADULT:
        return "r_teen"
    return "r_adult" if age < ELDER else "r_elder"


def role_ngrams(text: str) -> Iterator[str]:
    """The roles named, the 2- and 3-grams around a role ('r_partner slaat', 'slaat r_child') and ordered pairs of
    roles close together ('r_parent>r_parent': one parent does something to the other)."""
    seq = role_sequence(text)
    roles = [i for i, t in enumerate(seq) if t.startswith("r_")]
    for i, token in enumerate(seq):
        if token.startswith("r_"):
            yield token
        for n in (2, 3):
            gram = seq[i : i + n]
            if len(gram) == n and any(t.startswith("r_") for t in gram):
                yield " ".join(gram)
    for a, b in zip(roles, roles[1:], strict=False):
        if b - a <= PAIR_WINDOW:
            yield f"{seq[a]}>{seq[b]}"


class DangerHead:
    """Logistic regression on the shared features plus the role n-grams and age columns (when weighted > 0)."""

    def __init__(self, constants: Constants) -> None:
        self._c = constants
        self.roles: TfidfVectorizer | None = None
        self.model = LogisticRegression(C=constants.danger_c, class_weight="balanced", max_iter=2000,
                                        random_state=constants.seed)  # fmt: skip

    @property
    def classes_(self) -> np.ndarray:
        return self.model.classes_

    def _features(self, shared: sparse.csr_matrix, texts: list[str]) -> sparse.csr_matrix:
        c = self._c
        blocks = [shared]
        if self.roles is not None:
            blocks.append(self.roles.transform(texts) * c.role_weight)
        if c.danger_age_weight > 0:
            blocks.append(sparse.csr_matrix(age_rows(texts) * c.danger_age_weight))
        return sparse.hstack(blocks, format="csr") if len(blocks) > 1 else shared

    def fit(self, shared: sparse.csr_matrix, texts: list[str], labels: list[str]) -> DangerHead:
        if self._c.role_weight > 0:
            self.roles = TfidfVectorizer(analyzer=role_ngrams, min_df=2, sublinear_tf=True, dtype=np.float32)
            self.roles.fit(texts)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model.fit(self._features(shared, texts), np.asarray(labels))
        return self

    def predict_proba(self, shared: sparse.csr_matrix, texts: list[str]) -> np.ndarray:
        return self.model.predict_proba(self._features(shared, texts))
