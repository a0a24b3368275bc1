#!/usr/bin/env python3
"""The reference model of `xalign bench train`, in PyTorch: the speed anchor.

Same architecture as src/model/transformer.ts (LLaMA family: RMSNorm, rotary, SwiGLU,
untied head; NeoX family: LayerNorm, partial rotary, parallel attention and GELU MLP),
same optimiser (AdamW, clipping at 1.0), random tokens. Prints one JSON line:
{"seconds": timed seconds, "first_loss", "last_loss", "gemm_gflops" (a 512^3
matmul alone), "blas" (torch.__config__ lines naming the BLAS), "detail"}.
Works with Debian's PyTorch 1.13 (manual attention) and PyTorch 2 (SDPA when present).
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--family", default="llama", choices=["llama", "neox"])
p.add_argument("--steps", type=int, default=10)
p.add_argument("--warmup", type=int, default=2)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--seq", type=int, default=64)
p.add_argument("--vocab", type=int, default=512)
p.add_argument("--d", type=int, default=128)
p.add_argument("--layers", type=int, default=4)
p.add_argument("--heads", type=int, default=4)
p.add_argument("--dff", type=int, default=0)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--device", default="cpu")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)
dev = torch.device(a.device)
neox = a.family == "neox"
dff = a.dff or (4 * a.d if neox else round(8 * a.d / 3 / 8) * 8)
hd = a.d // a.heads
rot = max(2, round(hd * (0.25 if neox else 1.0) / 2) * 2)
sdpa = hasattr(F, "scaled_dot_product_attention")


class RMSNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.w = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.w


def norm(d):
    return nn.LayerNorm(d, eps=1e-5) if neox else RMSNorm(d)


inv = 1.0 / (10000 ** (torch.arange(0, rot, 2).float() / rot))
ang = torch.arange(a.seq).float()[:, None] * inv[None, :]
COS = torch.cat([ang.cos(), ang.cos()], -1).to(dev)
SIN = torch.cat([ang.sin(), ang.sin()], -1).to(dev)


def rope(x):  # x [B, H, T, hd]
    xr, xp = x[..., :rot], x[..., rot:]
    h = rot // 2
    rotated = torch.cat([-xr[..., h:], xr[..., :h]], -1)
    return torch.cat([xr * COS + rotated * SIN, xp], -1)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = norm(a.d), norm(a.d)
        self.qkv = nn.Linear(a.d, 3 * a.d, bias=neox)
        self.o = nn.Linear(a.d, a.d, bias=neox)
        if neox:
            self.up, self.down = nn.Linear(a.d, dff), nn.Linear(dff, a.d)
        else:
            self.gu, self.down = nn.Linear(a.d, 2 * dff, bias=False), nn.Linear(dff, a.d, bias=False)
        mask = torch.full((a.seq, a.seq), float("-inf")).triu(1)
        self.register_buffer("mask", mask)

    def attn(self, x):
        B, T, _ = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, a.heads, hd).permute(2, 0, 3, 1, 4)
        q, k = rope(q), rope(k)
        if sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            s = q @ k.transpose(-1, -2) / math.sqrt(hd) + self.mask
            y = s.softmax(-1) @ v
        return self.o(y.transpose(1, 2).reshape(B, T, a.d))

    def mlp(self, x):
        if neox:
            return self.down(F.gelu(self.up(x), approximate="tanh") if "approximate" in F.gelu.__doc__ else F.gelu(self.up(x)))
        g, u = self.gu(x).chunk(2, -1)
        return self.down(F.silu(g) * u)

    def forward(self, x):
        if neox:
            return x + self.attn(self.n1(x)) + self.mlp(self.n2(x))
        x = x + self.attn(self.n1(x))
        return x + self.mlp(self.n2(x))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(a.vocab, a.d)
        self.blocks = nn.ModuleList([Block() for _ in range(a.layers)])
        self.nf = norm(a.d)
        self.head = nn.Linear(a.d, a.vocab, bias=False)

    def forward(self, ids):
        x = self.emb(ids)
        for b in self.blocks:
            x = b(x)
        return self.head(self.nf(x))


model = Model().to(dev)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.0)
g = torch.Generator().manual_seed(1)
data = torch.randint(0, a.vocab, (a.batch * 4, a.seq + 1), generator=g).to(dev)
losses = []
t0 = None
for step in range(a.warmup + a.steps):
    if step == a.warmup:
        if dev.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
    rows = data[(step % 4) * a.batch:(step % 4 + 1) * a.batch]
    logits = model(rows[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, a.vocab), rows[:, 1:].reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    losses.append(loss.item())
if dev.type == "cuda":
    torch.cuda.synchronize()
seconds = time.perf_counter() - t0
name = torch.cuda.get_device_name(0) if dev.type == "cuda" else f"{a.threads} thread(s)"


def gemm_gflops():
    """GFLOP/s of a 512 x 512 float32 matmul on this device and thread count: tells a
    reference BLAS (a few GFLOP/s) from an optimised one (tens or more)."""
    x = torch.randn(512, 512, device=dev)
    y = torch.randn(512, 512, device=dev)
    for _ in range(3):
        x @ y
    if dev.type == "cuda":
        torch.cuda.synchronize()
    n, t = 0, time.perf_counter()
    while time.perf_counter() - t < 0.3:
        x @ y
        n += 1
    if dev.type == "cuda":
        torch.cuda.synchronize()
    return 2 * 512 ** 3 * n / (time.perf_counter() - t) / 1e9


blas = [l.strip() for l in torch.__config__.show().splitlines() if "BLAS" in l or "LAPACK" in l]
print(json.dumps({"seconds": seconds, "first_loss": losses[0], "last_loss": losses[-1],
                  "gemm_gflops": gemm_gflops(), "blas": "; ".join(blas),
                  "detail": f"torch {torch.__version__}, {name}, {'sdpa' if sdpa else 'manual attention'}"}))
