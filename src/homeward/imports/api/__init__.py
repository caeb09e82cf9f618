"""The imports app's REST API: upload, dry-run report, options, commit, template, original."""
