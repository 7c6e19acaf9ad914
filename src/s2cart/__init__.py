"""S2Cart customer API."""

__version__ = "1.0.0"
