#!/usr/bin/python3
"""Golden-value generator for Hfpl (WACV 2024 "High-fidelity Pseudo-labels ...").

A LITERAL transcription of /work/shared/docs/method.md (sections 1 and 2): dense pairwise
matrices, autograd for every gradient, float64 everywhere.  No cleverness on purpose: this
is the reference the .NET implementation is tested against.

Run with Debian's interpreter (needs the Debian package python3-torch, torch 1.13):

    /usr/bin/python3 tests/golden/generate_golden.py

Writes tests/golden/data/*.json (see tests/golden/README.md for the schema).
Every self-check is an `assert`; the script fails loudly if one does not hold.
"""

import json
import math
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # deterministic summation order, light on the shared machine

GENERATOR = "tests/golden/generate_golden.py"
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
DT = torch.float64


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def rand(g, *shape):
    return torch.rand(*shape, generator=g, dtype=DT)


def randn(g, *shape):
    return torch.randn(*shape, generator=g, dtype=DT)


# --------------------------------------------------------------------------------------
# JSON output: tensors as {"shape": [...], "data": [flat row-major]}, floats via repr
# (Python's json uses float.__repr__, i.e. the shortest string that round-trips float64).
# --------------------------------------------------------------------------------------

def tensor_json(t):
    t = t.detach().to(DT).contiguous()
    assert torch.isfinite(t).all(), "non-finite value in golden output"
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def scalar_json(t):
    v = float(t.detach()) if torch.is_tensor(t) else float(t)
    assert math.isfinite(v), "non-finite scalar in golden output"
    return v


def _dump(obj, indent, level):
    pad = " " * (indent * level)
    pad1 = " " * (indent * (level + 1))
    if isinstance(obj, dict):
        if "shape" in obj and "data" in obj:  # a tensor: one line
            return json.dumps(obj, separators=(",", ":"), allow_nan=False)
        items = [pad1 + json.dumps(k) + ": " + _dump(v, indent, level + 1) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        items = [pad1 + _dump(v, indent, level + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, separators=(",", ":"), allow_nan=False)


def write_json(filename, cases):
    doc = {"generator": GENERATOR, "torch": torch.__version__, "cases": cases}
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, filename)
    text = _dump(doc, 1, 0) + "\n"
    json.loads(text)  # must parse back
    with open(path, "w") as fh:
        fh.write(text)
    print(f"wrote {path} ({len(text)} bytes, {len(cases)} cases)")


def close(a, b, rtol=1e-12, atol=1e-14):
    return torch.allclose(torch.as_tensor(a, dtype=DT), torch.as_tensor(b, dtype=DT), rtol=rtol, atol=atol)


# ======================================================================================
# 2. Feature similarity loss (docs/method.md section 2)
# ======================================================================================

def fsl_pairwise(f, u, variant, mu, sigma, px, py, radius):
    """Dense pairwise matrices of docs/method.md section 2 over ORDERED pairs (i, j) of grid cells.

    f: (B, Cx, h, w) features (no gradient), u: (B, Cy, h, w) predictions.
    Returns dict with d_x, w, d_y, k, mask as (B, N, N) / (N, N) tensors, N = h*w,
    cells flattened row-major (i = row*w + col).
    """
    assert variant in ("binomial", "multinomial")
    B, Cx, h, w = f.shape
    Bu, Cy, hu, wu = u.shape
    assert (B, h, w) == (Bu, hu, wu)
    N = h * w
    # The reference loss clamps its features to [0, 1] itself, before anything else.
    f = torch.clamp(f.detach(), 0.0, 1.0)
    fi = f.reshape(B, Cx, N).permute(0, 2, 1)  # (B, N, Cx)
    ui = u.reshape(B, Cy, N).permute(0, 2, 1)  # (B, N, Cy)

    # feature distance d_x = clamp(||f_i - f_j||_px / norm, 0, 1)
    fdiff = fi[:, :, None, :] - fi[:, None, :, :]  # (B, N, N, Cx)
    fnorm = (fdiff.abs() ** px).sum(-1) ** (1.0 / px)
    if variant == "binomial":
        denom = float(Cx) ** (1.0 / px)
    else:
        denom = float(Cx)
    d_x_raw = fnorm / denom
    d_x = torch.clamp(d_x_raw, 0.0, 1.0)

    # feature weight w = tanh(mu + log((d_x + 1e-5) / (1 - d_x + 1e-5)))  -- literally
    a = d_x + 1e-5
    b = 1.0 - d_x + 1e-5
    w_ij = torch.tanh(mu + torch.log(a / b))

    # prediction distance
    udiff = ui[:, :, None, :] - ui[:, None, :, :]  # (B, N, N, Cy)
    if variant == "binomial":
        d_y = 0.5 * (udiff.abs() ** py).sum(-1)
    else:
        # (||u_i - u_j||_py)^2.  For py == 2 this is exactly sum_c (u_ic - u_jc)^2.  For other py
        # the outer power 2/py is not differentiable by autograd at s = 0 (i == j, equal
        # predictions) although the function is (its derivative there is 0); use the
        # double-where trick so autograd returns that 0 instead of NaN.
        if py == 2:
            d_y = (udiff ** 2).sum(-1)
        else:
            s = (udiff.abs() ** py).sum(-1)
            pos = s > 0
            s_safe = torch.where(pos, s, torch.ones_like(s))
            d_y = torch.where(pos, s_safe ** (2.0 / py), torch.zeros_like(s))

    # spatial kernel on grid positions (row, col)
    rows = torch.arange(h, dtype=DT).repeat_interleave(w)  # (N,)
    cols = torch.arange(w, dtype=DT).repeat(h)
    dist2 = (rows[:, None] - rows[None, :]) ** 2 + (cols[:, None] - cols[None, :]) ** 2  # (N, N)
    if sigma is None:
        k = torch.full((N, N), 1.0 / (h * w), dtype=DT)
    else:
        k = torch.exp(-dist2 / (2.0 * sigma ** 2)) / (2.0 * math.pi * sigma ** 2)
    if radius is None:
        mask = torch.ones((N, N), dtype=DT)
    else:
        # square window: at most `radius` cells apart along each axis (Chebyshev distance)
        cheb = torch.maximum((rows[:, None] - rows[None, :]).abs(), (cols[:, None] - cols[None, :]).abs())
        mask = (cheb <= float(radius)).to(DT)

    return {"d_x_raw": d_x_raw, "d_x": d_x, "a": a, "b": b, "w": w_ij, "d_y": d_y,
            "k": k, "mask": mask, "dist2": dist2}


def fsl(f, u, variant, mu, sigma, px, py, radius):
    """L_FS = -(1/(B h w)) sum_b sum_i sum_j k_ij d_y w_ij (ordered pairs, windowed by radius)."""
    B, _, h, w = f.shape
    m = fsl_pairwise(f, u, variant, mu, sigma, px, py, radius)
    terms = (m["k"] * m["mask"])[None] * m["d_y"] * m["w"]  # (B, N, N)
    return -terms.sum() / (B * h * w), m, terms


def fsl_naive(f, u, variant, mu, sigma, px, py, radius):
    """Scalar Python-loop transcription (independent of the tensor code), for tiny cases."""
    B, Cx, h, w = f.shape
    Cy = u.shape[1]
    f = torch.clamp(f, 0.0, 1.0).tolist()  # the loss clamps its features itself
    u = u.detach().tolist()
    total = 0.0
    for bb in range(B):
        for ri in range(h):
            for ci in range(w):
                for rj in range(h):
                    for cj in range(w):
                        d2 = (ri - rj) ** 2 + (ci - cj) ** 2
                        if radius is not None and max(abs(ri - rj), abs(ci - cj)) > radius:
                            continue
                        nx = sum(abs(f[bb][c][ri][ci] - f[bb][c][rj][cj]) ** px for c in range(Cx)) ** (1.0 / px)
                        dx = nx / (Cx ** (1.0 / px) if variant == "binomial" else Cx)
                        dx = min(max(dx, 0.0), 1.0)
                        wij = math.tanh(mu + math.log((dx + 1e-5) / (1 - dx + 1e-5)))
                        sy = sum(abs(u[bb][c][ri][ci] - u[bb][c][rj][cj]) ** py for c in range(Cy))
                        dy = 0.5 * sy if variant == "binomial" else (sy ** (1.0 / py)) ** 2
                        kij = 1.0 / (h * w) if sigma is None else \
                            math.exp(-d2 / (2 * sigma ** 2)) / (2 * math.pi * sigma ** 2)
                        total += kij * dy * wij
    return -total / (B * h * w)


def fsl_case(name, variant, shape, cy, mu, sigma, px, py, radius, features, predictions,
             check_naive=False, check_gradcheck=False):
    B, Cx, h, w = shape
    assert features.shape == (B, Cx, h, w) and predictions.shape == (B, cy, h, w)
    u = predictions.clone().requires_grad_(True)
    loss, m, terms = fsl(features, u, variant, mu, sigma, px, py, radius)
    (grad,) = torch.autograd.grad(loss, u)

    # --- self-checks ---
    assert torch.isfinite(loss) and torch.isfinite(grad).all()
    # d_x in [0,1] after clamp
    assert (m["d_x"] >= 0).all() and (m["d_x"] <= 1).all()
    # tanh identity: tanh(mu + log(a/b)) = (e^(2mu) a^2 - b^2) / (e^(2mu) a^2 + b^2)
    e2 = math.exp(2 * mu)
    ident = (e2 * m["a"] ** 2 - m["b"] ** 2) / (e2 * m["a"] ** 2 + m["b"] ** 2)
    assert close(m["w"], ident, rtol=1e-10, atol=1e-12), "tanh identity"
    # w in (-1, 1], -> -1 for identical colours
    assert (m["w"] >= -1).all() and (m["w"] <= 1).all()
    # ordered-pair sum is symmetric: the pairwise matrix is symmetric, diagonal is 0
    with torch.no_grad():
        T = terms.detach()
        # (equal up to rounding: the channel sums are reduced in a position-dependent order)
        assert close(T, T.transpose(1, 2), rtol=1e-13, atol=1e-17), "pairwise matrix not symmetric"
        assert torch.equal(torch.diagonal(m["d_y"], dim1=1, dim2=2), torch.zeros(B, h * w))
        upper = torch.triu(T, diagonal=1).sum()
        assert close(T.sum(), 2 * upper, rtol=1e-12, atol=1e-15), "ordered sum != 2 * unordered sum"
    # windowed with radius >= grid diagonal equals unwindowed
    big_r = math.ceil(math.sqrt((h - 1) ** 2 + (w - 1) ** 2))
    with torch.no_grad():
        l_nowin, _, _ = fsl(features, predictions, variant, mu, sigma, px, py, None)
        l_bigwin, _, _ = fsl(features, predictions, variant, mu, sigma, px, py, big_r)
        assert close(l_nowin, l_bigwin, rtol=1e-14, atol=0), "radius >= diagonal must equal unwindowed"
        if radius is None:
            assert close(l_nowin, loss, rtol=1e-14, atol=0)
        else:
            assert float(l_nowin) != float(loss), "window should have removed some pairs"
    # py = 2 binomial: sum_ij A_ij 0.5 |u_i - u_j|^2 = sum_i d_i |u_i|^2 - sum_ij A_ij u_i.u_j
    if variant == "binomial" and py == 2:
        with torch.no_grad():
            A = (m["k"] * m["mask"])[None] * m["w"]  # (B, N, N)
            U = predictions.reshape(B, cy, h * w).permute(0, 2, 1)  # (B, N, Cy)
            lhs = (A * 0.5 * ((U[:, :, None, :] - U[:, None, :, :]) ** 2).sum(-1)).sum((1, 2))
            d = A.sum(2)
            rhs = (d * (U ** 2).sum(-1)).sum(1) - (A * (U @ U.transpose(1, 2))).sum((1, 2))
            assert close(lhs, rhs, rtol=1e-10, atol=1e-13), "Laplacian identity (py=2)"
    # analytic gradient, binomial, py = 2: dL/du_i = -(1/(Bhw)) * 2 * sum_j A_ij (u_i - u_j)
    if variant == "binomial" and py == 2:
        with torch.no_grad():
            A = (m["k"] * m["mask"])[None] * m["w"]
            U = predictions.reshape(B, cy, h * w).permute(0, 2, 1)
            gU = -(2.0 / (B * h * w)) * (A.sum(2)[:, :, None] * U - A @ U)
            g_an = gU.permute(0, 2, 1).reshape(B, cy, h, w)
            assert close(grad, g_an, rtol=1e-10, atol=1e-14), "analytic gradient (py=2)"
    if check_naive:
        ln = fsl_naive(features, predictions, variant, mu, sigma, px, py, radius)
        assert close(loss, ln, rtol=1e-11, atol=1e-14), f"naive loop mismatch {float(loss)} vs {ln}"
    if check_gradcheck:
        assert torch.autograd.gradcheck(
            lambda uu: fsl(features, uu, variant, mu, sigma, px, py, radius)[0],
            (predictions.clone().requires_grad_(True),), eps=1e-6, atol=1e-7, rtol=1e-5)
    assert grad.abs().max() > 0, "gradient identically zero"

    return {
        "name": name,
        "variant": variant,
        "mu": mu,
        "sigma": sigma,
        "px": px,
        "py": py,
        "radius": radius,
        "features": tensor_json(features),
        "predictions": tensor_json(predictions),
        "loss": scalar_json(loss),
        "grad_predictions": tensor_json(grad),
    }


def block_features(g, B, Cx, h, w, layout):
    """Piecewise-constant colour regions: layout (h, w) of region ids -> palette colours."""
    n_regions = int(layout.max()) + 1
    out = torch.empty(B, Cx, h, w, dtype=DT)
    for bb in range(B):
        palette = rand(g, n_regions, Cx)
        palette[0] = 0.0          # black region
        if n_regions > 1:
            palette[1] = 1.0      # white region (d_x = 1 exactly against black)
        out[bb] = palette[layout].permute(2, 0, 1)
    return out


def build_fsl_cases():
    g = gen(1001)
    cases = []

    def U(*s):
        return rand(g, *s)

    # --- binomial, uniform features ---
    cases.append(fsl_case("binomial_1x3x4x5_cy2_sigma5_px1_py2", "binomial", (1, 3, 4, 5), 2,
                          2.5, 5.0, 1, 2, None, U(1, 3, 4, 5), U(1, 2, 4, 5),
                          check_naive=True, check_gradcheck=True))
    cases.append(fsl_case("binomial_2x3x5x6_cy4_sigma1.5_px2_py2", "binomial", (2, 3, 5, 6), 4,
                          2.5, 1.5, 2, 2, None, U(2, 3, 5, 6), U(2, 4, 5, 6), check_naive=True))
    cases.append(fsl_case("binomial_3x3x7x7_cy2_nosigma_px1_py2", "binomial", (3, 3, 7, 7), 2,
                          2.5, None, 1, 2, None, U(3, 3, 7, 7), U(3, 2, 7, 7)))
    cases.append(fsl_case("binomial_1x3x4x5_cy4_sigma5_px1_py1", "binomial", (1, 3, 4, 5), 4,
                          2.5, 5.0, 1, 1, None, U(1, 3, 4, 5), U(1, 4, 4, 5), check_naive=True))
    cases.append(fsl_case("binomial_2x3x5x6_cy2_sigma1.5_px2_py3", "binomial", (2, 3, 5, 6), 2,
                          2.5, 1.5, 2, 3, None, U(2, 3, 5, 6), U(2, 2, 5, 6), check_naive=True,
                          check_gradcheck=True))
    cases.append(fsl_case("binomial_1x3x5x6_cy5_sigma5_px1_py2_mu1", "binomial", (1, 3, 5, 6), 5,
                          1.0, 5.0, 1, 2, None, U(1, 3, 5, 6), U(1, 5, 5, 6), check_naive=True))
    cases.append(fsl_case("binomial_1x3x5x6_cy4_sigma1.5_px1_py2_radius1", "binomial", (1, 3, 5, 6), 4,
                          2.5, 1.5, 1, 2, 1, U(1, 3, 5, 6), U(1, 4, 5, 6), check_naive=True))
    cases.append(fsl_case("binomial_1x3x4x5_cy5_nosigma_px2_py2_radius2", "binomial", (1, 3, 4, 5), 5,
                          2.5, None, 2, 2, 2, U(1, 3, 4, 5), U(1, 5, 4, 5), check_naive=True))

    # --- binomial, piecewise-constant colour regions ---
    layout = torch.tensor([[0, 0, 0, 1, 1, 1],
                           [0, 0, 0, 1, 1, 1],
                           [2, 2, 3, 3, 1, 1],
                           [2, 2, 3, 3, 4, 4],
                           [2, 2, 2, 4, 4, 4]])
    cases.append(fsl_case("binomial_blocks_2x3x5x6_cy4_sigma5_px1_py2", "binomial", (2, 3, 5, 6), 4,
                          2.5, 5.0, 1, 2, None, block_features(g, 2, 3, 5, 6, layout), U(2, 4, 5, 6),
                          check_naive=True))

    # --- binomial, features outside [0,1] (-0.5 and 1.5 in all channels): the loss clamps them to 0 and 1 first ---
    levels = torch.tensor([-0.5, 0.0, 1.0, 1.5], dtype=DT)
    idx = torch.tensor([[0, 0, 1, 2, 3],
                        [0, 1, 2, 3, 3],
                        [3, 2, 1, 0, 0],
                        [3, 3, 2, 1, 0]])
    f_clamp = levels[idx][None, None].expand(1, 3, 4, 5).clone()
    cases.append(fsl_case("binomial_features_outside_unit_range_1x3x4x5_cy2_sigma5_px1_py2", "binomial",
                          (1, 3, 4, 5), 2, 2.5, 5.0, 1, 2, None, f_clamp, U(1, 2, 4, 5),
                          check_naive=True))

    # --- binomial, exactly-equal predictions at some pixels (and equal features at some) ---
    feq = U(2, 3, 5, 6)
    feq[:, :, 0, 1] = feq[:, :, 0, 0]
    ueq = U(2, 4, 5, 6)
    ueq[:, :, 0:2, 0:3] = ueq[:, :, 0:1, 0:1]   # 6 cells with identical prediction vectors
    ueq[1, :, 4, :] = ueq[1, :, 3, :]            # a whole row copied
    cases.append(fsl_case("binomial_equal_predictions_2x3x5x6_cy4_sigma5_px1_py2", "binomial",
                          (2, 3, 5, 6), 4, 2.5, 5.0, 1, 2, None, feq, ueq, check_naive=True,
                          check_gradcheck=True))

    # --- multinomial ---
    cases.append(fsl_case("multinomial_1x3x4x5_cy5_sigma5_px1_py2", "multinomial", (1, 3, 4, 5), 5,
                          2.5, 5.0, 1, 2, None, U(1, 3, 4, 5), U(1, 5, 4, 5), check_naive=True,
                          check_gradcheck=True))
    cases.append(fsl_case("multinomial_1x3x5x6_cy4_sigma1.5_px2_py2", "multinomial", (1, 3, 5, 6), 4,
                          2.5, 1.5, 2, 2, None, U(1, 3, 5, 6), U(1, 4, 5, 6), check_naive=True))
    cases.append(fsl_case("multinomial_3x3x7x7_cy2_nosigma_px1_py2", "multinomial", (3, 3, 7, 7), 2,
                          2.5, None, 1, 2, None, U(3, 3, 7, 7), U(3, 2, 7, 7)))
    # softmax-normalised predictions, as the multinomial variant actually feeds them
    cases.append(fsl_case("multinomial_softmax_2x3x5x6_cy4_sigma5_px1_py2_radius2", "multinomial",
                          (2, 3, 5, 6), 4, 2.5, 5.0, 1, 2, 2, U(2, 3, 5, 6),
                          torch.softmax(randn(g, 2, 4, 5, 6) * 2, dim=1), check_naive=True))
    cases.append(fsl_case("multinomial_1x3x4x5_cy4_sigma5_px1_py3", "multinomial", (1, 3, 4, 5), 4,
                          2.5, 5.0, 1, 3, None, U(1, 3, 4, 5), U(1, 4, 4, 5), check_naive=True,
                          check_gradcheck=True))
    cases.append(fsl_case("multinomial_1x3x4x5_cy2_sigma1.5_px2_py1_mu1", "multinomial", (1, 3, 4, 5), 2,
                          1.0, 1.5, 2, 1, None, U(1, 3, 4, 5), U(1, 2, 4, 5), check_naive=True))
    layout2 = torch.tensor([[0, 0, 1, 1, 1],
                            [0, 0, 1, 1, 1],
                            [2, 2, 2, 3, 3],
                            [2, 2, 2, 3, 3]])
    cases.append(fsl_case("multinomial_blocks_1x3x4x5_cy4_sigma5_px1_py2", "multinomial", (1, 3, 4, 5), 4,
                          2.5, 5.0, 1, 2, None, block_features(g, 1, 3, 4, 5, layout2),
                          U(1, 4, 4, 5), check_naive=True))
    # multinomial px=2 on features outside [0,1]: clamped to 0 and 1, ||1_3||_2 / 3 = 0.577 (1.155 without the clamp)
    cases.append(fsl_case("multinomial_features_outside_unit_range_1x3x4x5_cy2_sigma5_px2_py2", "multinomial",
                          (1, 3, 4, 5), 2, 2.5, 5.0, 2, 2, 1, f_clamp, U(1, 2, 4, 5),
                          check_naive=True))

    # structural checks on the special cases
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names)
    return cases


def check_special_fsl_inputs():
    """The clamp / block cases really exercise what they claim to."""
    levels = torch.tensor([-0.5, 0.0, 1.0, 1.5], dtype=DT)
    f = levels[None, None, None, :].expand(1, 3, 1, 4).clone()
    u = torch.zeros(1, 2, 1, 4)
    # features -0.5 .. 1.5 are clamped to 0 .. 1 before the distance: 2.0 and 1.155 without that clamp
    m = fsl_pairwise(f, u, "binomial", 2.5, 5.0, 1, 2, None)
    assert float(m["d_x_raw"].max()) == 1.0 and float(m["d_x"].max()) == 1.0
    m = fsl_pairwise(f, u, "multinomial", 2.5, 5.0, 2, 2, None)
    assert abs(float(m["d_x_raw"].max()) - 1 / math.sqrt(3)) < 1e-12
    # w = -1 (up to 1e-5 effects) for identical colours, 0 at d_x = 1/(1+e^mu)
    m = fsl_pairwise(torch.zeros(1, 3, 1, 2), u[..., :2], "binomial", 2.5, 5.0, 1, 2, None)
    assert float(m["w"][0, 0, 1]) < -0.999
    dx0 = 1.0 / (1.0 + math.exp(2.5))
    assert abs(math.tanh(2.5 + math.log((dx0 + 1e-5) / (1 - dx0 + 1e-5)))) < 1e-3


# ======================================================================================
# 1. Importance sampling loss (docs/method.md section 1)
# ======================================================================================

def bce_with_logits_stable(x, y):
    """max(x, 0) - x*y + log(1 + exp(-|x|)), elementwise."""
    return torch.clamp(x, min=0) - x * y + torch.log1p(torch.exp(-x.abs()))


def loss_is(samples, labels):
    B, K, S = samples.shape
    target = labels[:, :, None].expand(B, K, S)
    return bce_with_logits_stable(samples, target).mean()


def loss_gap(gap_logits, labels):
    return bce_with_logits_stable(gap_logits, labels).mean()


def isl_case(name, samples, labels, gap_logits, lambdas=(0.0, 0.2, 1.0)):
    B, K, S = samples.shape
    s = samples.clone().requires_grad_(True)
    l_is = loss_is(s, labels)
    (g_is,) = torch.autograd.grad(l_is, s)

    # self-checks
    assert torch.isfinite(l_is) and torch.isfinite(g_is).all()
    ref = F.multilabel_soft_margin_loss(samples, labels[:, :, None].expand(B, K, S))
    assert close(l_is, ref, rtol=1e-12, atol=1e-13), f"ISL != multilabel_soft_margin_loss {float(l_is)} {float(ref)}"
    ref2 = F.binary_cross_entropy_with_logits(samples, labels[:, :, None].expand(B, K, S))
    assert close(l_is, ref2, rtol=1e-12, atol=1e-13)
    g_an = (torch.sigmoid(samples) - labels[:, :, None]) / (B * K * S)
    assert close(g_is, g_an, rtol=1e-11, atol=1e-16), "ISL analytic gradient"

    mixed = []
    for lam in lambdas:
        s2 = samples.clone().requires_grad_(True)
        gl = gap_logits.clone().requires_grad_(True)
        lm = (1.0 - lam) * loss_gap(gl, labels) + lam * loss_is(s2, labels)
        g_gap, g_s = torch.autograd.grad(lm, (gl, s2))
        assert torch.isfinite(lm)
        ref_gap = F.binary_cross_entropy_with_logits(gap_logits, labels)
        assert close(lm, (1 - lam) * ref_gap + lam * ref, rtol=1e-12, atol=1e-13)
        assert close(g_s, lam * g_is, rtol=1e-12, atol=1e-18)
        mixed.append({
            "lambda": lam,
            "loss_mixed": scalar_json(lm),
            "grad_gap_logits": tensor_json(g_gap),
            "grad_samples": tensor_json(g_s),
        })
    return {
        "name": name,
        "samples": tensor_json(samples),
        "labels": tensor_json(labels),
        "gap_logits": tensor_json(gap_logits),
        "loss_is": scalar_json(l_is),
        "grad_samples": tensor_json(g_is),
        "mixed": mixed,
    }


def build_isl_cases():
    g = gen(2002)
    cases = []

    def labels(B, K):
        y = (rand(g, B, K) < 0.4).to(DT)
        y[0, 0] = 1.0
        y[-1, -1] = 0.0
        return y

    cases.append(isl_case("isl_2x3x10", randn(g, 2, 3, 10) * 3, labels(2, 3), randn(g, 2, 3) * 3))
    cases.append(isl_case("isl_1x5x4", randn(g, 1, 5, 4) * 3, labels(1, 5), randn(g, 1, 5) * 3))
    cases.append(isl_case("isl_2x20x10", randn(g, 2, 20, 10) * 3, labels(2, 20), randn(g, 2, 20) * 3))
    # extreme logits +-100 (both agreeing and disagreeing with the label): must stay finite
    s = randn(g, 2, 4, 6) * 3
    y = torch.tensor([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    s[0, 0, :3] = 100.0    # confident correct positive   -> ~0 loss
    s[0, 0, 3:] = -100.0   # confident wrong on a positive -> 100 per sample
    s[0, 1, :] = 100.0     # confident wrong on a negative -> 100 per sample
    s[1, 0, :] = -100.0    # confident correct negative   -> ~0 loss
    s[1, 1, ::2] = -100.0
    gap = randn(g, 2, 4) * 3
    gap[0, 0] = 100.0
    gap[0, 1] = 100.0
    gap[1, 0] = -100.0
    gap[1, 1] = -100.0
    c = isl_case("isl_extreme_logits_2x4x6", s, y, gap)
    assert c["loss_is"] > 10  # several samples contribute ~100
    cases.append(c)
    return cases


# ======================================================================================
# CAM helpers: maxnorm, label masking + background channel, FSL input builder, logit conversion
# ======================================================================================

def maxnorm(t):
    """relu(relu(t) - min_hw - 1e-5) / (max_hw - min_hw + 1e-5), min/max of relu(t), not detached.

    The 1e-5 sits inside the outer relu, as in the authors' reference code."""
    r = F.relu(t)
    mn = r.amin(dim=(2, 3), keepdim=True)
    mx = r.amax(dim=(2, 3), keepdim=True)
    return F.relu(r - mn - 1e-5) / (mx - mn + 1e-5)


def maxnorm_alt(t):
    """Same with torch.max/min (index-selecting gradient on ties) instead of amax/amin (split)."""
    r = F.relu(t)
    B, K, h, w = r.shape
    flat = r.reshape(B, K, h * w)
    mn = flat.min(dim=2).values[:, :, None, None]
    mx = flat.max(dim=2).values[:, :, None, None]
    return F.relu(r - mn - 1e-5) / (mx - mn + 1e-5)


def fg_bg_predictions(z, labels, use_alt=False):
    fg = (maxnorm_alt(z) if use_alt else maxnorm(z)) * labels[:, :, None, None]
    if use_alt:
        bg = 1.0 - fg.max(dim=1, keepdim=True).values
    else:
        bg = 1.0 - fg.amax(dim=1, keepdim=True)
    return torch.cat([bg, fg], dim=1)  # background FIRST


IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def fsl_features(images, h, w):
    mean = torch.tensor(IMAGENET_MEAN, dtype=DT)[None, :, None, None]
    std = torch.tensor(IMAGENET_STD, dtype=DT)[None, :, None, None]
    rgb = images * std + mean
    return torch.clamp(F.interpolate(rgb, size=(h, w), mode="bilinear", align_corners=True), 0.0, 1.0)


def bilinear_align_corners_naive(x, h, w):
    B, C, H, W = x.shape
    out = torch.empty(B, C, h, w, dtype=DT)
    for i in range(h):
        sy = i * (H - 1) / (h - 1) if h > 1 else 0.0
        y0 = min(int(math.floor(sy)), H - 1)
        y1 = min(y0 + 1, H - 1)
        ly = sy - y0
        for j in range(w):
            sx = j * (W - 1) / (w - 1) if w > 1 else 0.0
            x0 = min(int(math.floor(sx)), W - 1)
            x1 = min(x0 + 1, W - 1)
            lx = sx - x0
            out[:, :, i, j] = ((1 - ly) * ((1 - lx) * x[:, :, y0, x0] + lx * x[:, :, y0, x1])
                               + ly * ((1 - lx) * x[:, :, y1, x0] + lx * x[:, :, y1, x1]))
    return out


def prob_to_logit(p, e=1e-3):
    return torch.log(p * (1 - e) + e) - torch.log(1 - p * (1 - e))


def build_cam_helpers():
    g = gen(3003)
    out = {}

    # (a) maxnorm
    cases_a = []
    for name, shape in (("maxnorm_2x3x4x5", (2, 3, 4, 5)), ("maxnorm_1x4x3x6", (1, 4, 3, 6))):
        B, K, h, w = shape
        t = randn(g, *shape) * 2 + 0.5
        t[0, 1] = -rand(g, h, w) - 0.1           # all negative -> all zero
        t[-1, K - 1] = 0.7                        # constant channel -> all zero
        if name == "maxnorm_1x4x3x6":
            t[0, 0] = rand(g, h, w) + 0.2         # all positive, unique positive minimum
        r = rand(g, *shape)
        tt = t.clone().requires_grad_(True)
        v = maxnorm(tt)
        (gr,) = torch.autograd.grad((v * r).sum(), tt)
        tt2 = t.clone().requires_grad_(True)
        (gr2,) = torch.autograd.grad((maxnorm_alt(tt2) * r).sum(), tt2)
        assert torch.equal(gr, gr2), "maxnorm gradient depends on tie-breaking"
        assert torch.equal(v[0, 1], torch.zeros(h, w)) and torch.equal(v[-1, K - 1], torch.zeros(h, w))
        assert torch.equal(gr[0, 1], torch.zeros(h, w)) and torch.equal(gr[-1, K - 1], torch.zeros(h, w))
        assert (v >= 0).all() and (v < 1).all()
        # finite differences: the constant channel is not differentiable (any perturbation creates
        # a new max/min), so it is held fixed; elsewhere the function is smooth near t
        keep = torch.ones_like(t, dtype=torch.bool)
        keep[-1, K - 1] = False
        assert torch.autograd.gradcheck(lambda x: (maxnorm(torch.where(keep, x, t)) * r).sum(),
                                        (t.clone().requires_grad_(True),), eps=1e-7, atol=1e-6, rtol=1e-5)
        assert gr.abs().max() > 0
        cases_a.append({"name": name, "input": tensor_json(t), "r": tensor_json(r),
                        "value": tensor_json(v), "grad_input": tensor_json(gr)})
    out["maxnorm"] = cases_a

    # (b) label masking + background channel
    cases_b = []
    for name, shape, y in (
            ("predictions_2x3x4x5", (2, 3, 4, 5), torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])),
            ("predictions_3x4x3x4_with_empty_label_row", (3, 4, 3, 4),
             torch.tensor([[1.0, 1.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]))):
        B, K, h, w = shape
        z = randn(g, *shape) * 2
        z[0, 0] = -rand(g, h, w) - 0.1  # a present class with an all-negative map
        r = rand(g, B, K + 1, h, w)
        zz = z.clone().requires_grad_(True)
        p = fg_bg_predictions(zz, y)
        (gz,) = torch.autograd.grad((p * r).sum(), zz)
        zz2 = z.clone().requires_grad_(True)
        (gz2,) = torch.autograd.grad((fg_bg_predictions(zz2, y, use_alt=True) * r).sum(), zz2)
        assert torch.equal(gz, gz2), "prediction gradient depends on tie-breaking"
        assert p.shape == (B, K + 1, h, w)
        assert close(p[:, 0], 1 - p[:, 1:].max(dim=1).values, 0, 0)
        absent = (y == 0)
        assert (p[:, 1:][absent] == 0).all() and (gz[absent] == 0).all()
        assert gz.abs().max() > 0
        cases_b.append({"name": name, "logits": tensor_json(z), "labels": tensor_json(y),
                        "r": tensor_json(r), "predictions": tensor_json(p), "grad_logits": tensor_json(gz)})
    out["label_mask_background"] = cases_b

    # (c) FSL input builder: normalised images (B,3,H,W) + logits (B,K,h,w) + labels -> (f, u)
    cases_c = []
    for name, (B, K, H, W, h, w) in (("fsl_inputs_b1_k3_16x20_to_4x5", (1, 3, 16, 20, 4, 5)),
                                     ("fsl_inputs_b2_k2_9x7_to_5x4", (2, 2, 9, 7, 5, 4))):
        images = randn(g, B, 3, H, W) * 1.5     # wide enough that the [0,1] clamp is active
        z = randn(g, B, K, h, w) * 2
        y = (rand(g, B, K) < 0.6).to(DT)
        y[0, 0] = 1.0
        feats = fsl_features(images, h, w)
        mean = torch.tensor(IMAGENET_MEAN)[None, :, None, None]
        std = torch.tensor(IMAGENET_STD)[None, :, None, None]
        naive = torch.clamp(bilinear_align_corners_naive(images * std + mean, h, w), 0, 1)
        assert close(feats, naive, rtol=1e-13, atol=1e-15), "bilinear align_corners mismatch"
        unclamped = F.interpolate(images * std + mean, size=(h, w), mode="bilinear", align_corners=True)
        assert ((unclamped < 0) | (unclamped > 1)).any(), "clamp not exercised"
        zz = z.clone().requires_grad_(True)
        preds = fg_bg_predictions(zz, y)
        # end-to-end binomial FSL with the default parameters (mu 2.5, sigma 5, px 1, py 2)
        loss, _, _ = fsl(feats, preds, "binomial", 2.5, 5.0, 1, 2, None)
        (gz,) = torch.autograd.grad(loss, zz)
        assert torch.isfinite(loss) and torch.isfinite(gz).all() and gz.abs().max() > 0
        cases_c.append({"name": name, "H": H, "W": W, "h": h, "w": w,
                        "images": tensor_json(images), "logits": tensor_json(z), "labels": tensor_json(y),
                        "features": tensor_json(feats), "predictions": tensor_json(preds),
                        "fsl_default_loss": scalar_json(loss), "fsl_default_grad_logits": tensor_json(gz)})
    out["fsl_inputs"] = cases_c

    # (d) multinomial probability -> logit conversion
    p = torch.tensor([0.0, 1.0, 0.5, 1e-7, 1.0 - 1e-7, 1e-3, 0.01, 0.1, 0.25, 0.75, 0.9, 0.99, 0.999],
                     dtype=DT)
    pp = p.clone().requires_grad_(True)
    lg = prob_to_logit(pp, 1e-3)
    (gp,) = torch.autograd.grad(lg.sum(), pp)
    assert torch.isfinite(lg).all()
    assert abs(float(lg[2])) < 1e-15                        # symmetric: logit(0.5) = 0
    assert close(lg[0], -lg[1], 1e-14, 0)                  # logit(0) = -logit(1) = -log(1000)
    assert close(lg[1], math.log(1000.0), 1e-12, 0)
    # derivative: (1-e)/(p(1-e)+e) + (1-e)/(1-p(1-e))
    e = 1e-3
    assert close(gp, (1 - e) / (p * (1 - e) + e) + (1 - e) / (1 - p * (1 - e)), 1e-13, 0)
    out["prob_to_logit"] = [{"name": "prob_to_logit_e1e-3", "e": 1e-3, "p": tensor_json(p),
                             "logit": tensor_json(lg), "grad_p": tensor_json(gp)}]

    return [
        *[dict(c, kind="maxnorm") for c in out["maxnorm"]],
        *[dict(c, kind="label_mask_background") for c in out["label_mask_background"]],
        *[dict(c, kind="fsl_inputs") for c in out["fsl_inputs"]],
        *[dict(c, kind="prob_to_logit") for c in out["prob_to_logit"]],
    ]


# ======================================================================================
# Importance-sampling pmf (docs/method.md section 1)
# ======================================================================================

def pmf_binomial(z, eps=1e-5):
    p = torch.sigmoid(z)
    return (p + eps) / (p + eps).sum(dim=(2, 3), keepdim=True)


def pmf_multinomial(z, eps=1e-5):
    p = torch.softmax(z, dim=1)[:, 1:]  # channel 0 = background, never sampled
    return (p + eps) / (p + eps).sum(dim=(2, 3), keepdim=True)


def build_pmf_cases():
    g = gen(4004)
    cases = []
    for name, shape in (("pmf_binomial_2x3x4x5", (2, 3, 4, 5)), ("pmf_binomial_1x4x6x6", (1, 4, 6, 6))):
        B, K, h, w = shape
        z = randn(g, *shape) * 3
        z[0, 1] = -100.0          # all logits -100: pmf must be ~uniform
        z[-1, -1] = -100.0
        z[-1, -1, 1, 2] = 100.0   # +100 at one pixel, -100 elsewhere: pmf concentrated there
        q = pmf_binomial(z)
        assert close(q.sum(dim=(2, 3)), torch.ones(B, K), 1e-14, 0)
        assert close(q[0, 1], torch.full((h, w), 1.0 / (h * w)), 1e-12, 0)
        assert float(q[-1, -1, 1, 2]) > 0.5
        cases.append({"name": name, "variant": "binomial", "eps": 1e-5,
                      "logits": tensor_json(z), "pmf": tensor_json(q)})
    for name, shape in (("pmf_multinomial_2x4x4x5", (2, 4, 4, 5)), ("pmf_multinomial_1x3x5x5", (1, 3, 5, 5))):
        B, C, h, w = shape
        z = randn(g, *shape) * 3
        z[0, 1] = -100.0          # class channel 1 at -100 everywhere: softmax ~0 -> ~uniform pmf
        z[-1, -1] = -100.0
        z[-1, -1, 3, 1] = 100.0   # +100 at one pixel of the last channel, -100 elsewhere
        q = pmf_multinomial(z)
        assert q.shape == (B, C - 1, h, w)
        assert close(q.sum(dim=(2, 3)), torch.ones(B, C - 1), 1e-14, 0)
        assert close(q[0, 0], torch.full((h, w), 1.0 / (h * w)), 1e-12, 0)
        assert float(q[-1, -1, 3, 1]) > 0.5
        cases.append({"name": name, "variant": "multinomial", "eps": 1e-5,
                      "logits": tensor_json(z), "pmf": tensor_json(q)})
    return cases


# ---------------------------------------------------------------------------------------------------------
# Feature similarity loss with a cell mask (library extension): pair (i, j) is weighted by m_i * m_j, so cells with
# m = 0 (padding, ignored regions) take part in no pair. Normalisation stays 1 / (B h w).
# ---------------------------------------------------------------------------------------------------------

def fsl_masked(f, u, variant, mu, sigma, px, py, radius, cell_mask):
    B, _, h, w = f.shape
    m = fsl_pairwise(f, u, variant, mu, sigma, px, py, radius)
    cm = cell_mask.reshape(B, h * w)
    terms = (m["k"] * m["mask"])[None] * (cm[:, :, None] * cm[:, None, :]) * m["d_y"] * m["w"]
    return -terms.sum() / (B * h * w)


def build_masked_fsl_cases():
    g = gen(77)
    cases = []
    for name, variant, shape, cy, sigma, radius in [
        ("masked_binomial_2x3x5x6_cy3_sigma5", "binomial", (2, 3, 5, 6), 3, 5.0, None),
        ("masked_multinomial_1x3x6x5_cy4_nosigma", "multinomial", (1, 3, 6, 5), 4, None, None),
        ("masked_binomial_2x3x6x6_cy2_sigma1.5_radius2", "binomial", (2, 3, 6, 6), 2, 1.5, 2),
    ]:
        B, Cx, h, w = shape
        features = rand(g, B, Cx, h, w)
        predictions = rand(g, B, cy, h, w)
        cell_mask = torch.ones(B, 1, h, w, dtype=DT)
        cell_mask[:, :, :, -2:] = 0.0                  # padded right columns
        cell_mask[0, 0, 0, 0] = 0.5                     # a soft weight
        u = predictions.clone().requires_grad_(True)
        loss = fsl_masked(features, u, variant, 2.5, sigma, 1.0, 2.0, radius, cell_mask)
        (grad,) = torch.autograd.grad(loss, u)
        # self-checks: an all-ones mask is the plain loss; masked-out cells get no gradient
        with torch.no_grad():
            plain, _, _ = fsl(features, predictions, variant, 2.5, sigma, 1.0, 2.0, radius)
            ones = fsl_masked(features, predictions, variant, 2.5, sigma, 1.0, 2.0, radius, torch.ones_like(cell_mask))
            assert close(plain, ones, rtol=1e-14, atol=0), "all-ones mask must equal the plain loss"
        assert float(grad[:, :, :, -2:].abs().max()) == 0.0, "masked cells must get no gradient"
        cases.append({
            "name": name, "variant": variant, "mu": 2.5, "sigma": sigma, "px": 1.0, "py": 2.0, "radius": radius,
            "features": tensor_json(features), "predictions": tensor_json(predictions), "mask": tensor_json(cell_mask),
            "loss": scalar_json(loss), "grad_predictions": tensor_json(grad),
        })
    return cases


def main():
    print(f"torch {torch.__version__}, python {sys.version.split()[0]}")
    torch.manual_seed(20240101)  # global seed (all inputs use explicit per-file generators)
    check_special_fsl_inputs()
    write_json("feature_similarity_loss.json", build_fsl_cases())
    write_json("importance_sampling_loss.json", build_isl_cases())
    write_json("cam_helpers.json", build_cam_helpers())
    write_json("importance_sampling_pmf.json", build_pmf_cases())
    write_json("feature_similarity_loss_masked.json", build_masked_fsl_cases())
    print("all self-checks passed")


if __name__ == "__main__":
    main()
