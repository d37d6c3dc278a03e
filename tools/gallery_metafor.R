# The metafor side of the gallery in docs/plots.md (run by tools/make_gallery.sh): metafor's
# drawing of the same data as each srma figure. Usage: Rscript tools/gallery_metafor.R OUTDIR
# Needs r-cran-metafor (Debian 12: 3.8-1); reads the data from tests/validation/data and metafor.
suppressMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "docs/images"

# Fleiss 1993 aspirin trials, Mantel-Haenszel OR (RevMan 5's analysis).
fl <- read.csv("tests/validation/data/revman5_fleiss1993_or.csv")
mh <- rma.mh(ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = fl, measure = "OR",
             slab = study)
png(file.path(out, "gallery_forest_revman5_metafor.png"), width = 1100, height = 520, res = 120)
forest(mh, atransf = exp, header = c("Study", "OR [95% CI]"),
       ilab = cbind(fl$events_t, fl$n_t, fl$events_c, fl$n_c), ilab.xpos = c(-9, -7.5, -6, -4.5),
       xlim = c(-14, 5))
invisible(dev.off())

# BCG trials, log risk ratios, REML.
dat <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg,
              slab = paste(author, year))
r <- rma(yi, vi, data = dat)
png(file.path(out, "gallery_radial_metafor.png"), width = 800, height = 600, res = 120)
radial(r)
invisible(dev.off())

# BCG trials, log odds ratios, REML: L'Abbé plot on the rate scale.
ro <- rma(measure = "OR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
png(file.path(out, "gallery_labbe_metafor.png"), width = 700, height = 700, res = 120)
labbe(ro, transf = transf.ilogit)
invisible(dev.off())
