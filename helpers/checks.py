"""Checking arguments, the way scikit-learn does: say what is allowed, and what was given.

Every helper that takes a number (``min_df``, ``window``, ``threshold`` …)
checks it here, so a typo gives a clear message instead of an empty table.

Example:
    >>> check_int("window", 12, low=0)
    12
    >>> check_int("window", -1, low=0)
    Traceback (most recent call last):
    ...
    ValueError: window must be an int in the range [0, inf); got -1.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["check_bool", "check_int", "check_share"]


def _range(low: float, high: float, *, closed_low: bool = True, closed_high: bool = True) -> str:
    left = "[" if closed_low else "("
    right = "]" if closed_high and not math.isinf(high) else ")"
    shown_high = "inf" if math.isinf(high) else high
    return f"{left}{low}, {shown_high}{right}"


def check_int(name: str, value, *, low: int = 0, high: float = math.inf) -> int:
    """``value`` if it is a whole number in [low, high]; otherwise a clear error.

    ``True``/``False`` are not numbers here (``window=True`` is a mistake).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an int in the range {_range(low, high)}; "
            f"got {value!r} ({type(value).__name__})."
        )
    if not low <= value <= high:
        raise ValueError(f"{name} must be an int in the range {_range(low, high)}; got {value!r}.")
    return int(value)


def check_share(
    name: str, value, *, low: float = 0.0, high: float = 1.0, closed_low: bool = True
) -> float:
    """``value`` if it is a real number in [low, high] (or (low, high]); otherwise an error.

    Example:
        >>> check_share("threshold", 0.4, closed_low=False)
        0.4
    """
    allowed = _range(low, high, closed_low=closed_low)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        kind = type(value).__name__
        raise TypeError(f"{name} must be a float in the range {allowed}; got {value!r} ({kind}).")
    inside = (low <= value if closed_low else low < value) and value <= high
    if not inside or math.isnan(value):
        raise ValueError(f"{name} must be a float in the range {allowed}; got {value!r}.")
    return float(value)


def check_bool(name: str, value) -> bool:
    """``value`` if it is True or False; otherwise an error (``stopwords="no"`` is a mistake)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {value!r} ({type(value).__name__}).")
    return value
