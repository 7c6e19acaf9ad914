"""Local stand-ins for the Paytm and PhonePe servers, for tests, development and staging.

A tool beside the service, not an adapter of it: the service never imports them, and only the CLI's
``simulator`` and ``gateways`` commands start them (import-linter contracts in pyproject.toml).
They speak the gateways' real paths and signatures, with signing written independently of the adapters
(nothing of S2Cart is imported here) so that one shared bug cannot cancel itself out.
"""
