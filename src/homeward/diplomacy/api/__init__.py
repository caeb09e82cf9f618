"""The diplomacy app's REST API: read-only, scoped and audited."""
