"""Fine-tuning the sentence encoder with LoRA adapters (training time only: needs torch).

The torch model here mirrors the ONNX graph of ``heard.encoders.onnx_bert`` operation for
operation (post-LayerNorm BERT, exact GELU, additive attention mask), so the weights trained here
mean the same thing at run time. Only the low-rank adapters and the small heads are trained; the
base weights stay those of the shipped encoder, so an artefact holds a few hundred thousand numbers
instead of 22 million.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import torch
from torch import nn
from torch.nn import functional

from heard.encoders.checkpoint import BertConfig

LORA_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update ``scale * B @ A``."""

    def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int, alpha: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.from_numpy(weight.copy()), requires_grad=False)
        self.bias = nn.Parameter(torch.from_numpy(bias.copy()), requires_grad=False)
        out_features, in_features = weight.shape
        self.rank = rank
        self.scale = alpha / rank if rank else 0.0
        if rank:
            self.lora_a = nn.Parameter(torch.randn(rank, in_features) * 0.01)
            self.lora_b = nn.Parameter(torch.zeros(out_features, rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = functional.linear(x, self.weight, self.bias)
        if self.rank:
            out = out + (x @ self.lora_a.t() @ self.lora_b.t()) * self.scale
        return out


class _LayerNorm(nn.Module):
    def __init__(self, weight: np.ndarray, bias: np.ndarray, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.from_numpy(weight.copy()), requires_grad=False)
        self.bias = nn.Parameter(torch.from_numpy(bias.copy()), requires_grad=False)
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return functional.layer_norm(x, x.shape[-1:], self.weight, self.bias, self.eps)


class LoRABert(nn.Module):
    """BERT with LoRA adapters on every layer's attention and feed-forward projections."""

    def __init__(
        self, config: BertConfig, weights: dict[str, np.ndarray], *, rank: int, alpha: float
    ) -> None:
        super().__init__()
        self.config = config
        w = weights
        self.word = nn.Parameter(
            torch.from_numpy(w["embeddings.word_embeddings.weight"].copy()), requires_grad=False
        )
        self.position = nn.Parameter(
            torch.from_numpy(w["embeddings.position_embeddings.weight"].copy()), requires_grad=False
        )
        self.token_type = nn.Parameter(
            torch.from_numpy(w["embeddings.token_type_embeddings.weight"].copy()),
            requires_grad=False,
        )
        eps = config.layer_norm_eps
        self.embedding_norm = _LayerNorm(
            w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps
        )
        self.linears = nn.ModuleDict()
        self.norms = nn.ModuleDict()
        for n in range(config.num_hidden_layers):
            p = f"encoder.layer.{n}."
            for target in LORA_TARGETS:
                key = _key(p + target)
                self.linears[key] = LoRALinear(
                    w[f"{p}{target}.weight"], w[f"{p}{target}.bias"], rank, alpha
                )
            for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
                self.norms[_key(p + norm)] = _LayerNorm(
                    w[f"{p}{norm}.weight"], w[f"{p}{norm}.bias"], eps
                )

    def forward(self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
        c = self.config
        heads = c.num_attention_heads
        size = c.hidden_size // heads
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.word[ids] + self.position[positions][None] + self.token_type[types]
        x = self.embedding_norm(x)
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        batch, length, hidden = x.shape
        for n in range(c.num_hidden_layers):
            p = f"encoder.layer.{n}."

            def split(t: torch.Tensor) -> torch.Tensor:
                return t.view(batch, length, heads, size).transpose(1, 2)

            q = split(self.linears[_key(p + "attention.self.query")](x))
            k = split(self.linears[_key(p + "attention.self.key")](x))
            v = split(self.linears[_key(p + "attention.self.value")](x))
            context = functional.scaled_dot_product_attention(q, k, v, attn_mask=additive)
            context = context.transpose(1, 2).reshape(batch, length, hidden)
            attended = self.linears[_key(p + "attention.output.dense")](context)
            x = self.norms[_key(p + "attention.output.LayerNorm")](attended + x)
            inner = functional.gelu(self.linears[_key(p + "intermediate.dense")](x))
            out = self.linears[_key(p + "output.dense")](inner)
            x = self.norms[_key(p + "output.LayerNorm")](out + x)
        return cast(torch.Tensor, x)

    def adapters(self) -> dict[str, np.ndarray]:
        """The trained adapters as arrays: ``<tensor name>.lora_a`` and ``.lora_b``, pre-scaled."""
        out: dict[str, np.ndarray] = {}
        for key, linear in self.linears.items():
            assert isinstance(linear, LoRALinear)
            if not linear.rank:
                continue
            name = key.replace("__", ".") + ".weight"
            out[f"{name}.lora_a"] = linear.lora_a.detach().numpy().astype(np.float32)
            out[f"{name}.lora_b"] = (linear.lora_b.detach().numpy() * linear.scale).astype(
                np.float32
            )
        return out


def _key(name: str) -> str:
    return name.replace(".", "__")  # ModuleDict keys cannot hold dots


@dataclass(frozen=True, slots=True)
class Batch:
    ids: torch.Tensor
    mask: torch.Tensor
    types: torch.Tensor
    second: torch.Tensor  # 1.0 where a token belongs to the second text of a pair
    rows: list[int]


def encode_batches(
    tokenizer: Any,
    firsts: Sequence[str],
    seconds: Sequence[str] | None,
    *,
    batch_size: int,
    shuffle: bool,
    seed: int,
) -> Iterator[tuple[Batch, list[Any]]]:
    """Tokenised batches of similar length (as the encoder does at run time), with encodings."""
    inputs: list[Any] = list(firsts) if seconds is None else list(zip(firsts, seconds, strict=True))
    encodings = tokenizer.encode_batch(inputs, add_special_tokens=True)
    order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
    groups = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    if shuffle:
        random.Random(seed).shuffle(groups)
    for rows in groups:
        width = max(len(encodings[i].ids) for i in rows)
        ids = torch.zeros(len(rows), width, dtype=torch.long)
        types = torch.zeros_like(ids)
        mask = torch.zeros_like(ids)
        second = torch.zeros(len(rows), width)
        for r, i in enumerate(rows):
            enc = encodings[i]
            n = len(enc.ids)
            ids[r, :n] = torch.tensor(enc.ids)
            types[r, :n] = torch.tensor(enc.type_ids)
            mask[r, :n] = 1
            second[r, :n] = torch.tensor([1.0 if s == 1 else 0.0 for s in enc.sequence_ids])
        yield Batch(ids, mask, types, second, list(rows)), [encodings[i] for i in rows]


def masked_mean(hidden: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    w = weights.unsqueeze(-1).float()
    return (hidden * w).sum(1) / w.sum(1).clamp(min=1e-9)


def train_loop(
    parameters: Sequence[tuple[list[nn.Parameter], float]],
    batches: Callable[[int], Iterator[Any]],
    step: Callable[[Any], torch.Tensor],
    *,
    epochs: int,
    steps_per_epoch: int,
    progress: Callable[[str], None],
    name: str,
) -> None:
    """AdamW with linear warm-up (10%) and decay; gradient clipping at 1."""
    optimiser = torch.optim.AdamW(
        [{"params": params, "lr": lr} for params, lr in parameters], weight_decay=0.01
    )
    total = max(1, epochs * steps_per_epoch)
    warmup = max(1, int(0.1 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / total)
    )
    trainable = [p for params, _ in parameters for p in params]
    for epoch in range(epochs):
        running, count = 0.0, 0
        for batch in batches(epoch):
            loss = step(batch)
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            nn.utils.clip_grad_norm_(trainable, 1.0)
            optimiser.step()
            schedule.step()
            running += float(loss.item())
            count += 1
            if count % 20 == 0:
                progress(
                    f"{name}: epoch {epoch + 1}/{epochs}, step {count}/{steps_per_epoch}, "
                    f"loss {running / count:.3f}"
                )
        progress(
            f"{name}: epoch {epoch + 1}/{epochs} done, mean loss {running / max(count, 1):.3f}"
        )


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
