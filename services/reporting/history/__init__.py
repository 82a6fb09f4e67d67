"""Reports as of a past moment and rebuilds: ``replay`` (the kept history replayed into a
scratch database), ``snapshots`` (so that a replay starts near the moment),
``rebuild`` (every projection rebuilt from the history, and compared)."""
