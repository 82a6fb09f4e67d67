"""The notifications service's rules: plain Python, no I/O."""
