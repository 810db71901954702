"""Forms of governance, one module per area."""
