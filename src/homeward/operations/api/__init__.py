"""Return operations over the API (issue 5)."""
