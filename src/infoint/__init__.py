"""infoint: a command-line tracker for informational interviews."""

__version__ = "0.1.0"
