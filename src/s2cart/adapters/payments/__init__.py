"""Payment gateway adapters.

httpx imports its command-line client (click, rich and pygments) whenever those are installed, and Litestar
installs them: ~4 MiB in every worker for a tool S2Cart never runs (issue 20, peak RSS per worker). A ``None`` in
``sys.modules`` makes that one import fail, and httpx then defines a stub ``main`` instead; nothing else of httpx
changes. Set before the adapters below import httpx; a process that has imported httpx already keeps its CLI.
"""

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
