"""The workflow fixtures (default policies, supervisor, `world`) shared with tests/workflow."""

from tests.workflow.conftest import policies, world  # noqa: F401
