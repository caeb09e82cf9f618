"""Evidence app."""
