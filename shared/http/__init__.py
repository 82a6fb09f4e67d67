"""HTTP conventions shared by every service (see the design guide)."""
