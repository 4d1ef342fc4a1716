"""Sentence encoders run with ONNX Runtime and NumPy only (no torch, no network).

`SentenceEncoder.load()` gives the bundled all-MiniLM-L6-v2 (int8 by default);
`resolve_model_dir` finds a model locally; `BertOnnxModel` is the underlying BERT graph.
onnx, onnxruntime, tokenizers and safetensors are imported only when a model is loaded.
"""

from heard.encoders.onnx_bert import BertOnnxModel
from heard.encoders.sentence_encoder import SentenceEncoder, TokenStates, resolve_model_dir

__all__ = ["BertOnnxModel", "SentenceEncoder", "TokenStates", "resolve_model_dir"]
