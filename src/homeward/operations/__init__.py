"""Return operations: flights or convoys that take children home (issue 5, domain.md §3.2)."""
