"""Attachments app."""
