"""File type by extension and by content: the shared check behind every upload."""

import io

import pytest

from sinergi.core.uploads import content_matches, file_extension


@pytest.mark.parametrize(
    ("name", "ext"), [("a/Surat.PDF", "pdf"), ("foto.jpeg", "jpeg"), ("tanpa-titik", ""), (None, "")]
)
def test_extension_is_lower_case_without_the_folder(name, ext):
    assert file_extension(name) == ext


def test_content_must_start_with_the_signature_and_the_position_is_reset():
    real = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    real.read(5)
    assert content_matches(real, "png") and real.tell() == 0
    assert not content_matches(io.BytesIO(b"%PDF-1.4 but named png"), "png")
    assert content_matches(io.BytesIO(b"PK\x03\x04rest"), "xlsx")
