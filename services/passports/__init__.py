"""Passports: diplomatic and service passports, personal data protected."""
