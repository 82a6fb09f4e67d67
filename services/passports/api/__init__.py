"""The passports service's HTTP routes: ``holders``, ``passports``, ``audit`` (who read which
personal data). Personal data only with the ``passports:pii`` scope, every read audited."""
