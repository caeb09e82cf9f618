"""The workflow's REST API: a case's gate, its status history and transitions, the desk."""
