"""The organisation tree: county -> township -> school, and grids in a school."""
