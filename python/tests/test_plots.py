# File: python/tests/test_plots.py
#
# Figures: forest plots of pooled, subgroup, leave-one-out and cumulative analyses, funnel plots
# with their layers, the GOSH plot; SVG text, PNG and PDF bytes, files written by extension.
import pytest

import srma
from conftest import BCG, PIGNON


@pytest.fixture(scope="module")
def fit():
    return srma.pool(BCG, measure="RR")


def test_forest_of_a_fit_as_svg_png_and_pdf(fit, tmp_path):
    d = srma.forest(fit, tmp_path / "forest.svg", columns=["year"], pi=True,
                    favours="Favours vaccine|Favours control", title="BCG")
    assert isinstance(d, srma.Drawing) and d.width > 0 and d.height > 0
    svg = (tmp_path / "forest.svg").read_text()
    assert svg == d.svg() and svg.startswith("<?xml") and "<svg" in svg
    for text in ("Aronson 1948", "Favours vaccine", "BCG", "1948", "Prediction interval"):
        assert text in svg, text
    png = srma.forest(fit, tmp_path / "forest.png", dpi=72)
    assert (tmp_path / "forest.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fit.forest(tmp_path / "forest.pdf")
    assert (tmp_path / "forest.pdf").read_bytes()[:5] == b"%PDF-"
    assert png.render("png", dpi=72) == (tmp_path / "forest.png").read_bytes()
    assert png.render("png", dpi=144) != (tmp_path / "forest.png").read_bytes()


def test_forest_options_change_the_figure(fit):
    plain = srma.forest(fit).svg()
    assert "Prediction interval" not in plain
    assert srma.forest(fit, stats=False).svg() != plain
    assert srma.forest(fit, sort="effect").svg() != plain
    wide = srma.forest(fit, width="9in")
    assert wide.width == pytest.approx(9 * 72)
    assert srma.forest(fit, favours=("Left side", "Right side")).svg().count("Right side") == 1
    assert "Custom axis" in srma.forest(fit, xlab="Custom axis").svg()


def test_forest_from_studies_subgroups_and_refits(tmp_path):
    by = srma.forest(PIGNON, by="timing", method="DL")
    svg = by.svg()
    for level in ("adjuvant", "neoadjuvant", "concomitant"):
        assert level in svg
    assert srma.forest(srma.pool(PIGNON, by="timing", method="DL")).svg() == svg
    l1o = srma.leave1out(BCG, measure="RR")
    assert "Aronson 1948" in srma.forest(l1o, title="Leave one out").svg()
    assert "Aronson 1948" in l1o.forest().svg()
    assert "1948" in srma.cumulative(BCG, measure="RR", order="year").forest().svg()
    with pytest.raises(srma.Error):
        srma.forest(l1o, columns=["year"])
    with pytest.raises(TypeError):
        srma.forest(srma.pool(BCG), method="DL")  # options apply only when pooling here
    # pi="t2" picks the PI when forest() pools the studies
    t2 = srma.forest(BCG, measure="RR", pi="t2").svg()
    assert "Prediction interval" in t2


def test_funnel(fit, tmp_path):
    d = srma.funnel(fit, tmp_path / "funnel.svg", contours=[90, 95, 99], egger=True,
                    trimfill="L0")
    svg = (tmp_path / "funnel.svg").read_text()
    assert svg == d.svg()
    assert "Egger regression" in svg
    assert srma.funnel(fit).svg() != svg
    assert srma.funnel(BCG, measure="RR").svg() == srma.funnel(fit).svg()
    assert fit.funnel(tmp_path / "funnel.png").render("png")[:4] == b"\x89PNG"


def test_gosh_plot(tmp_path):
    g = srma.gosh(srma.read_studies(BCG, measure="RR").subset(list(range(7))))
    d = g.plot(tmp_path / "gosh.svg", highlight="Aronson 1948")
    assert (tmp_path / "gosh.svg").read_text() == d.svg()
    assert "Aronson 1948" in d.svg()
    assert g.plot(highlight=0).svg() == d.svg()  # label or 0-based index
    assert "Aronson 1948" in g.caption(highlight=0)
    with pytest.raises(srma.Error) as e:
        g.plot(highlight="nobody")
    assert e.value.id == "srma.cli.E401"
