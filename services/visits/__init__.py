"""Visits: incoming and outgoing visits, and the protocol work around them."""
