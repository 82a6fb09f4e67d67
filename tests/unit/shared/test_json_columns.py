"""JSON columns are read by orjson, and read as the standard library reads them: the same
values, and what orjson refuses (NaN, a lone surrogate) still read."""

from __future__ import annotations

import json
import math

import pytest

from shared.db import json_loads

DOCUMENTS = [
    {"en": "Visit of the French minister", "ka": "საფრანგეთის მინისტრის ვიზიტი"},
    [{"kind": "un_upr", "reference": "123.45", "support_level": None}],
    {"n": [1, -2, 3.5, 0.1, 1e300], "yes": True, "no": False, "none": None, "empty": {}},
    "plain text",
    7,
]


@pytest.mark.parametrize("value", DOCUMENTS)
def test_a_stored_document_reads_back_as_the_standard_library_reads_it(value):
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        assert json_loads(text) == json.loads(text) == value


def test_what_orjson_refuses_is_read_by_the_standard_library():
    assert math.isnan(json_loads('{"percent": NaN}')["percent"])
    assert json_loads('"\\ud800"') == "\ud800"  # a lone surrogate, as json.dumps writes it


def test_text_that_is_not_json_is_still_an_error():
    with pytest.raises(json.JSONDecodeError):
        json_loads("{not json")
