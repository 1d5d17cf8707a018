"""One dateline finder serves every extractor (context, times, events)."""
from kg.extract import context, events, times
from kg.extract.dateline import DATELINE, dateline_end


def test_dateline_shapes() -> None:
    for head in ("MOSTAR \u2014 ", "VARNA, Bulgaria \u2014 ", "PORTO NOVO, Benin, March 3 (Wire) \u2014 ",
                 "LIMA/QUITO \u2014 ", "TROMSO, 4 June - ", "OSLO (XY) - ", "BERN -- "):
        assert dateline_end(head + "Shells fell on the port.") == len(head)


def test_no_dateline() -> None:
    assert dateline_end("A guard - who asked not to be named - spoke.") == 0
    assert dateline_end("Officials said on Friday \u2014 again \u2014 that the road was shut.") == 0


def test_modules_share_it() -> None:
    assert times._DATELINE is DATELINE
    assert events.dateline_end is dateline_end
    assert context._dateline_text_end is dateline_end
