"""Directory reads, filtered by what the user may see. One module per area; import from here."""
