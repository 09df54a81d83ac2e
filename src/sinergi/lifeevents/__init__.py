"""Life events: a death, a change of employer, a dismissal (PHK) or a retirement, carried through
every app it touches (registry, unions, coverage, programs), each as one audited, idempotent service."""
