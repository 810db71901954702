"""Directory writes (DESIGN.md §5): ``<entity>_<action>(*, actor, ...)``. One module per area."""
