"""Stage 3 of citeqa: settings, the `Engine` that answers, and its two faces (HTTP and CLI)."""
