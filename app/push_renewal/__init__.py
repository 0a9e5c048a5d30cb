"""A browser's rotated push subscription, renewed by its service worker without a session."""
