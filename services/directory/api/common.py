"""What the directory's routes share: the bodies of a renaming and a closure."""

from __future__ import annotations

from pydantic import Field

from shared.http.examples import examples
from shared.types import BilingualText, Day, Reason, StrictModel

READ, WRITE = "directory:read", "directory:write"


class Renaming(StrictModel):
    """A new name from a day on; the old one is kept with the days it was used."""

    model_config = examples(
        {
            "name": {
                "ka": "საერთაშორისო ურთიერთობებისა და ევროინტეგრაციის დეპარტამენტი",
                "en": "Department of International Relations and European Integration",
            },
            "on": "2027-01-01",
        }
    )

    name: BilingualText = Field(description="the new name, in Georgian and/or English")
    on: Day = Field(description="its first day")


class Closure(StrictModel):
    """The end of a record, from a day on, and why."""

    model_config = examples(
        {"reason": "abolished by ministerial order 12/2027", "on": "2027-03-01"}
    )

    reason: Reason = Field(description="why: the order or decision that ends it")
    on: Day = Field(description="the first day it no longer exists")
