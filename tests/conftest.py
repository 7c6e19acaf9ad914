from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# A developer's ./.env must not reach the suite: the s2cart processes the tests start inherit this.
os.environ["S2CART_DOTENV"] = "off"

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
# CI runs derandomized: a failure there is reproducible, and a green run is not luck.
settings.load_profile("ci" if os.environ.get("CI") else "default")
