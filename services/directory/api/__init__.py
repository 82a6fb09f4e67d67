"""HTTP routes of the directory service."""
