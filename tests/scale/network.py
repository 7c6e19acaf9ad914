"""Network namespaces of the scale test's own: a bridge in the root namespace at 10.200.0.1/24 and one
namespace a host, joined to it by a veth pair (10.200.0.11, .12 ...). Everything is removed at the end."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

HOST_SIDE = "10.200.0.1"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@dataclass
class Namespaces:
    names: list[str]
    addresses: list[str]

    def command(self, index: int, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.names[index], *argv]


@contextmanager
def namespaces(count: int) -> Iterator[Namespaces]:
    tag = f"s2r{os.getpid() % 100000}"
    bridge = f"{tag}br"
    made_bridge = False
    names: list[str] = []
    try:
        _ip("link", "add", bridge, "type", "bridge")
        made_bridge = True
        _ip("addr", "add", f"{HOST_SIDE}/24", "dev", bridge)
        _ip("link", "set", bridge, "up")
        addresses = []
        for i in range(count):
            name, outside, inside = f"{tag}n{i}", f"{tag}v{i}", f"{tag}i{i}"
            _ip("netns", "add", name)
            names.append(name)
            _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            _ip("link", "set", outside, "master", bridge)
            _ip("link", "set", outside, "up")
            _ip("link", "set", inside, "netns", name)
            address = f"10.200.0.{11 + i}"
            _ip("-n", name, "addr", "add", f"{address}/24", "dev", inside)
            _ip("-n", name, "link", "set", inside, "up")
            _ip("-n", name, "link", "set", "lo", "up")
            addresses.append(address)
        yield Namespaces(names, addresses)
    finally:
        for name in names:  # deleting a namespace deletes its end of the veth pair, and so the pair
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=30)
        if made_bridge:
            subprocess.run(["ip", "link", "del", bridge], capture_output=True, timeout=30)
