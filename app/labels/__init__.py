"""Printable four-colour QR labels, printed in batches into qr_batches/."""
