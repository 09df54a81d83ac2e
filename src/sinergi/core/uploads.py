"""What an uploaded file really is: its extension, content type and leading bytes (magic numbers).

Each app keeps its own list of accepted types, size limit and wording; this is the one place that
knows the signatures and reads a file's head without losing its position.
"""

FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}


def file_extension(name: str | None) -> str:
    """'Surat Keterangan.PDF' -> 'pdf'; no extension -> ''."""
    name = (name or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_matches(upload, ext: str) -> bool:
    """True when the file starts with a signature of type `ext`; the file position is left at 0."""
    signatures = FILE_TYPES[ext][1]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return any(head.startswith(sig) for sig in signatures)
