"""Hypothesis profiles for the property tests: "ci" by default, "slow" on request.

HYPOTHESIS_PROFILE=slow pytest tests/reliability -m slow
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# deadline=None: the first call into trafilatura or a regex warms caches and would trip
# Hypothesis's 200 ms deadline on a slow CI machine; these tests look for crashes, not speed.
# derandomize: CI runs the same examples every time, so a red run is this change's doing and
# can be reproduced; the slow profile explores new inputs (HYPOTHESIS_PROFILE=slow).
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "slow",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
