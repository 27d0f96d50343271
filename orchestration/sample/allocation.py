"""Exact integer allocation and weighted sampling helpers (vectorised numpy)."""

from __future__ import annotations

import numpy as np


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split the integer ``total`` proportionally to ``weights``; parts sum exactly to it.

    Ties in the fractional parts go to the lower index (deterministic).
    """
    weights = np.asarray(weights, dtype=np.float64)
    if total < 0 or weights.size == 0 or (weights < 0).any() or weights.sum() <= 0:
        raise ValueError("need total >= 0 and non-negative weights with a positive sum")
    quotas = weights / weights.sum() * float(total)
    parts = np.floor(quotas).astype(np.int64)
    remainder = int(total - parts.sum())
    order = np.argsort(parts - quotas, kind="stable")  # largest fraction first
    if remainder >= 0:
        parts[order[:remainder]] += 1
    else:  # float rounding overshoot (tiny): take back from the smallest fractions
        positive = order[::-1][parts[order[::-1]] > 0]
        parts[positive[:-remainder]] -= 1
    return parts


def allocate_with_floor(total: int, weights: np.ndarray, floor: int) -> np.ndarray:
    """Like :func:`largest_remainder` but every part is at least ``floor``."""
    weights = np.asarray(weights, dtype=np.float64)
    spare = total - floor * weights.size
    if spare < 0:
        raise ValueError(f"total {total} is below {weights.size} parts of at least {floor}")
    return largest_remainder(spare, weights) + floor


def gumbel_top_k(rng: np.random.Generator, log_weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of a weighted sample of ``k`` items without replacement, best key first."""
    keys = log_weights + rng.gumbel(size=log_weights.shape)
    k = min(k, int(np.isfinite(keys).sum()))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    top = np.argpartition(-keys, k - 1)[:k]
    return top[np.argsort(-keys[top], kind="stable")]
