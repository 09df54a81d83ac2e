"""The fast QR encoder gives exactly segno's matrix (byte mode, error level M, mask 0) — no database."""

import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.programs import qrfast

URL = "https://sinergi.example/programs/v/KPJ2020-{:07d}.abcdefghijklmnopqrst/"


def _segno(text):
    return [
        list(r)
        for r in segno.make(text, error="m", mode="byte", mask=0, micro=False, boost_error=False).matrix
    ]


def test_card_urls_match_segno():
    for i in (1, 2, 99, 23000, 9_999_999):
        assert qrfast.qr_rows(URL.format(i)) == _segno(URL.format(i))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=64, max_size=84))
def test_any_ascii_text_of_a_card_urls_length_matches_segno(text):
    assert qrfast.qr_rows(text) == _segno(text)


def test_other_versions_and_non_ascii_fall_back_or_match():
    for text in ("x", "https://localhost:8000/programs/v/A.b/", "https://a/" + "é" * 30, "y" * 40):
        assert qrfast.qr_rows(text) == _segno(text)


def test_image_bytes_are_rows_of_one_bit_pixels_dark_as_zero():
    text = URL.format(7)
    data, width = qrfast.qr_image_bytes(text)
    stride = (width + 7) // 8
    assert len(data) == width * stride
    rows = _segno(text)
    for r in (0, width // 2, width - 1):
        bits = "".join(f"{b:08b}" for b in data[r * stride : (r + 1) * stride])[:width]
        assert [1 - int(b) for b in bits] == rows[r]
