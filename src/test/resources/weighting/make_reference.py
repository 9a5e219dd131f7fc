#!/usr/bin/env python3
"""Reference weightings for LibMtlReferenceTest: LibMTL's arithmetic, written anew in numpy/scipy.

Each function below follows one file of LibMTL (https://github.com/median-research-group/LibMTL),
commit 4336804847eaa5e0b924b743d76beec7ac3fdc97 (2025-05-14), LibMTL/weighting/<file>, on the task
gradients as LibMTL's weighting sees them: one row per task (in representation mode, LibMTL's
`grads`, the per-sample gradients summed over the batch). No LibMTL code is imported or copied;
torch is replaced by float64 numpy, cvxpy/ECOS (Nash-MTL) by a small log-barrier interior-point
method, scipy's SLSQP (CAGrad) is called as LibMTL calls it.

Re-run (numpy and scipy only, e.g. Debian's python3-numpy python3-scipy), from the repository root:

    python3 src/test/resources/weighting/make_reference.py > src/test/resources/weighting/libmtl-reference.json

The output is deterministic (fixed seeds); the Java test reads it, it does not run this script.
"""
import json
import sys

import numpy as np
from scipy.optimize import minimize

LIBMTL_COMMIT = "4336804847eaa5e0b924b743d76beec7ac3fdc97"
FLOAT32_EPS = float(np.finfo(np.float32).eps)  # torch.finfo() of the default dtype, float32


# --- PCGrad.py: each task's gradient is projected off every task j (itself included) that it
# conflicts with, in a shuffled order, dividing by ||g_j||^2 + 1e-8; the update is the sum.
def pcgrad(grads, orders):
    pc = grads.copy()
    for i in range(len(grads)):
        for j in orders[i]:
            gij = pc[i] @ grads[j]
            if gij < 0:
                pc[i] -= gij * grads[j] / (grads[j] @ grads[j] + 1e-8)
    return pc.sum(0)


# --- CAGrad.py: SLSQP (scipy's defaults, as LibMTL calls it) on the dual over the simplex,
# then g0 + c/||g_w|| g_w, rescaled by 1 / (1 + calpha^2) (rescale = 1).
def cagrad(grads, calpha=0.5, ftol=None):
    T = len(grads)
    A = grads @ grads.T
    g0_norm = np.sqrt(A.mean() + 1e-8)
    x_start = np.ones(T) / T
    b = x_start.copy()
    c = calpha * g0_norm + 1e-8

    def objective(x):
        return x @ A @ b + c * np.sqrt(x @ A @ x + 1e-8)

    options = {} if ftol is None else {"ftol": ftol, "maxiter": 1000}
    res = minimize(objective, x_start, bounds=[(0, 1)] * T,
                   constraints=({"type": "eq", "fun": lambda x: 1 - sum(x)},), options=options)
    w = res.x
    gw = w @ grads
    lmbda = c / (np.linalg.norm(gw) + 1e-8)
    return (grads.mean(0) + lmbda * gw) / (1 + calpha ** 2)


# --- MGDA.py: normalise (none, l2, loss, loss+), the min-norm solver (closed form for two, the
# Frank-Wolfe-like iteration from the best pair otherwise, MAX_ITER 250, STOP_CRIT 1e-5 on the
# L1 change), then, in representation mode, the weights applied to the raw gradients.
def _min_norm_from2(v1v1, v1v2, v2v2):
    if v1v2 >= v1v1:
        return 0.999, v1v1
    if v1v2 >= v2v2:
        return 0.001, v2v2
    gamma = -1.0 * ((v1v2 - v2v2) / (v1v1 + v2v2 - 2 * v1v2))
    return gamma, v2v2 + gamma * (v1v2 - v2v2)


def _projection2simplex(y):
    m = len(y)
    sorted_y = np.sort(y)[::-1]
    tmpsum = 0.0
    tmax_f = (y.sum() - 1.0) / m
    for i in range(m - 1):
        tmpsum += sorted_y[i]
        tmax = (tmpsum - 1) / (i + 1.0)
        if tmax > sorted_y[i + 1]:
            tmax_f = tmax
            break
    return np.maximum(y - tmax_f, 0)


def _next_point(cur, grad, n):
    proj = grad - grad.sum() / n
    tm1 = -1.0 * cur[proj < 0] / proj[proj < 0]
    tm2 = (1.0 - cur[proj > 0]) / proj[proj > 0]
    t = 1.0
    if (tm1 > 1e-7).sum() > 0:
        t = tm1[tm1 > 1e-7].min()
    if (tm2 > 1e-7).sum() > 0:
        t = min(t, tm2[tm2 > 1e-7].min())
    return _projection2simplex(proj * t + cur)


def min_norm(grads, stop_crit=1e-5, max_iter=250):
    M = grads @ grads.T
    n = len(grads)
    dmin, sol = 1e8, None
    for i in range(n):
        for j in range(i + 1, n):
            c, d = _min_norm_from2(M[i, i], M[i, j], M[j, j])
            if d < dmin:
                dmin, sol = d, ((i, j), c)
    vec = np.zeros(n)
    vec[sol[0][0]] = sol[1]
    vec[sol[0][1]] = 1 - sol[1]
    if n < 3:
        return vec
    for _ in range(max_iter):
        new_point = _next_point(vec, -M @ vec, n)
        nc, _ = _min_norm_from2(vec @ M @ vec, vec @ M @ new_point, new_point @ M @ new_point)
        new_vec = nc * vec + (1 - nc) * new_point
        if np.abs(new_vec - vec).sum() < stop_crit:
            return vec
        vec = new_vec
    return vec


def mgda(grads, losses, gn, stop_crit=1e-5):
    norms = np.linalg.norm(grads, axis=1)
    divisor = {"none": np.ones(len(grads)), "l2": norms, "loss": losses, "loss+": losses * norms}[gn]
    sol = min_norm(grads / divisor[:, None], stop_crit)
    return sol, sol @ grads


# --- IMTL.py (IMTL-G at loss_scale 0): alpha_{2..} = g_1 U^T (D U^T)^{-1}, alpha_1 = 1 - sum.
def imtl(grads):
    unit = grads / np.linalg.norm(grads, axis=1, keepdims=True)
    D = grads[0:1] - grads[1:]
    U = unit[0:1] - unit[1:]
    alpha = grads[0] @ U.T @ np.linalg.inv(D @ U.T)
    alpha = np.concatenate(([1 - alpha.sum()], alpha))
    return alpha, alpha @ grads


# --- Aligned_MTL.py: eigh of M = G G^T, rank tolerance max(lambda) * T * float32 eps,
# B = sqrt(lambda_min) V Lambda^{-1/2} V^T over the kept eigenpairs, alpha = column sums of B.
def aligned_mtl(grads):
    M = grads @ grads.T
    lmbda, V = np.linalg.eigh(M)
    tol = lmbda.max() * max(M.shape) * FLOAT32_EPS
    rank = int((lmbda > tol).sum())
    order = np.argsort(lmbda)[::-1]
    lmbda, V = lmbda[order][:rank], V[:, order][:, :rank]
    B = np.sqrt(lmbda[-1]) * (V @ np.diag(1 / np.sqrt(lmbda)) @ V.T)
    alpha = B.sum(0)
    return alpha, alpha @ grads


# --- Nash_MTL.py: G = grads grads^T, normalization_factor = ||G||_F, G / that; then up to
# optim_niter = 20 convex problems, from prvs_alpha (ones at the first step):
#   min sum(Gn a) + phi'(a_prev) . (a - a_prev) / nf   over a >= 0,
#   s.t. -log(a_i nf) - log((Gn a)_i) <= 0,  phi'(a) = 1/a + (1/(Gn a)) @ Gn,
# stopping when ||Gn a_t - 1/(a_t + 1e-10)|| < 1e-3 or the new solution moved less than 1e-6
# (returning the iterate a_t that was linearised at), or when the solver fails (keeping a_t).
# The constraint is a_i (G a)_i >= 1 with the raw G: nf cancels there.
def _barrier_subproblem(c, Gn, nf, start):
    """min c.a s.t. h_i(a) = log(a_i nf) + log((Gn a)_i) >= 0, log-barrier with Newton steps
    (ECOS's stand-in), from the strictly feasible start; duality gap m/t below 1e-13 |c.a|."""
    m = len(c)

    def h(a):
        Ga = Gn @ a
        if np.any(a <= 0) or np.any(Ga <= 0):
            return None
        return np.log(a * nf) + np.log(Ga)

    def f(a, t):
        hv = h(a)
        return np.inf if hv is None or np.any(hv <= 0) else t * (c @ a) - np.log(hv).sum()

    a = start.copy()
    t = 1.0 / abs(c @ a)
    while m / t > 1e-13 * abs(c @ a):
        t *= 10
        for _ in range(200):
            Ga = Gn @ a
            hv = h(a)
            J = np.diag(1 / a) + Gn / Ga[:, None]
            grad = t * c - (J / hv[:, None]).sum(0)
            H = (J.T / hv ** 2) @ J
            for i in range(m):
                H[i, i] += 1 / (a[i] ** 2 * hv[i])
                H += np.outer(Gn[i], Gn[i]) / (Ga[i] ** 2 * hv[i])
            step = -np.linalg.lstsq(H, grad, rcond=None)[0]
            dec = -(grad @ step)
            if not dec > 1e-20:
                break
            s, f0 = 1.0, f(a, t)
            while f(a + s * step, t) > f0 - 0.25 * s * dec and s > 1e-20:
                s /= 2
            if s <= 1e-20:
                break
            a = a + s * step
        if t > 1e40:
            return None
    return a


def _nash_fixed_point(G):
    """A strictly feasible start for the barrier: 1.5 times the a with a_i (G a)_i = 1, found by
    damped Newton on a^T G a / 2 - sum log a (the barrier then finds the convex problem's own optimum)."""
    a = np.ones(len(G)) / np.sqrt(max(np.ones(len(G)) @ G @ np.ones(len(G)) / len(G), 1e-300))
    F = lambda x: x @ G @ x / 2 - np.log(x).sum() if np.all(x > 0) else np.inf
    for _ in range(500):
        g = G @ a - 1 / a
        s = -np.linalg.solve(G + np.diag(1 / a ** 2), g)
        if -(g @ s) < 1e-30:
            break
        t = 1.0
        while F(a + t * s) > F(a) + 0.25 * t * (g @ s):
            t /= 2
        a = a + t * s
    return a


def nash_mtl(grads, prvs_alpha=None, optim_niter=20):
    G = grads @ grads.T
    nf = np.linalg.norm(G)
    Gn = G / nf
    alpha_t = np.ones(len(G)) if prvs_alpha is None else prvs_alpha
    start = 1.5 * _nash_fixed_point(G)
    for _ in range(optim_niter):
        c = Gn.sum(0) + (1 / alpha_t + (1 / (Gn @ alpha_t)) @ Gn) / nf
        new = _barrier_subproblem(c, Gn, nf, start)
        if (new is None or np.linalg.norm(Gn @ alpha_t - 1 / (alpha_t + 1e-10)) < 1e-3
                or np.linalg.norm(new - alpha_t) < 1e-6):
            break
        alpha_t = new
    return alpha_t, nf


# --- GradNorm.py (epochs >= 1; loss_scale starts at ones): weights = T softmax(loss_scale),
# G_t = ||w_t g_t||, L_grad = sum |G_t - (mean(G) r_t^alpha).detach()|, r_t = (L_t/L_t(0)) / mean.
# Its gradient with respect to the weights and, through the softmax, to loss_scale; then one step of
# torch's Adam (the model's optimiser, betas 0.9/0.999, eps 1e-8) on loss_scale.
def gradnorm_first_step(grads, losses, initial_losses, alpha=1.5, lr=1e-3):
    T = len(grads)
    logits = np.ones(T)
    p = np.exp(logits) / np.exp(logits).sum()
    w = T * p
    norms = np.linalg.norm(grads, axis=1)
    G_per = w * norms
    ratio = losses / initial_losses
    target = G_per.mean() * (ratio / ratio.mean()) ** alpha
    dw = np.sign(G_per - target) * norms
    jac = T * (np.diag(p) - np.outer(p, p))  # d w_t / d logit_s
    dlogits = jac.T @ dw
    m_hat, v_hat = dlogits, dlogits ** 2  # first Adam step, bias-corrected
    logits = logits - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
    p = np.exp(logits) / np.exp(logits).sum()
    return w, dw, dlogits, T * p


def gradients(seed, tasks, dim):
    rng = np.random.default_rng(seed)
    common = rng.standard_normal(dim)
    return rng.standard_normal((tasks, dim)) + 0.5 * common, rng


def cases():
    out = []
    seed = 1600
    for tasks in (2, 3, 5):
        for dim in (16, 64):
            seed += 1
            g, rng = gradients(seed, tasks, dim)
            out.append((f"t{tasks}-d{dim}", seed, g, rng))
    seed += 1
    rng = np.random.default_rng(seed)
    g1 = rng.standard_normal(16)
    out.append(("conflicting-pair-d16", seed, np.array([g1, -0.9 * g1 + 0.3 * rng.standard_normal(16)]), rng))
    seed += 1
    rng = np.random.default_rng(seed)
    g1, g2 = rng.standard_normal(16), rng.standard_normal(16)
    out.append(("rank-deficient-t3-d16", seed, np.array([g1, g2, 0.5 * g1 + 0.7 * g2]), rng))
    return out


def main():
    result = {"libmtl": LIBMTL_COMMIT, "generator": "src/test/resources/weighting/make_reference.py",
              "cases": []}
    for name, seed, g, rng in cases():
        T = len(g)
        losses = rng.uniform(0.5, 2.0, T)
        initial = losses * rng.uniform(1.0, 2.0, T)
        orders = [list(map(int, rng.permutation(T))) for _ in range(T)]
        case = {"name": name, "seed": seed, "gradients": g.tolist(), "losses": losses.tolist()}
        case["pcgrad"] = {"orders": orders, "update": pcgrad(g, orders).tolist()}
        case["cagrad"] = {"calpha": 0.5, "rescale": 1, "update": cagrad(g).tolist(),
                          "update_ftol_1e-12": cagrad(g, ftol=1e-12).tolist()}
        case["mgda"] = {}
        for gn in ("none", "loss+"):
            sol, d = mgda(g, losses, gn)
            sol_tight, d_tight = mgda(g, losses, gn, stop_crit=1e-10)
            case["mgda"][gn] = {"alpha": sol.tolist(), "update": d.tolist(),
                                "alpha_stop_1e-10": sol_tight.tolist(), "update_stop_1e-10": d_tight.tolist()}
        if T > 1:
            alpha, d = imtl(g)
            case["imtl"] = {"alpha": alpha.tolist(), "update": d.tolist()}
        alpha, d = aligned_mtl(g)
        case["aligned_mtl"] = {"alpha": alpha.tolist(), "update": d.tolist()}
        alpha, nf = nash_mtl(g)
        G = g @ g.T
        case["nash_mtl"] = {"alpha": alpha.tolist(), "normalization_factor": float(nf),
                            "max_abs_alpha_Galpha_minus_1": float(np.abs(alpha * (G @ alpha) - 1).max())}
        w, dw, dlogits, after = gradnorm_first_step(g, losses, initial)
        case["gradnorm"] = {"alpha": 1.5, "lr": 1e-3, "initial_losses": initial.tolist(), "weights": w.tolist(),
                            "d_loss_d_weights": dw.tolist(), "d_loss_d_logits": dlogits.tolist(),
                            "weights_after_one_step": after.tolist()}
        result["cases"].append(case)
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
