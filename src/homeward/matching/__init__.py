"""Matching app."""
