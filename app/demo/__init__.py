"""The demo county for trying Huxiao: `flask demo seed`."""
