"""Every test here takes part in the session's personal-data scan (``tests/conftest.py``)."""

import pytest


@pytest.fixture(autouse=True)
def _scanned_at_the_end(personal_data_scan: None) -> None:
    """Starts the session's scan with the first test here; it runs once all are done."""
