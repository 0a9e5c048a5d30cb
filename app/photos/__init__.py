"""Photos: upload, content checks, storage and scoped download."""
