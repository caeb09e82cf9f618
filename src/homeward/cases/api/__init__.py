"""The cases app's REST API: serializers, viewsets and routes (adapters over queries, services)."""
