"""The visits service's domain: plain Python, no I/O.

``visit`` is the visit aggregate with its parts (``delegation``, ``programme``,
``logistics``, ``preparation``, ``outcome``) and ``readiness`` (are an outgoing
delegation's passports in order); ``meeting``, ``international_event`` and
``business_trip`` are the other activities the office runs (``activity``: what they share).
"""
