"""`sinergi simulate`: months of officers' work run through the real services, checked by invariants."""
