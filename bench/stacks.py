"""Where one worker's time went: a py-spy raw profile (``--profile``) summed by package and by S2Cart frame.

    .venv/bin/python bench/stacks.py bench/.work/profile-carts_get.txt

Self time goes to the innermost frame's package; "in S2Cart code" counts every sample with an S2Cart frame on
its stack (inclusive), by the outermost S2Cart function of the request path below the framework.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

PACKAGES = (
    "sqlalchemy",
    "psycopg",
    "litestar",
    "uvicorn",
    "asyncio",
    "uvloop",
    "redis",
    "jwt",
    "msgspec",
    "argon2",
    "prometheus_client",
    "logging",
    "dependency_injector",
    "greenlet",
)
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:]*)(?::\d+)?\)$")


def package_of(frame: str) -> str:
    match = FRAME.match(frame)
    path = match.group("file") if match else frame
    path = "/" + path.lstrip("/")  # py-spy names files relative to site-packages: "psycopg/cursor.py"
    if "/s2cart/" in path:
        layer = path.split("/s2cart/", 1)[1].split("/", 1)[0]
        return f"s2cart.{layer}"
    for name in PACKAGES:
        if f"/{name}/" in path or path.endswith(f"/{name}.py"):
            return name
    return "other" if match else frame[:40]


def main(path: Path) -> None:
    self_time: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        n = int(count)
        total += n
        self_time[package_of(frames[-1])] += n
    print(f"{path.name}: {total} samples (one worker)")
    for name, n in self_time.most_common(14):
        print(f"  {name:<24} {100 * n / total:5.1f}%")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
