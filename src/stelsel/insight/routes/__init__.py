"""The insight app's routes, one module per area (imports, OVT links, results entry,
own indicators, VO values, the cockpit's own pages)."""
