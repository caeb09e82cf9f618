"""The scope matrix's records (one Russian, one Tajik per model) serve the header crawler too."""

from tests.test_scope_matrix import matrix  # noqa: F401  (a fixture)
