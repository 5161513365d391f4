#!/usr/bin/env python3
"""Python eager twin of bench/gpt_step_bench.cpp: one training step of the smoke GPT of claim
swiglu-vs-relu2-matched (autoresearch style: bias-free Linears, RMSNorm without weight, RoPE base
10000 then QK-norm, causal attention written out, relu^2 or SwiGLU MLP, logits soft-capped at 15,
untied head) at d 96, 2 layers, 3 heads, context 64, batch 16, vocab 65, with Muon (Nesterov
momentum 0.95, Newton-Schulz 5 quintic iterations, shape scaling) on the block matrices and AdamW
(betas 0.8/0.95, eps 1e-10) on the embedding and head: the same ops as the C++ (models/gpt.cpp,
harness/train/optim/muon.cpp), one intra-op thread. The venv's torch (2.13, the same
LibTorch as the build). Prints the median milliseconds per step over repeats.

    .venv/bin/python bench/gpt_step_eager.py [relu2|swiglu]
"""

import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
V, T, B, D, L, H = 65, 64, 16, 96, 2, 3
HS = D // H


def rms_norm(x):
    return x * torch.rsqrt(x.square().mean(-1, keepdim=True) + torch.finfo(x.dtype).eps)


def rotary(x, cos, sin):
    x1, x2 = x[..., : HS // 2], x[..., HS // 2:]
    return torch.cat([x1 * cos + x2 * sin, x2 * cos - x1 * sin], 3)


class Block(torch.nn.Module):
    def __init__(self, mlp):
        super().__init__()
        self.c_q = torch.nn.Linear(D, D, bias=False)
        self.c_k = torch.nn.Linear(D, D, bias=False)
        self.c_v = torch.nn.Linear(D, D, bias=False)
        self.c_proj = torch.nn.Linear(D, D, bias=False)
        self.mlp = mlp
        if mlp == "swiglu":
            hidden = (8 * D // 3 + 63) // 64 * 64
            self.c_gate = torch.nn.Linear(D, hidden, bias=False)
            self.c_up = torch.nn.Linear(D, hidden, bias=False)
            self.m_proj = torch.nn.Linear(hidden, D, bias=False)
        else:
            self.c_fc = torch.nn.Linear(D, 4 * D, bias=False)
            self.m_proj = torch.nn.Linear(4 * D, D, bias=False)

    def forward(self, x, cos, sin, future):
        b, t, c = x.shape
        h = rms_norm(x)
        q = self.c_q(h).view(b, t, H, HS)
        k = self.c_k(h).view(b, t, H, HS)
        v = self.c_v(h).view(b, t, H, HS).transpose(1, 2)
        q = rms_norm(rotary(q, cos, sin)).transpose(1, 2)
        k = rms_norm(rotary(k, cos, sin)).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(HS))
        att = att.masked_fill(future, float("-inf")).softmax(-1)
        x = x + self.c_proj((att @ v).transpose(1, 2).reshape(b, t, c))
        h = rms_norm(x)
        if self.mlp == "swiglu":
            return x + self.m_proj(F.silu(self.c_gate(h)) * self.c_up(h))
        return x + self.m_proj(F.relu(self.c_fc(h)).square())


class Gpt(torch.nn.Module):
    def __init__(self, mlp):
        super().__init__()
        self.wte = torch.nn.Embedding(V, D)
        self.blocks = torch.nn.ModuleList([Block(mlp) for _ in range(L)])
        self.lm_head = torch.nn.Linear(D, V, bias=False)
        s = math.sqrt(3.0 / D)
        with torch.no_grad():
            self.wte.weight.normal_(0, 1)
            self.lm_head.weight.normal_(0, 0.001)
            for blk in self.blocks:
                for name, p in blk.named_parameters():
                    if "proj" in name:
                        p.zero_()
                    else:
                        p.uniform_(-s, s)
        inv = 1.0 / (10000 ** (torch.arange(0, HS, 2).float() / HS))
        freqs = torch.outer(torch.arange(T).float(), inv)
        self.cos = freqs.cos()[None, :, None, :]
        self.sin = freqs.sin()[None, :, None, :]
        self.future = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)

    def forward(self, idx):
        x = rms_norm(self.wte(idx))
        for blk in self.blocks:
            x = blk(x, self.cos, self.sin, self.future)
        z = self.lm_head(rms_norm(x))
        return 15.0 * torch.tanh(z / 15.0)


def newton_schulz5(g, steps=5):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = g.size(0) > g.size(1)
    x = g.t() if tall else g
    x = x / (x.norm() + 1e-7)
    for _ in range(steps):
        A = x @ x.t()
        x = a * x + (b * A + c * A @ A) @ x
    return x.t() if tall else x


class Muon:
    def __init__(self, matrices, lr=0.02, momentum=0.95):
        self.matrices, self.lr, self.m = matrices, lr, momentum
        self.buf = [torch.zeros_like(p) for p in matrices]

    @torch.no_grad()
    def step(self):
        for p, buf in zip(self.matrices, self.buf):
            g = p.grad
            buf.lerp_(g, 1 - self.m)
            u = g.lerp(buf, self.m)
            u = newton_schulz5(u) * math.sqrt(max(1.0, p.size(0) / p.size(1)))
            p.add_(u, alpha=-self.lr)


def main():
    mlp = sys.argv[1] if len(sys.argv) > 1 else "relu2"
    torch.manual_seed(1)
    model = Gpt(mlp)
    matrices = [p for n, p in model.named_parameters() if p.dim() == 2 and "blocks" in n]
    muon = Muon(matrices)
    adamw = torch.optim.AdamW([{"params": [model.wte.weight], "lr": 0.6},
                               {"params": [model.lm_head.weight], "lr": 0.004}],
                              betas=(0.8, 0.95), eps=1e-10, weight_decay=0.0)
    x = torch.randint(V, (B, T))
    y = torch.randint(V, (B * T,))
    model.train()

    def step():
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, V), y)
        for p in model.parameters():
            p.grad = None
        loss.backward()
        muon.step()
        adamw.step()

    for _ in range(20):
        step()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(50):
            step()
        times.append((time.perf_counter() - start) / 50)
    print(f"python eager {mlp}: {1000 * statistics.median(times):.3f} ms/step "
          f"(median of 7 x 50 steps, 1 thread, torch {torch.__version__})")


if __name__ == "__main__":
    main()
