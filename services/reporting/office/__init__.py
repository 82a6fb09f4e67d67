"""The reporting office's page (``/office/``): sign in with an office account, choose a
report, download it in every format, in Georgian or English. Server-rendered, every asset
served by the service itself."""
