"""Legal holds over the API."""
