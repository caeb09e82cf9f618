"""The workflow pages reuse the workflow tests' fixtures: default policies, supervisor, world."""

from tests.workflow.conftest import policies, supervisor, world  # noqa: F401
