
from helpers.core.paths import RAW_DIR
from helpers.resolution import quotes

BLUETS = (RAW_DIR / "sources" / "linformaticien-2022-les-bluets.txt").read_text(encoding="utf-8")
CANNES = (RAW_DIR / "sources" / "nice-matin-2024-cannes.txt").read_text(encoding="utf-8")


def test_normalise_keeps_length_so_offsets_carry_over():
    text = "l’hôpital\u00a0« A » – B"
    assert len(quotes.normalise(text)) == len(text)
    assert quotes.normalise(text) == "l'hôpital \" A \" - B"


def test_straight_apostrophe_finds_typographic_one_with_original_offsets():
    quote = "sa maternité a été victime d'une cyberattaque"
    spans = quotes.find_all(quote, BLUETS)
    assert len(spans) == 1
    start, end = spans[0]
    assert BLUETS[start:end] == "sa maternité a été victime d’une cyberattaque"


def test_plain_space_finds_non_breaking_space_in_cannes_text():
    assert "\u00a0" in CANNES
    nbsp_at = CANNES.index("\u00a0")
    window = CANNES[nbsp_at - 10:nbsp_at + 10]
    spans = quotes.find_all(window.replace("\u00a0", " "), CANNES)
    assert [CANNES[s:e] for s, e in spans] == [window]


def test_missing_quote_finds_nothing_and_nearest_passage_is_close():
    quote = "le piratage a été revendiqué le 21 octobre par le groupe"
    assert quotes.find_all(quote, BLUETS) == []
    near = quotes.nearest_passage(quote, BLUETS)
    assert "revendiqué le 20 octobre" in near


def test_every_occurrence_is_found():
    assert len(quotes.find_all("LockBit", CANNES)) == CANNES.count("LockBit")
