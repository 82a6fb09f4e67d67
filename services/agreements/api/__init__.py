"""The agreements service's HTTP routes, one module per resource family: ``agreements``,
``obligations`` (with progress and the sheet import), ``action_plans``, ``commissions``."""
