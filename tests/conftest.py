"""Fixtures shared by the whole suite."""

from __future__ import annotations

from hypothesis import HealthCheck
from hypothesis import settings

# The fuzzing campaign (tests/fuzz, marked ``fuzz``) runs a short profile in
# the default suite; ``pytest -m fuzz --hypothesis-profile=long`` runs it at
# length. Other property tests keep their own explicit settings.
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
