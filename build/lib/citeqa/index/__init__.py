"""Stage 2 of citeqa: passages -> vectors -> an index on disk -> ranked, judged passages.

Sub-packages, each importing only those before it:

    encoder/       text -> float32[n, d] unit vectors (ONNX Runtime or torch)
    vectorstores/  where vectors live when not in the index's files (FAISS folder, Milvus)
    retrieval/     BM25, dense and sentence scores of passages, fused into ranked `Hit`s
    storage/       segments, versions, merges and ingest under CITEQA_HOME
    answer/        the answering sentence, and whether the passages answer the question
"""
