"""Local stand-ins for the Paytm and PhonePe servers, for tests, development and staging.

They speak the gateways' real paths and signatures, with signing written independently of the adapters
(an import-linter contract keeps the two apart) so that one shared bug cannot cancel itself out.
"""
