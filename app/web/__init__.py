"""Pages outside the API: the landing page of a scanned QR code, health, API docs assets."""
