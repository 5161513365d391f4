#!/usr/bin/env python3
"""Independent float64 reference trajectories for tests/train/optim (claimcheck::train::optim).

Run with Debian's interpreter (numpy 1.24; no torch, so nothing is shared with the C++ side):

    /usr/bin/python3 tests/train/optim/reference/optim_reference.py

It rewrites optim_reference.json next to this file. Every case minimises the same kind of toy
objective, a sum of least-squares terms, one per parameter tensor theta_k (2-D or 1-D), plus a
linear term that changes every step s (a stand-in for minibatch noise):

    F_s(theta) = offset + sum_k [ 1/2 * || A_k @ theta_k - B_k ||_F^2 + <C_ks, theta_k> ]
    grad_k     = A_k^T (A_k theta_k - B_k) + C_ks

from fixed inputs drawn here (numpy default_rng) and written to the JSON, and records the
parameters after every step. The noise matters for SOAP: its first step does not move the
parameters, so without it the second gradient would equal the first, whose projection onto its
own eigenbases is diagonal (its SVD), and Adam would normalise rounding noise off the diagonal. Each update rule is written from its source, not from the C++:
  * adam / adamw: torch.optim.Adam (L2 added to the gradient) / torch.optim.AdamW (decoupled);
  * sgdm: torch.optim.SGD(momentum, nesterov) whose state['momentum_buffer'] was pre-filled, as
    evasilverstein/symmetry-breaking-files gelu_ablation/code/train_gpt_gelu_ablation.py does;
  * muon: KellerJordan/Muon muon.py (muon_update, zeropower_via_newtonschulz5,
    SingleDeviceMuonWithAuxAdam's adam_update) in float64;
  * ecd: ECD_q1_scaled.step of symmetry-breaking-files paper_code/ecd_symbreak/optimizer.py,
    line by line (nu = 0, weight_decay = 0);
  * soap: nikhilvyas/SOAP soap.py (commit f42d296, the published algorithm) line by line: the
    projected exp_avg is rotated back and forth at every preconditioner update, exactly as there.
"""

import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_reference.json")


# ------------------------------------------------------------------ objective and case builder
def make_problem(rng, shapes, rows_extra=2, scale=1.0):
    """Initial parameters and one least-squares term per parameter."""
    params, a_mats, b_mats = [], [], []
    for shape in shapes:
        n = shape[0]
        m = n + rows_extra
        params.append(rng.standard_normal(shape) * scale)
        a_mats.append(rng.standard_normal((m, n)) / np.sqrt(m))
        b_mats.append(rng.standard_normal((m,) + tuple(shape[1:])))
    return params, a_mats, b_mats


def loss_and_grads(params, a_mats, b_mats, c_mats, offset):
    loss = offset
    grads = []
    for theta, a, b, c in zip(params, a_mats, b_mats, c_mats):
        r = a @ theta - b
        loss += 0.5 * float(np.sum(r * r)) + float(np.sum(c * theta))
        grads.append(a.T @ r + c)
    return loss, grads


def tensor(x):
    x = np.asarray(x, dtype=np.float64)
    return {"shape": list(x.shape), "data": [float(v) for v in x.reshape(-1)]}


def run_case(name, type_, lr, options, groups, shapes, steps, update, seed, offset=0.0,
             extra=None, note=""):
    """Runs `update` (a closure over its own state) for `steps` steps and records the path."""
    rng = np.random.default_rng(seed)
    params, a_mats, b_mats = make_problem(rng, shapes)
    noise = [[0.5 * rng.standard_normal(p.shape) for p in params] for _ in range(steps)]
    initial = [p.copy() for p in params]
    state = {} if extra is None else dict(extra(rng, params))
    expected, losses = [], []
    for step in range(steps):
        loss, grads = loss_and_grads(params, a_mats, b_mats, noise[step], offset)
        losses.append(loss)
        update(params, grads, loss, state)
        expected.append([tensor(p) for p in params])
    case = {
        "name": name, "type": type_, "lr": lr, "options": options, "groups": groups,
        "offset": offset, "params": [tensor(p) for p in initial],
        "A": [tensor(a) for a in a_mats], "B": [tensor(b) for b in b_mats],
        "C": [[tensor(c) for c in step] for step in noise],
        "losses": losses, "expected": expected, "note": note,
    }
    if "initial_velocity" in state:
        case["initial_velocity"] = [tensor(v) for v in state["initial_velocity"]]
    return case


# ------------------------------------------------------------------ adam / adamw (torch.optim)
def adam(lr, betas, eps, weight_decay, decoupled):
    b1, b2 = betas

    def update(params, grads, loss, state):
        state["t"] = state.get("t", 0) + 1
        t = state["t"]
        m = state.setdefault("m", [np.zeros_like(p) for p in params])
        v = state.setdefault("v", [np.zeros_like(p) for p in params])
        for k, (p, g) in enumerate(zip(params, grads)):
            if decoupled:
                p *= 1 - lr * weight_decay
            else:
                g = g + weight_decay * p
            m[k] = b1 * m[k] + (1 - b1) * g
            v[k] = b2 * v[k] + (1 - b2) * g * g
            denom = np.sqrt(v[k]) / np.sqrt(1 - b2**t) + eps
            p -= lr / (1 - b1**t) * m[k] / denom

    return update


# ------------------------------------------------------------------ sgdm (torch.optim.SGD)
def sgdm(lr, momentum, nesterov, weight_decay):
    def update(params, grads, loss, state):
        buf = state["buffers"]
        for k, (p, g) in enumerate(zip(params, grads)):
            g = g + weight_decay * p
            buf[k] = momentum * buf[k] + g  # dampening 0; the buffer exists from the start
            d = g + momentum * buf[k] if nesterov else buf[k]
            p -= lr * d

    return update


def velocity(std):
    def extra(rng, params):
        v0 = [rng.standard_normal(p.shape) * std for p in params]
        return {"initial_velocity": v0, "buffers": [v.copy() for v in v0]}

    return extra


# ------------------------------------------------------------------ muon (KellerJordan/Muon)
NS_A, NS_B, NS_C = 3.4445, -4.7750, 2.0315


def zeropower_via_newtonschulz5(g, steps):
    x = g.copy()
    tall = g.shape[0] > g.shape[1]
    if tall:
        x = x.T
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        a = x @ x.T
        b = NS_B * a + NS_C * a @ a
        x = NS_A * x + b @ x
    return x.T if tall else x


def muon(lr, opts, groups):
    mom, nesterov, ns_steps = opts["momentum"], opts["nesterov"], opts["ns_steps"]
    wd = opts["weight_decay"]
    adam_lr = {"embeddings": opts["embedding_lr"], "head": opts["head_lr"],
               "vectors": opts["vector_lr"]}
    b1, b2 = opts["adam_betas"]
    eps, adam_wd = opts["adam_eps"], opts["adam_weight_decay"]

    def update(params, grads, loss, state):
        state["t"] = state.get("t", 0) + 1
        t = state["t"]
        buf = state.setdefault("buf", [np.zeros_like(p) for p in params])
        m = state.setdefault("m", [np.zeros_like(p) for p in params])
        v = state.setdefault("v", [np.zeros_like(p) for p in params])
        for k in groups["matrices"]:
            g = grads[k]
            buf[k] = buf[k] + (1 - mom) * (g - buf[k])  # lerp_(grad, 1 - beta)
            u = g + mom * (buf[k] - g) if nesterov else buf[k]  # grad.lerp_(momentum, beta)
            u = zeropower_via_newtonschulz5(u, ns_steps)
            u = u * max(1, g.shape[0] / g.shape[1]) ** 0.5
            params[k] *= 1 - lr * wd
            params[k] -= lr * u
        for group, group_lr in adam_lr.items():
            for k in groups[group]:
                g = grads[k]
                m[k] = m[k] + (1 - b1) * (g - m[k])
                v[k] = v[k] + (1 - b2) * (g * g - v[k])
                upd = (m[k] / (1 - b1**t)) / (np.sqrt(v[k] / (1 - b2**t)) + eps)
                params[k] *= 1 - group_lr * adam_wd
                params[k] -= group_lr * upd

    return update


# ------------------------------------------------------------------ ecd (ECD_q1_scaled, nu = 0)
def ecd(lr, eta, f0, eps1=1e-10, eps2=1e-40):
    def update(params, grads, loss, state):
        if state.get("iteration", 0) == 0:
            state["dim"] = sum(p.size for p in params)
            momenta = [-g.copy() for g in grads]
            p2init = sum(float(np.linalg.norm(p)) ** 2 for p in momenta)
            state["momenta"] = [p * np.sqrt(1 / p2init) for p in momenta]
            state["p2"] = 1.0
            state["lr"] = lr / np.sqrt(eta)
        if loss - f0 > eps2:
            p2 = state["p2"]
            coef = 1.0 if abs(1 - p2) < eps1 or p2 == 0 else np.sqrt(1 / p2)
            dim, lr_s = state["dim"], state["lr"]
            new_p2 = 0.0
            for k, g in enumerate(grads):
                p = state["momenta"][k] * coef
                prefactor = -0.5 * lr_s * eta * dim / (dim - 1)
                dotp = float(np.dot(p.reshape(-1), g.reshape(-1)))  # per tensor, as the source
                p = p + (prefactor / (loss - f0)) * (g - p * dotp)
                state["momenta"][k] = p
                new_p2 += float(np.linalg.norm(p)) ** 2
            pnorm = np.sqrt(new_p2)
            p2new = 0.0
            for k, theta in enumerate(params):
                theta += lr_s * state["momenta"][k]
                state["momenta"][k] = state["momenta"][k] / pnorm + 0.0  # nu = 0: no noise
                p2new += float(np.dot(state["momenta"][k].reshape(-1),
                                      state["momenta"][k].reshape(-1)))
            for k in range(len(params)):
                state["momenta"][k] = pnorm * state["momenta"][k] / np.sqrt(p2new)
            state["p2"] = pnorm**2
            state["iteration"] = state.get("iteration", 0) + 1

    return update


# ------------------------------------------------------------------ soap (nikhilvyas/SOAP f42d296)
def soap(lr, betas, eps, weight_decay, freq, max_dim):
    b1, b2 = betas
    shampoo_beta = b2

    def project(x, q_list):
        for q in q_list:
            if q is not None:
                x = np.tensordot(x, q, axes=([0], [0]))
            else:
                x = np.transpose(x, list(range(1, x.ndim)) + [0])
        return x

    def project_back(x, q_list):
        for q in q_list:
            if q is not None:
                x = np.tensordot(x, q, axes=([0], [1]))
            else:
                x = np.transpose(x, list(range(1, x.ndim)) + [0])
        return x

    def eigenbases(gg):
        out = []
        for m in gg:
            if m is None:
                out.append(None)
                continue
            _, q = np.linalg.eigh(m + 1e-30 * np.eye(m.shape[0]))
            out.append(np.flip(q, axis=1))
        return out

    def qr_refresh(st):
        exp_avg_sq = st["exp_avg_sq"]
        final = []
        for ind, (m, o) in enumerate(zip(st["GG"], st["Q"])):
            if m is None:
                final.append(None)
                continue
            est_eig = np.diag(o.T @ m @ o)
            sort_idx = np.argsort(-est_eig, kind="stable")
            exp_avg_sq = np.take(exp_avg_sq, sort_idx, axis=ind)
            o = o[:, sort_idx]
            q, _ = np.linalg.qr(m @ o)
            final.append(q)
        st["exp_avg_sq"] = exp_avg_sq
        return final

    def update_preconditioner(g, st):
        if st["Q"] is not None:
            st["exp_avg"] = project_back(st["exp_avg"], st["Q"])
        if g.ndim >= 2:
            for idx in range(g.ndim):
                if st["GG"][idx] is not None:
                    axes = [i for i in range(g.ndim) if i != idx]
                    outer = np.tensordot(g, g, axes=(axes, axes))
                    st["GG"][idx] = st["GG"][idx] + (1 - shampoo_beta) * (outer - st["GG"][idx])
        if st["Q"] is None:
            st["Q"] = eigenbases(st["GG"])
        if st["step"] > 0 and st["step"] % freq == 0:
            st["Q"] = qr_refresh(st)
        if st["step"] > 0:
            st["exp_avg"] = project(st["exp_avg"], st["Q"])

    def update(params, grads, loss, state):
        for k, (p, g) in enumerate(zip(params, grads)):
            st = state.setdefault(k, None)
            if st is None:
                st = {"step": 0, "exp_avg": np.zeros_like(g), "exp_avg_sq": np.zeros_like(g)}
                # 1-D: no preconditioner (precondition_1d = False); 2-D: one per dim <= max_dim.
                st["GG"] = [None] if g.ndim == 1 else [
                    np.zeros((s, s)) if s <= max_dim else None for s in g.shape]
                st["Q"] = None
                state[k] = st
                update_preconditioner(g, st)
                continue  # the first step only initialises
            g_proj = project(g, st["Q"])
            st["step"] += 1
            st["exp_avg"] = st["exp_avg"] * b1 + (1 - b1) * g_proj
            st["exp_avg_sq"] = st["exp_avg_sq"] * b2 + (1 - b2) * g_proj**2
            denom = np.sqrt(st["exp_avg_sq"]) + eps
            step_size = lr * np.sqrt(1 - b2 ** st["step"]) / (1 - b1 ** st["step"])
            norm_grad = project_back(st["exp_avg"] / denom, st["Q"])
            p -= step_size * norm_grad
            if weight_decay > 0:
                p -= lr * weight_decay * p
            update_preconditioner(g, st)

    return update


# ------------------------------------------------------------------ the cases
def groups_of(n, **named):
    g = {"matrices": [], "embeddings": [], "head": [], "vectors": []}
    g.update(named)
    assert sorted(sum(g.values(), [])) == list(range(n))
    return g


def main():
    cases = []
    wb = [(3, 4), (4,)]  # a matrix and a vector
    wb_groups = groups_of(2, matrices=[0], vectors=[1])

    cases.append(run_case("adam_l2", "adam", 0.05,
                          {"betas": [0.9, 0.99], "eps": 1e-8, "weight_decay": 0.1}, wb_groups, wb,
                          6, adam(0.05, (0.9, 0.99), 1e-8, 0.1, decoupled=False), seed=1))
    cases.append(run_case("adamw", "adamw", 0.05, {"weight_decay": 0.1}, wb_groups, wb, 6,
                          adam(0.05, (0.9, 0.999), 1e-8, 0.1, decoupled=True), seed=2))

    cases.append(run_case("sgdm_nesterov", "sgdm", 0.05, {"momentum": 0.9}, wb_groups, wb, 6,
                          sgdm(0.05, 0.9, True, 0.0), seed=3, extra=velocity(0.1)))
    cases.append(run_case("sgdm_plain_wd", "sgdm", 0.05,
                          {"nesterov": False, "weight_decay": 0.01, "init_velocity_std": 0.3},
                          wb_groups, wb, 6, sgdm(0.05, 0.95, False, 0.01), seed=4,
                          extra=velocity(0.3)))

    # Muon: a wide and a tall block matrix (transpose path and the sqrt(rows/cols) scale), an
    # embedding, an untied head and a vector, each AdamW group at its own lr.
    muon_shapes = [(3, 5), (6, 3), (7, 3), (3, 7), (3,)]
    muon_groups = groups_of(5, matrices=[0, 1], embeddings=[2], head=[3], vectors=[4])
    muon_opts = {"momentum": 0.95, "nesterov": True, "ns_steps": 5, "weight_decay": 0.1,
                 "embedding_lr": 0.1, "head_lr": 0.01, "vector_lr": 0.05,
                 "adam_betas": [0.8, 0.95], "adam_eps": 1e-10, "adam_weight_decay": 0.01}
    cases.append(run_case("muon", "muon", 0.02, muon_opts, muon_groups, muon_shapes, 6,
                          muon(0.02, muon_opts, muon_groups), seed=5))
    plain = dict(muon_opts, nesterov=False, momentum=0.9, ns_steps=3, weight_decay=0.0)
    cases.append(run_case("muon_plain_momentum", "muon", 0.05, plain, muon_groups, muon_shapes, 5,
                          muon(0.05, plain, muon_groups), seed=6))

    # ECD: offset keeps F well above F0 on this path (no skipped step; skipping is unit-tested).
    cases.append(run_case("ecd", "ecd", 0.5, {"eta": 10.0, "F0": 0.5}, wb_groups, wb, 8,
                          ecd(0.5, 10.0, 0.5), seed=7, offset=1.0))
    cases.append(run_case("ecd_defaults", "ecd", 1.0, {}, wb_groups, wb, 8, ecd(1.0, 100.0, 2.0),
                          seed=8, offset=3.0))

    # SOAP: a square matrix (both sides preconditioned), a 5x3 one whose 5 > max_precond_dim
    # (only the right side), and a vector (plain Adam). Refresh every step, then the default 10.
    soap_shapes = [(4, 4), (5, 3), (3,)]
    soap_groups = groups_of(3, matrices=[0, 1], vectors=[2])
    cases.append(run_case("soap_refresh_every_step", "soap", 0.01,
                          {"precondition_frequency": 1, "max_precond_dim": 4},
                          soap_groups, soap_shapes, 8,
                          soap(0.01, (0.95, 0.95), 1e-8, 0.01, 1, 4), seed=9))
    cases.append(run_case("soap_refresh_every_10", "soap", 0.01,
                          {"betas": [0.9, 0.95], "weight_decay": 0.0, "max_precond_dim": 4},
                          soap_groups, soap_shapes, 13,
                          soap(0.01, (0.9, 0.95), 1e-8, 0.0, 10, 4), seed=10))

    with open(OUT, "w") as f:
        provenance = {"script": "tests/train/optim/reference/optim_reference.py",
                      "numpy": np.__version__}
        json.dump({"provenance": provenance, "cases": cases}, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
