"""Agreements: treaties, memoranda and donor agreements, and the obligations they create."""
