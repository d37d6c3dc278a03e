#!/bin/sh
# Regenerates the gallery of docs/plots.md: each srma figure (docs/images/gallery_*_srma.png)
# beside metafor's drawing of the same data (docs/images/gallery_*_metafor.png, by
# tools/gallery_metafor.R and, for the QQ plot, the Rscript call below; meta's drapery() is not in
# Debian 12, so the drapery plot has no counterpart). Usage: tools/make_gallery.sh [path/to/srma]  (run from the source
# tree; default binary build/srma). Needs Rscript with metafor for the metafor side; without it
# only the srma side is written.
set -eu
SRMA=${1:-build/srma}
OUT=docs/images
mkdir -p "$OUT"
DATA=tests/validation/data
BCG=examples/bcg/bcg.csv

"$SRMA" forest "$DATA/revman5_fleiss1993_or.csv" --preset revman5 --model common \
  -o "$OUT/gallery_forest_revman5_srma.png"
"$SRMA" forest "$DATA/pool2x2_nielweise2007.csv" --preset revman5 --model common \
  -o "$OUT/gallery_forest_not_estimable_srma.png"
"$SRMA" forest "$BCG" --measure RR --layout jama -o "$OUT/gallery_forest_jama_srma.png"
"$SRMA" forest "$BCG" --measure RR --layout lancet -o "$OUT/gallery_forest_lancet_srma.png"
"$SRMA" labbe examples/bcg/bcg.csv --measure OR --model random -o "$OUT/gallery_labbe_srma.png"
"$SRMA" radial examples/bcg/bcg.csv --measure RR --model random -o "$OUT/gallery_radial_srma.png"
"$SRMA" qqnorm examples/bcg/bcg.csv --measure RR --model random -o "$OUT/gallery_qqnorm_srma.png"
"$SRMA" drapery examples/bcg/bcg.csv --measure RR --model random -o "$OUT/gallery_drapery_srma.png"
"$SRMA" drapery examples/bcg/bcg.csv --measure RR --model random --scale log \
  -o "$OUT/gallery_drapery_log_srma.png"

if command -v Rscript >/dev/null 2>&1; then
  Rscript tools/gallery_metafor.R "$OUT"
  # metafor's QQ plot of the BCG trials (REML), the counterpart of gallery_qqnorm_srma.png.
  Rscript -e 'suppressMessages(library(metafor)); out <- commandArgs(TRUE)[1]
    dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
    png(file.path(out, "gallery_qqnorm_metafor.png"), width = 700, height = 700, res = 120)
    qqnorm(rma(yi, vi, data = dat), seed = 1); invisible(dev.off())' "$OUT"
else
  echo "make_gallery: Rscript not found; metafor's side not regenerated" >&2
fi
