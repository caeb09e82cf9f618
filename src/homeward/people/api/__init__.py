"""The people app's REST API: serializers, viewsets, routes (adapters over queries, services)."""
