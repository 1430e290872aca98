#!/usr/bin/env python3
"""Writes tiny-llama.gguf: a random-weight Llama (2 layers, width 64, 4.2 M parameters) whose
vocabulary is a 32000-token SentencePiece-style tokenizer.json (byte fallback, <unk> <s> </s>).

Run by scripts/llama-server.sh inside its Debian forky root (python3-gguf, python3-numpy):
    python3 make_model.py TOKENIZER_JSON OUT_GGUF
The weights are random but seeded, so every machine serves the same model. bench counts tokens
with the same tokenizer.json, so the server's usage and bench's counts agree.
"""
import json
import sys

import gguf
import numpy as np

tokenizer_path, out_path = sys.argv[1], sys.argv[2]
WIDTH, LAYERS, HEADS, FFN, CONTEXT = 64, 2, 4, 128, 4096

# ChatML, so that llama-server renders chat messages without a template of the model's own.
CHAT_TEMPLATE = (
    "{% for m in messages %}{{'<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n'}}{% endfor %}"
    "{% if add_generation_prompt %}{{'<|im_start|>assistant\n'}}{% endif %}"
)

spec = json.load(open(tokenizer_path, encoding="utf-8"))
vocab = spec["model"]["vocab"]
pieces = sorted(vocab, key=vocab.get)
assert len(pieces) == 32000 and [vocab[p] for p in pieces[:3]] == [0, 1, 2], "expected a 32000-token SPM vocabulary"

# llama.cpp's SPM tokenizer merges by score: a piece made by an earlier merge scores higher.
merge_rank = {}
for rank, merge in enumerate(spec["model"]["merges"]):
    left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
    merge_rank.setdefault(left + right, rank)
special_ids = {t["id"] for t in spec.get("added_tokens", []) if t.get("special")}


def kind_and_score(token_id, piece):
    if token_id == 0:
        return gguf.TokenType.UNKNOWN, 0.0
    if token_id in special_ids:
        return gguf.TokenType.CONTROL, 0.0
    if len(piece) == 6 and piece.startswith("<0x") and piece.endswith(">"):
        return gguf.TokenType.BYTE, 0.0
    return gguf.TokenType.NORMAL, -float(merge_rank.get(piece, token_id))


kinds, scores = zip(*(kind_and_score(i, p) for i, p in enumerate(pieces)))

writer = gguf.GGUFWriter(out_path, "llama")
writer.add_name("tiny-llama")
writer.add_context_length(CONTEXT)
writer.add_embedding_length(WIDTH)
writer.add_block_count(LAYERS)
writer.add_feed_forward_length(FFN)
writer.add_head_count(HEADS)
writer.add_head_count_kv(HEADS)
writer.add_rope_dimension_count(WIDTH // HEADS)
writer.add_rope_freq_base(10000.0)
writer.add_layer_norm_rms_eps(1e-5)
writer.add_vocab_size(len(pieces))
writer.add_file_type(gguf.LlamaFileType.ALL_F32)
writer.add_tokenizer_model("llama")
writer.add_tokenizer_pre("default")
writer.add_token_list([p.encode("utf-8") for p in pieces])
writer.add_token_scores(list(scores))
writer.add_token_types([int(k) for k in kinds])
writer.add_bos_token_id(1)
writer.add_eos_token_id(2)
writer.add_unk_token_id(0)
writer.add_add_bos_token(True)
writer.add_add_eos_token(False)
writer.add_chat_template(CHAT_TEMPLATE)

rng = np.random.default_rng(20261206)


def weights(rows, cols, std=0.02):
    # (out_features, in_features), as Hugging Face checkpoints store them.
    return (rng.standard_normal((rows, cols)) * std).astype(np.float32)


writer.add_tensor("token_embd.weight", weights(len(pieces), WIDTH))
for layer in range(LAYERS):
    blk = f"blk.{layer}."
    writer.add_tensor(blk + "attn_norm.weight", np.ones(WIDTH, dtype=np.float32))
    for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
        writer.add_tensor(blk + name + ".weight", weights(WIDTH, WIDTH))
    writer.add_tensor(blk + "ffn_norm.weight", np.ones(WIDTH, dtype=np.float32))
    writer.add_tensor(blk + "ffn_gate.weight", weights(FFN, WIDTH))
    writer.add_tensor(blk + "ffn_up.weight", weights(FFN, WIDTH))
    writer.add_tensor(blk + "ffn_down.weight", weights(WIDTH, FFN))
writer.add_tensor("output_norm.weight", np.ones(WIDTH, dtype=np.float32))
# Wide output logits: generation varies instead of repeating one token.
writer.add_tensor("output.weight", weights(len(pieces), WIDTH, std=0.3))

writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
print("wrote", out_path)
