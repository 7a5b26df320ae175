"""What the chance measurements of bench/ share: a rate's 95% Wilson interval."""
import math


def wilson(hits, n, z=1.96):
    """The Wilson score interval of hits/n, as (low, high) fractions; (0, 1) for n == 0."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)
