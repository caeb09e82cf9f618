"""Diplomacy: home-state profiles, engagements (notes verbales, meetings) and action items."""
