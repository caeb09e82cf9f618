"""Identity-resolution API: tracing requests, their candidates, duplicates and merges."""
