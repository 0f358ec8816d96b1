"""Integrations with optional dependencies (Dask), installed as extras."""
