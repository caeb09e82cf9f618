"""The workflow pages reuse the workflow tests' fixtures: default policies, supervisor, world."""

from tests.workflow.conftest import policies, world  # noqa: F401
