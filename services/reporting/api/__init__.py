"""The reporting service's HTTP routes: ``reports`` (every report, in every format)."""
