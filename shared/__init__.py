"""Plumbing and contracts shared by every IRP service."""
