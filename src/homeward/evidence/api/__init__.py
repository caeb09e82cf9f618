"""The evidence tracks over the REST API: scoped, audited reads; records made via services."""
