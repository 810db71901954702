"""LandHub: the coordination hub of the 1,000 landscapes initiative."""
