"""The HTTP routes, one module per resource; each builds its router for the settings given."""
