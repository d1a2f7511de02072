"""One-vs-rest L2 logistic regression for all labels at once: the levensgebieden head's fit (issue #7, round 17).

The problem per label k is liblinear's (scikit-learn's LogisticRegression(solver="liblinear"), which the head used
through round 16): the bias is a feature of value 1 and is regularised with the weights,

    min_w  0.5 |w|^2 + C * sum_i c_i * log(1 + exp(-y_i * w.[x_i, 1])),   y_i in {-1, +1},

strictly convex, so it has one minimum; liblinear and this solver stop within a tolerance of it (the same relative
gradient norm as liblinear's). The solver is truncated Newton (conjugate gradients on H p = -g, as liblinear's
TRON), but one pass over the features serves every label still being fitted: X @ P with P one column per label,
instead of one pass per label. Columns stored in more than half the rows (the USE block) are kept as a dense array
(BLAS), the rest as sparse rows. Deterministic: fixed order of operations, no randomness.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.special import expit, log_expit

CG_RELATIVE = 0.1  # conjugate gradients stop at this fraction of the gradient's norm (liblinear's TRON: 0.1)
MAX_CG = 250
MAX_HALVINGS = 30
ARMIJO = 1e-4


class OneVsRestLogistic:
    """Fitted per-label weights (coef_: labels x features, intercept_: labels); predict_proba as scikit-learn's
    OneVsRestClassifier on a multi-label y: per label the probability that it applies."""

    def __init__(self, C: float, *, tol: float = 1e-4, max_iter: int = 100, balanced: bool = False) -> None:
        self.C = C
        self.tol = tol
        self.max_iter = max_iter
        self.balanced = balanced  # class_weight="balanced" per label
        self.coef_ = np.zeros((0, 0))
        self.intercept_ = np.zeros(0)
        self.n_iter_ = np.zeros(0, dtype=np.int64)

    def fit(self, features: sparse.spmatrix, y: np.ndarray) -> OneVsRestLogistic:
        """features: n x d; y: n x labels of 0/1."""
        x = sparse.csr_matrix(features, dtype=np.float64)
        n, d = x.shape
        signs = np.where(np.asarray(y) > 0, 1.0, -1.0)
        labels = signs.shape[1]
        stored = np.diff(x.tocsc().indptr)
        dense_cols, sparse_cols = np.flatnonzero(stored * 2 > n), np.flatnonzero(stored * 2 <= n)
        xs = x[:, sparse_cols].tocsr()
        xs_t = xs.T.tocsr()
        xd = np.hstack([x[:, dense_cols].toarray(), np.ones((n, 1))])  # last column: the bias feature
        positive = (signs > 0).sum(axis=0)
        cost = np.full((n, labels), float(self.C))
        if self.balanced:
            cost = np.where(signs > 0, self.C * n / (2 * np.maximum(positive, 1)),
                            self.C * n / (2 * np.maximum(n - positive, 1)))  # fmt: skip
        ws = np.zeros((len(sparse_cols), labels))
        wd = np.zeros((xd.shape[1], labels))
        margins = np.zeros((n, labels))  # X @ w per label, kept up to date

        def objective(ws: np.ndarray, wd: np.ndarray, margins: np.ndarray, cost: np.ndarray,
                      signs: np.ndarray) -> np.ndarray:  # fmt: skip
            return 0.5 * ((ws * ws).sum(0) + (wd * wd).sum(0)) - (cost * log_expit(signs * margins)).sum(0)

        def gradient() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            p = expit(signs * margins)
            u = cost * (p - 1) * signs
            return xs_t @ u + ws, xd.T @ u + wd, p

        gs, gd, p = gradient()
        value = objective(ws, wd, margins, cost, signs)
        first_norm = np.sqrt((gs * gs).sum(0) + (gd * gd).sum(0))
        # liblinear's stopping rule for the primal logistic problem
        eps = self.tol * np.maximum(np.minimum(positive, n - positive), 1) / n
        self.n_iter_ = np.zeros(labels, dtype=np.int64)
        for _ in range(self.max_iter):
            norm = np.sqrt((gs * gs).sum(0) + (gd * gd).sum(0))
            active = np.flatnonzero(norm > eps * first_norm)
            if not len(active):
                break
            self.n_iter_[active] += 1
            curvature = cost[:, active] * p[:, active] * (1 - p[:, active])
            step_s, step_d = _newton_steps(xs, xs_t, xd, curvature, gs[:, active], gd[:, active])
            # backtracking line search per label (the full Newton step is nearly always taken)
            along = xs @ step_s + xd @ step_d
            slope = (gs[:, active] * step_s).sum(0) + (gd[:, active] * step_d).sum(0)
            t = np.ones(len(active))
            for _ in range(MAX_HALVINGS):
                trial = objective(ws[:, active] + t * step_s, wd[:, active] + t * step_d,
                                  margins[:, active] + t * along, cost[:, active], signs[:, active])  # fmt: skip
                short = trial > value[active] + ARMIJO * t * slope
                if not short.any():
                    break
                t = np.where(short, t * 0.5, t)
            ws[:, active] += t * step_s
            wd[:, active] += t * step_d
            margins[:, active] += t * along
            gs, gd, p = gradient()
            value = objective(ws, wd, margins, cost, signs)
        coef = np.zeros((d, labels))
        coef[sparse_cols] = ws
        coef[dense_cols] = wd[:-1]
        self.coef_ = np.ascontiguousarray(coef.T)
        self.intercept_ = wd[-1].copy()
        return self

    def predict_proba(self, features: sparse.spmatrix | np.ndarray) -> np.ndarray:
        """n x labels: per label the probability that it applies."""
        return np.asarray(expit(features @ self.coef_.T + self.intercept_))


def _newton_steps(xs: sparse.csr_matrix, xs_t: sparse.csr_matrix, xd: np.ndarray, curvature: np.ndarray,
                  gs: np.ndarray, gd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Conjugate gradients on H p = -g for every label at once (H = I + X' diag(curvature) X); a label leaves the
    iteration when its residual is below CG_RELATIVE of its gradient's norm (its columns are then dropped)."""
    out_s, out_d = np.zeros_like(gs), np.zeros_like(gd)
    left = np.arange(gs.shape[1])
    rs, rd = -gs, -gd
    ps, pd = rs.copy(), rd.copy()
    xs_step, xd_step = np.zeros_like(gs), np.zeros_like(gd)
    rr = (rs * rs).sum(0) + (rd * rd).sum(0)
    enough = CG_RELATIVE**2 * rr
    for _ in range(MAX_CG):
        u = curvature * (xs @ ps + xd @ pd)
        hs = xs_t @ u
        hs += ps
        hd = xd.T @ u
        hd += pd
        alpha = rr / ((ps * hs).sum(0) + (pd * hd).sum(0))
        xs_step += alpha * ps
        xd_step += alpha * pd
        rs -= alpha * hs
        rd -= alpha * hd
        new = (rs * rs).sum(0) + (rd * rd).sum(0)
        beta, rr = new / rr, new
        ps *= beta
        ps += rs
        pd *= beta
        pd += rd
        keep = new > enough
        if keep.all():
            continue
        done = ~keep
        out_s[:, left[done]] = xs_step[:, done]
        out_d[:, left[done]] = xd_step[:, done]
        if not keep.any():
            return out_s, out_d
        left, curvature, enough, rr = left[keep], curvature[:, keep], enough[keep], rr[keep]
        xs_step, xd_step, rs, rd = xs_step[:, keep], xd_step[:, keep], rs[:, keep], rd[:, keep]
        ps, pd = np.ascontiguousarray(ps[:, keep]), np.ascontiguousarray(pd[:, keep])
    out_s[:, left] = xs_step
    out_d[:, left] = xd_step
    return out_s, out_d
