"""The one-time export of a sentence-transformers model to an ONNX graph, checked against torch.

The sentence-transformers model (transformer + its pooling + L2 norm) is exported once per
weights into a cache folder, a BERT's attention fused by ONNX Runtime's BERT optimiser and, for
the `onnx-int8` backend, its weights quantised per channel to int8. Per-channel matters: per-tensor
int8 (the usual recipe) moves MiniLM's vectors to cosine ≈ 0.93 of torch's; per channel ≈ 0.99.
Most of what int8 still loses comes from its activations, quantised with one scale per matrix: the
`onnx-q8` backend keeps each weight matrix in 8-bit blocks of 128 with a scale each (ONNX
Runtime's MatMulNBits, whose int8 arithmetic quantises activations block by block too) and only
the fused attention in per-channel int8, for vectors at cosine 0.998 of float's on average
(0.993 at worst over 19,304 SciFact sentences) instead of int8's 0.993 (0.970 at worst).
Each export is checked against torch before it is cached, and refused (ModelError) if it differs.

torch, sentence-transformers and the ONNX tools are imported by the functions that export, not
with this module: a process whose graph is already cached never loads them.
"""

from __future__ import annotations

import inspect
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .base import ModelError, one_line
from .onnx import USE_TORCH, OnnxSentenceModel

EXPORT_RECIPE = "2"  # bump when the recipe below changes: cached exports are then made anew
# The graph's inputs, in this order, as far as the model's tokenizer gives them (BERT: all three;
# MPNet, RoBERTa: no token_type_ids). The order is part of the recipe: it shapes the graph.
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
# ONNX Runtime's BERT fusion matches this attention exactly; others (MPNet adds a relative position
# bias) are saved unfused, and ONNX Runtime applies its generic fusions when it loads them. (On
# MPNet the BERT optimiser fuses no attention: same vectors, no faster, measured.)
BERT_FUSION_TYPES = frozenset({"bert"})
# The export must give the torch model's vectors on these (cosine to torch's, per backend), or it
# is refused: a graph that traced a different path, a tokenizer setting the export cannot see...
# fp32 gives ≥ 0.9999995 (MiniLM, MPNet); int8 MiniLM 0.981 at worst on these, hence 0.97.
# onnx-q8 0.995 at worst on these.
AGREEMENT = {"onnx": 0.9999, "onnx-int8": 0.97, "onnx-q8": 0.99}
SAMPLES = [
    "When did the ROK become a full Dialogue Partner of ASEAN?",
    "x",
    "Émile Zola's “J'accuse…!” ran on 13 January 1898 — ¿por qué? 42 × 7 ≠ 300.",
    "The Secretariat published a LONG report on Trade, Culture and Tourism. " * 60,
]


def export_path(model_dir: Path, weights_fingerprint: str, backend: str, cache: Path) -> Path:
    """The exported graph for these weights and backend, exported and checked against torch now
    if it is not cached yet. Raises ModelError (one line) when the model cannot be exported."""
    out = cache / f"{weights_fingerprint}-{backend}-r{EXPORT_RECIPE}.onnx"
    if not out.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        work = cache / f".export-{os.getpid()}"  # concurrent exporters each write their own, then
        work.mkdir(exist_ok=True)  # the first rename wins and the others replace it identically
        try:
            with _quietly():
                _export_checked(model_dir, work, backend)
            os.replace(work / "model.onnx", out)
        finally:
            for leftover in work.glob("*"):
                leftover.unlink()
            work.rmdir()
    return out


@contextmanager
def _quietly() -> Iterator[None]:
    """The exporter and the quantiser warn about things that are expected here."""
    from transformers.utils import logging as transformers_logging

    root = logging.getLogger()
    level = root.level
    transformers_logging.disable_progress_bar()
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def _export_checked(model_dir: Path, work: Path, backend: str) -> None:
    """Export into work/model.onnx and check it against torch; any failure is a ModelError."""
    try:
        model = _load_for_export(model_dir)
        _export(model, work, backend)
        _verify(model, work / "model.onnx", model_dir, backend)
    except ModelError:
        raise
    except Exception as err:  # the exporter's and the model code's own errors are of every kind
        raise ModelError(
            f"cannot export model {model_dir} to ONNX ({one_line(err)}); {USE_TORCH}"
        ) from err


def _load_for_export(model_dir: Path) -> Any:
    from sentence_transformers import SentenceTransformer

    # Eager attention exports as plain MatMul/Softmax, which the optimiser then fuses.
    model = SentenceTransformer(
        str(model_dir), device="cpu", model_kwargs={"attn_implementation": "eager"}
    )
    if not hasattr(model[0], "auto_model"):
        raise ModelError(
            f"model {model_dir} does not start with a transformer the ONNX export knows "
            f"({type(model[0]).__name__}); {USE_TORCH}"
        )
    model.eval()
    return model


def _input_names(model: Any) -> list[str]:
    """The inputs the tokenizer gives and the transformer takes, in INPUT_NAMES order."""
    given = model.tokenizer(["an example"]).keys()
    taken = inspect.signature(model[0].auto_model.forward).parameters
    names = [name for name in INPUT_NAMES if name in given and name in taken]
    if names[:2] != ["input_ids", "attention_mask"]:
        raise ModelError(
            f"the model's tokenizer gives {', '.join(given)}, not input_ids and attention_mask; "
            f"{USE_TORCH}"
        )
    return names


def _is_mean_pooling(head: list[Any]) -> bool:
    """Whether the modules after the transformer are mean pooling, then (maybe) normalisation."""
    kinds = [type(module).__name__ for module in head]
    if kinds not in (["Pooling"], ["Pooling", "Normalize"]):
        return False
    return head[0].get_config_dict().get("pooling_mode") in ("mean", ["mean"])


def _export(model: Any, work: Path, backend: str) -> None:
    import torch

    class Pooled(torch.nn.Module):
        """transformer → the model's pooling → unit length, as sentence-transformers computes."""

        def __init__(self, names: list[str], head: list[torch.nn.Module]) -> None:
            super().__init__()
            self.names = names
            self.transformer = model[0].auto_model
            # Mean pooling is written out, one fixed graph for the common head (and so one cached
            # export per weights); other heads run as the model has them.
            self.head = None if _is_mean_pooling(head) else torch.nn.Sequential(*head)

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            features = dict(zip(self.names, inputs, strict=True))
            hidden = self.transformer(**features).last_hidden_state
            attention_mask = features["attention_mask"]
            if self.head is None:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            else:
                features = {"token_embeddings": hidden, "attention_mask": attention_mask}
                pooled = self.head(features)["sentence_embedding"]
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    names = _input_names(model)
    pooled = Pooled(names, list(model)[1:])
    sample = model.tokenizer(["an example", "a longer example, to vary"], padding=True)
    inputs = tuple(torch.tensor(sample[name]) for name in names)
    raw = work / "raw.onnx"
    with torch.inference_mode():
        torch.onnx.export(
            pooled,
            inputs,
            str(raw),
            dynamo=False,
            opset_version=17,
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes={
                **{name: {0: "batch", 1: "tokens"} for name in names},
                "sentence_embedding": {0: "batch"},
            },
        )
    if pooled.head is not None:
        _declare_width(raw, model.get_embedding_dimension())
    graph = _fuse(raw, model[0].auto_model.config, work)
    if backend == "onnx-int8":
        _quantise(
            graph, work / "model.onnx", ["MatMul", "Attention", "Gather", "EmbedLayerNormalization"]
        )
    elif backend == "onnx-q8":
        _quantise(graph, work / "attention.onnx", ["Attention"])
        _quantise_blocks(work / "attention.onnx", work / "model.onnx")
    else:
        os.replace(graph, work / "model.onnx")


def _declare_width(graph_file: Path, width: int) -> None:
    """Write the vector width into the graph's output where the trace left it symbolic (as
    sentence-transformers' own pooling does), since OnnxSentenceModel reads it from there."""
    import onnx

    graph = onnx.load(str(graph_file))
    dims = graph.graph.output[0].type.tensor_type.shape.dim
    if not dims[-1].HasField("dim_value"):
        dims[-1].dim_value = width
        onnx.save(graph, str(graph_file))


def _fuse(raw: Path, config: Any, work: Path) -> Path:
    """The graph with its attention fused by ONNX Runtime's BERT optimiser, where that applies."""
    if config.model_type not in BERT_FUSION_TYPES:
        return raw
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(
        str(raw),
        model_type="bert",
        num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size,
        opt_level=1,
    )
    fused.save_model_to_file(str(work / "fused.onnx"))
    return work / "fused.onnx"


def _quantise(graph: Path, out: Path, op_types: list[str]) -> None:
    """Weights of `op_types` per channel in int8, activations quantised as they come."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(graph),
        str(out),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=False,
        op_types_to_quantize=op_types,
        extra_options={"DefaultTensorType": 1},  # float: the fused graph lacks some type info
    )


# Rows of a weight matrix sharing one scale; 32 and 64 kept the vectors closer still (cosine
# 0.9998) at 1.12× and 1.18× float's speed, against 1.28× at 128 (MatMuls alone, VNNI processor).
BLOCK = 128


def _quantise_blocks(graph: Path, out: Path) -> None:
    """Every MatMul's weights in symmetric 8-bit blocks of BLOCK rows (MatMulNBits), computed
    in int8 (accuracy level 4) where the processor can."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    quantiser = MatMulNBitsQuantizer(
        onnx.load(str(graph)),
        bits=8,
        block_size=BLOCK,
        is_symmetric=True,
        accuracy_level=4,
        op_types_to_quantize=("MatMul",),
    )
    quantiser.process()
    quantiser.model.save_model_to_file(str(out), use_external_data_format=False)


def _verify(model: Any, onnx_file: Path, model_dir: Path, backend: str) -> None:
    """Refuse an export whose vectors are not torch's: the whole path is compared, tokenizer,
    padding and truncation included, not just the graph."""
    exported = OnnxSentenceModel(onnx_file, model_dir, threads=1)
    if exported.max_tokens != model.max_seq_length:
        raise ModelError(
            f"model {model_dir} reads {model.max_seq_length} word pieces in torch but "
            f"{exported.max_tokens} in ONNX; {USE_TORCH}"
        )
    expected = model.encode(SAMPLES, normalize_embeddings=True, convert_to_numpy=True)
    cosines = np.sum(exported.encode(SAMPLES) * expected, axis=1)
    if not cosines.min() >= AGREEMENT[backend]:  # not `<`: NaN must fail too
        # int8 can fail where float does not (MPNet's int8 vectors: cosine 0.75 of torch's)
        instead = "set CITEQA_BACKEND=onnx or torch" if backend != "onnx" else USE_TORCH
        raise ModelError(
            f"model {model_dir} exported to ONNX ({backend}) gives other vectors than torch "
            f"(cosine {cosines.min():.4f} < {AGREEMENT[backend]}); {instead}"
        )
