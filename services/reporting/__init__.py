"""Reporting: projections built only from the other services' event streams."""
