"""The visits service's HTTP routes, one module per resource family: ``visits`` (the visit),
``plan`` (its delegation, programme, logistics, preparation, outcome), ``activities``
(meetings, international events, business trips), ``calendar`` (the iCalendar feed)."""
