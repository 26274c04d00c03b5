# citeqa as a container: the HTTP API on port 8000, the index in the volume /data.
#
#   docker build -t citeqa .
#   docker run -p 8000:8000 -v citeqa-data:/data -e CITEQA_API_KEY=change-me citeqa
#   docker run -v citeqa-data:/data -v "$PWD/docs:/docs:ro" citeqa ingest /docs
#
# The steps are deploy/build-image-steps.sh, which tests/test_container.py runs too. The model
# and its ONNX export are baked in, so the container starts offline. deploy/compose.yml runs it
# with a Milvus server.
FROM python:3.11-slim

# PyPI's Linux torch wheel pulls GBs of CUDA libraries a CPU service never loads.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    CITEQA_HOME=/data \
    CITEQA_CORPUS=/opt/citeqa/corpus \
    CITEQA_MODEL_CACHE=/opt/citeqa/models

COPY . /src
RUN sh /src/deploy/build-image-steps.sh install /src \
    && sh /src/deploy/build-image-steps.sh bake \
    && install -D -m 0755 /src/deploy/build-image-steps.sh /usr/local/bin/citeqa-image-steps \
    && mkdir -p /opt/citeqa \
    && cp -r /src/corpus/documents "$CITEQA_CORPUS" \
    && rm -rf /src \
    && useradd --system --uid 10001 --home-dir /data --no-create-home citeqa \
    && mkdir -p /data \
    && chown citeqa:citeqa /data

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000

# Ready = an index is loaded and its vector store answers; a fresh volume has no index until
# `citeqa ingest` has run, so the container reports unhealthy until then.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["citeqa-image-steps", "healthcheck"]

# `docker run IMAGE` serves; `docker run IMAGE ingest ...` (or any citeqa command) runs that.
ENTRYPOINT ["citeqa"]
CMD ["serve", "--host", "0.0.0.0"]
