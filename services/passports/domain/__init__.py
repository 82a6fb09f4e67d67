"""The passports service's domain: plain Python, no I/O. ``holder`` (the officials entitled
to diplomatic and service passports; their personal data), ``passport`` (the document's
lifecycle, entitlements, hand-over and return), ``mrz`` (ICAO 9303 check digits)."""
