"""The agreements service's domain: plain Python, no I/O. ``agreement`` (agreements and
their lifecycle), ``obligation`` (what agreements, EU action plans, UN recommendations,
commissions and visits oblige the ministry to do, and its progress reports),
``action_plan`` (the EU-Georgia annual action plan), ``commission`` (intergovernmental
commissions, their sessions and decisions), ``obligation_import`` (the office's sheets)."""
