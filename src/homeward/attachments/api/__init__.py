"""The attachments app's REST API: metadata, upload and download (adapters over the services)."""
