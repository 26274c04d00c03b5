"""Stage 4 of citeqa: scoring answers to known questions (see eval/sets/)."""
