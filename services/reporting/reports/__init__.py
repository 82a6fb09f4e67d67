"""The reports, queries over the projections: ``eu`` (the EU Association Agreement action
plan), ``un`` (UN obligations), ``activity`` (the office's activity, and freshness),
``commissions`` (a commission session's decisions), ``dossiers`` (a country dossier);
``common`` (language, definitions, figures), ``formats`` (JSON, CSV, XLSX, DOCX)."""
