"""随手拍: students and parents scan a school's public code and report a hazard without an account."""
