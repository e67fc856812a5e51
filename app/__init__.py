"""orgreg: a registry of international organizations and of states' membership in them."""

__version__ = "0.1.0"
