#!/usr/bin/env python3
"""Reference sentence embeddings of all-MiniLM-L6-v2 for clout's tests.

Independent of clout's Rust code: a plain numpy forward pass of BERT, written from the
architecture (not from candle), in float64:

  embeddings = word[ids] + position[0..n] + token_type[0]  -> LayerNorm (eps from config.json)
  6 x { self-attention (12 heads, softmax(QK^T / sqrt(d))V) -> dense -> residual + LayerNorm,
        dense 384->1536 -> exact (erf) GELU -> dense 1536->384 -> residual + LayerNorm }
  sentence = mean of the token vectors (one sentence, so no padding), L2-normalised

Weights are read from `model.safetensors` with the `safetensors` package, token ids come from
`tokenizer.json` through the `tokenizers` package (truncated to 128 tokens, no padding), as
sentence-transformers does for this model. (sentence-transformers itself needs torch, whose
PyPI wheels are gigabytes; this numpy pass computes the same function.)

Requirements: scripts/reference/requirements-embeddings.txt. Usage (from the repository root):

    python3 scripts/reference/embeddings_reference.py --model-dir ~/.cache/clout/models/all-MiniLM-L6-v2

writes tests/reference/embeddings.json: {"model", "max_tokens", "sentences": [{"text",
"tokens", "embedding": [384 floats]}]}.
"""
import argparse
import json
import math
import os
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_TOKENS = 128

SENTENCES = [
    "Just planted tomatoes and basil in the garden this morning",
    "Lakers beat the Celtics 112-108 last night, LeBron with 35 points #NBA",
    "feminists want special right not equal right",
    "Need a ProLife R.E. Agent? DM me @homes4life https://t.co/xYz123",
    "Café au lait à Paris, très bon ! Ça coûte 3€. 東京は今日も暑い。",
    "😂😂😂 can't stop laughing at this 🔥🔥 #friday",
    " ",
    # Long enough to be truncated at 128 tokens.
    " ".join(
        [
            "The central bank raised interest rates again on Thursday, citing persistent inflation",
            "in housing, energy and food prices, while analysts warned that the labour market was",
            "cooling faster than expected and that small businesses faced the highest borrowing",
            "costs in more than a decade; markets fell sharply after the announcement, with",
            "technology shares leading the decline, and the currency strengthened against the",
            "dollar and the euro as traders priced in further increases before the end of the year,",
            "although several members of the committee dissented and called for a pause to assess",
            "the effects of earlier moves on mortgages, consumer spending and investment.",
            "Economists now expect growth to slow next year, unemployment to rise modestly,",
            "and the government to face pressure to support households with energy bills.",
        ]
    ),
]


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


ERF = np.vectorize(math.erf)


def gelu(x):
    return 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0)))


def dense(x, t, name):
    return x @ t[name + ".weight"].T + t[name + ".bias"]


def encode(ids, t, cfg):
    n = len(ids)
    eps = cfg["layer_norm_eps"]
    x = (
        t["embeddings.word_embeddings.weight"][ids]
        + t["embeddings.position_embeddings.weight"][:n]
        + t["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"], eps)
    heads = cfg["num_attention_heads"]
    d = cfg["hidden_size"] // heads
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q, k, v = (
            dense(x, t, p + "attention.self." + m).reshape(n, heads, d).transpose(1, 0, 2)
            for m in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(1, 0, 2).reshape(n, heads * d)
        a = dense(ctx, t, p + "attention.output.dense")
        x = layer_norm(x + a, t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"], eps)
        h = gelu(dense(x, t, p + "intermediate.dense"))
        o = dense(h, t, p + "output.dense")
        x = layer_norm(x + o, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"], eps)
    s = x.mean(0)
    return s / max(np.linalg.norm(s), 1e-12)


def main():
    default_dir = os.environ.get("CLOUT_MODEL_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "clout", "models", "all-MiniLM-L6-v2"
    )
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model-dir", default=default_dir)
    ap.add_argument("--out", default="tests/reference/embeddings.json")
    args = ap.parse_args()
    model = Path(args.model_dir)
    cfg = json.loads((model / "config.json").read_text())
    t = {k: v.astype(np.float64) for k, v in load_file(str(model / "model.safetensors")).items()}
    tok = Tokenizer.from_file(str(model / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    rows = []
    for text in SENTENCES:
        ids = tok.encode(text).ids
        e = encode(np.array(ids), t, cfg)
        rows.append({"text": text, "tokens": len(ids), "embedding": [round(float(v), 8) for v in e]})
        print(f"{len(ids):4} tokens  {text[:60]!r}")
    out = {"model": "all-MiniLM-L6-v2", "max_tokens": MAX_TOKENS, "made_by": "scripts/reference/embeddings_reference.py", "sentences": rows}
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
