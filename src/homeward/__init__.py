"""Homeward: case management for returning foreign children held in custody to their home states."""

__version__ = "0.1.0"
