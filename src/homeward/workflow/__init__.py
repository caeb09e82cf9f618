"""Workflow app."""
