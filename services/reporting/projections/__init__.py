"""The read models reporting builds from the event streams, one module per stream or model:
``visits``, ``activities`` (meetings, international events, business trips),
``agreements``, ``obligations`` (with action plans), ``commissions``, ``passports``.
``apply`` is the dispatcher the consumer (and a replay) calls: one batch, one transaction."""
