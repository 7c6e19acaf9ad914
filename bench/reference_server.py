"""Serve the reference app exactly as ``s2cart serve`` serves S2Cart (same function, same options)."""

from __future__ import annotations

import sys

from s2cart.entrypoints.serve import ServeOptions, serve
from s2cart.entrypoints.settings import Settings

if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    raise SystemExit(
        serve(Settings.from_env(), ServeOptions(port=port, workers=workers), target="reference_app:create")
    )
