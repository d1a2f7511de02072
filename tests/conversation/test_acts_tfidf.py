"""The act model's TF-IDF fast path gives scikit-learn's matrices bit for bit (issue #12)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bot.conversation.acts.model import ModelConfig, _features, tfidf, transform

TRAIN = [
    "Wat is het telefoonnummer van Veilig Thuis?",
    "Een moeder met schulden en een zoon die niet naar school gaat.",
    "ja graag",
    "Ik verwijs door naar het maatschappelijk werk",
    "Cliënt (80 jr) vereenzaamt, wat kan ik doen??",
    "dank je wel!",
    "en het e-mailadres?",
]
UNSEEN = [
    "",
    "?",
    "Wie is de contactpersoon bij de GGD?",
    "😀 top",
    "tel 0800-2000",
    "schulden schulden schulden",
]


def test_the_fast_tfidf_is_scikit_learns_transform_bit_for_bit() -> None:
    for config in (ModelConfig(), ModelConfig(char_ngrams=(3, 4))):
        features = _features(config).fit(TRAIN)
        for _, vectorizer in features.transformer_list:
            for texts in ([t] for t in TRAIN + UNSEEN):
                expected = sp.csr_matrix(vectorizer.transform(texts))
                got = tfidf(vectorizer, texts)
                assert got.dtype == expected.dtype and got.shape == expected.shape
                assert np.array_equal(got.indptr, expected.indptr)
                assert np.array_equal(got.indices, expected.indices)
                assert np.array_equal(got.data, expected.data)
        union = sp.csr_matrix(features.transform(UNSEEN))
        assert (transform(features, UNSEEN) != union).nnz == 0
