"""The IRP services, each owning its database."""
