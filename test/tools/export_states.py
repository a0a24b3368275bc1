#!/usr/bin/env python3
"""Export a Hugging Face model's sentence representations in xalign's layer-folder layout.

    python3 test/tools/export_states.py --model PATH_OR_NAME --sentences en.txt --out states/en
    python3 test/tools/export_states.py --model PATH_OR_NAME --sentences zh.txt --out states/zh
    npx xalign represent align --en states/en --x states/zh

The sentence files hold one sentence per line (UTF-8), line i of each file being a
translation pair. For every layer (00: the embeddings, then the output of each block,
as `output_hidden_states` gives them), the script writes OUT/layer-NN.npy: an
n x d float32 matrix whose row i is sentence i's hidden states averaged over its real
tokens (the attention mask decides; padding, left or right, is never averaged in).
It runs on your machine, with torch and transformers installed; xalign's tests only
check its pooling, on synthetic arrays.
"""

import argparse
import os
import sys

import numpy as np


def mean_pool(hidden, mask):
    """hidden: [batch, tokens, d] floats; mask: [batch, tokens], 1 = real token. Returns [batch, d]."""
    m = np.asarray(mask, dtype=np.float64)[..., None]
    h = np.asarray(hidden, dtype=np.float64)
    return (h * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)


def read_sentences(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    for i, line in enumerate(lines, 1):
        if not line.strip():
            sys.exit(f"{path}, line {i}: empty sentence (one sentence per line, no blank lines)")
    if not lines:
        sys.exit(f"{path}: no sentences")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="a Hugging Face model name or folder")
    ap.add_argument("--sentences", required=True, help="one sentence per line, UTF-8")
    ap.add_argument("--out", required=True, help="folder for layer-NN.npy")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--device", default=None, help="cuda, cpu, ... (default: cuda when available)")
    args = ap.parse_args()
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as e:
        sys.exit(f"export_states.py needs torch and transformers ({e}); pip install torch transformers")
    sentences = read_sentences(args.sentences)
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    tok = AutoTokenizer.from_pretrained(args.model)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    model = AutoModel.from_pretrained(args.model).to(device).eval()
    layers = None
    with torch.no_grad():
        for start in range(0, len(sentences), args.batch_size):
            batch = tok(sentences[start : start + args.batch_size], return_tensors="pt", padding=True).to(device)
            out = model(**batch, output_hidden_states=True)
            mask = batch["attention_mask"].cpu().numpy()
            pooled = [mean_pool(h.float().cpu().numpy(), mask) for h in out.hidden_states]
            layers = pooled if layers is None else [np.concatenate([a, b]) for a, b in zip(layers, pooled)]
    os.makedirs(args.out, exist_ok=True)
    for i, layer in enumerate(layers):
        np.save(os.path.join(args.out, f"layer-{i:02d}.npy"), np.ascontiguousarray(layer, dtype=np.float32))
    print(f"wrote {len(layers)} layers of {len(sentences)} x {layers[0].shape[1]} to {args.out}")


if __name__ == "__main__":
    main()
