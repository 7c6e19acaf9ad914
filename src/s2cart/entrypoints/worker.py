"""What each ``s2cart serve`` worker runs first: it keeps what the worker will never use out of its memory, then
builds the app (``http/app.py``). Peak RSS per worker is a target (issue 20; decision 0053).

PyJWT imports cryptography whenever it is installed, for the RSA, EC and EdDSA algorithms, and cryptography's Rust
extension is ~7 MiB of a worker's memory (9 MiB with what PyJWT loads with it). With ``S2CART_JWT_ALGORITHM=HS256``
(the default) a worker signs and verifies with ``hmac`` alone, so PyJWT is imported as if cryptography were absent:
``cryptography.hazmat``, under which PyJWT's every import of it goes, is kept out for the length of that one
import. Everything else may still import cryptography (the sealed mail codes and saved cards do, on first use).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from s2cart.entrypoints.settings import Settings

if TYPE_CHECKING:
    from litestar import Litestar

_CRYPTOGRAPHY_CORE = "cryptography.hazmat"


def app_from_env() -> Litestar:
    """The ASGI server's factory: each worker process builds its own app, pools and clients."""
    if Settings.from_env().jwt_algorithm == "HS256":
        import_pyjwt_without_cryptography()
    from s2cart.entrypoints.http.app import app_from_env as build

    return build()


def import_pyjwt_without_cryptography() -> bool:
    """Import PyJWT with its HMAC algorithms only; False (and nothing done) when PyJWT or cryptography's core is
    already imported. The process can then no longer verify RS256 or EdDSA tokens with PyJWT: for a worker whose
    settings name HS256."""
    if "jwt" in sys.modules or _CRYPTOGRAPHY_CORE in sys.modules:
        return False
    sys.modules[_CRYPTOGRAPHY_CORE] = None  # type: ignore[assignment]  # an import of it raises ModuleNotFoundError
    try:
        import jwt  # noqa: F401  (PyJWT catches the error and defines its HMAC algorithms alone)
    finally:
        if sys.modules.get(_CRYPTOGRAPHY_CORE, 0) is None:
            del sys.modules[_CRYPTOGRAPHY_CORE]
    return True
