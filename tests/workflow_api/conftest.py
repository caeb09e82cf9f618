"""The workflow fixtures (default policies, supervisor, `world`) shared with tests/workflow."""

from tests.workflow.conftest import policies, supervisor, world  # noqa: F401
