"""The learned part of question extraction: a logistic model over hashed features of each candidate.

Trained by `python -m tests.learn train` on annotated posts (weights in graph/data/question_model.json,
shipped in the wheel); scoring is a dictionary lookup per feature, deterministic and a few ms per post.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph.offline.candidates import Candidate
from graph.offline.clean import match_key as _key

DIM = 1 << 18
MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "question_model.json"


def feature_index(feature: str) -> int:
    # crc32, not hash(): Python salts str hashes per process, and the weights must mean the same everywhere.
    return zlib.crc32(feature.encode("utf-8")) % DIM


@dataclass(frozen=True)
class QuestionModel:
    weights: dict[int, float]
    bias: float
    threshold: float
    # A question the rules proposed is kept unless the model is fairly sure it is not one.
    rule_floor: float | None = None

    # Weights by feature name, filled as features are met: most recur from candidate to candidate.
    _by_name: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def probability(self, features: list[str]) -> float:
        memo = self._by_name
        if len(memo) > 500_000:
            memo.clear()  # a long batch meets new words without end: keep the memo bounded
        z = self.bias
        for f in set(features):
            w = memo.get(f)
            if w is None:
                w = memo[f] = self.weights.get(feature_index(f), 0.0)
            z += w
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        items = sorted((i, round(w, 4)) for i, w in self.weights.items() if abs(w) >= 1e-4)
        return json.dumps(
            {
                "dim": DIM,
                "bias": round(self.bias, 4),
                "threshold": self.threshold,
                "rule_floor": self.rule_floor,
                "weights": items,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> QuestionModel:
        data = json.loads(text)
        if data.get("dim") != DIM:
            raise ValueError("question model was trained with another feature space")
        floor = data.get("rule_floor")
        return cls(
            {int(i): float(w) for i, w in data["weights"]},
            float(data["bias"]),
            float(data["threshold"]),
            None if floor is None else float(floor),
        )


_override: QuestionModel | None = None


@lru_cache(maxsize=1)
def _shipped() -> QuestionModel | None:
    if not MODEL_FILE.is_file():
        return None
    return QuestionModel.from_json(MODEL_FILE.read_text(encoding="utf-8"))


def current() -> QuestionModel | None:
    return _override or _shipped()


def use(model: QuestionModel | None) -> None:
    """Score with another model (leave-one-folder-out evaluation); None goes back to the shipped one."""
    global _override
    _override = model


@dataclass
class Selection:
    questions: list[str]
    accepted: list[float]  # probabilities of the questions kept
    open: list[float]  # probabilities of candidates neither kept nor covered by a kept one
    lines: list[str] = field(default_factory=list)  # the line each question was read from


def select(cands: list[Candidate], model: QuestionModel) -> Selection:
    """The questions of one section in reading order, with what the model thought of the rest."""
    scored = [(model.probability(c.features), n, c) for n, c in enumerate(cands)]
    chosen: list[tuple[int, Candidate, float]] = []
    taken: dict[int, list[str]] = {}
    rest: list[tuple[float, Candidate]] = []
    for p, n, cand in sorted(scored, key=lambda item: (-item[0], item[1])):
        if cand.barred:
            continue
        key = _key(cand.text)
        # A line and the clause inside it read the same ask: keep the likelier one.
        covered = any(key in other or other in key for other in taken.get(cand.line_index, ()))
        if covered:
            continue
        bar = model.rule_floor if model.rule_floor is not None and "rule" in cand.kinds else model.threshold
        if p < bar:
            rest.append((p, cand))
            continue
        taken.setdefault(cand.line_index, []).append(key)
        chosen.append((n, cand, p))
    chosen.sort(key=lambda item: item[0])
    return Selection(
        [c.text for _, c, _ in chosen], [p for _, _, p in chosen], [p for p, _ in rest], [c.line for _, c, _ in chosen]
    )


def estimated_f1(accepted: list[float], open_: list[float]) -> float:
    """The reading's own question F1, if the probabilities are calibrated: expected true questions among
    those kept (precision) and among all that are not covered by a kept one (recall)."""
    if not accepted:
        # Nothing read as a question: sure only if nothing came close.
        return 1.0 - max(open_, default=0.0)
    hits = sum(accepted)
    precision = hits / len(accepted)
    recall = hits / (hits + sum(open_))
    return 2 * precision * recall / (precision + recall)
