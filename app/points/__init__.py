"""Risk points, their levels and categories, and their QR tokens."""
