# Reference values for a meta-regression whose REML likelihood has two local maxima
# (tests/unit/model_edges_test.cpp, "a_bimodal_meta_regression_..."): the eight studies of
# edges_bimodal.csv with a moderator x (set.seed(2); round(runif(8, 0, 2), 2), the first of
# eight seeds whose likelihood has two maxima on a 200-point grid).
#
# Writes, under tests/validation/data:
#   edges_bimodal_metareg.csv         study, yi, vi, x
#   edges_bimodal_metareg_maxima.csv  each local maximum of the REML log-likelihood of
#                                     rma(yi, vi, mods = ~ x, tau2 = t) in t (optimize() between
#                                     neighbours of a 2000-point log grid, tol = 1e-14), its
#                                     log-likelihood, and metafor's own REML estimate
#
# Usage, from the repository root:  Rscript tools/make_reference_bimodal_metareg.R
# Requires metafor (values are for Debian 12's r-cran-metafor 3.8-1).
suppressPackageStartupMessages(library(metafor))
out_dir <- file.path("tests", "validation", "data")
if (!dir.exists(out_dir)) stop("run from the repository root")
g17 <- function(x) sprintf("%.17g", x)
y <- c(0.1, 0.2, 0.1, 0.4, 0, 2.1, 0.9, -3.2)
v <- c(0.01, 0.01, 0.01, 0.01, 0.01, 2.992, 1.963, 0.592)
set.seed(2)
x <- round(runif(8, 0, 2), 2)
writeLines(c("study,yi,vi,x", sprintf("S%d,%s,%s,%s", 1:8, g17(y), g17(v), g17(x))),
           file.path(out_dir, "edges_bimodal_metareg.csv"))
ll <- function(t) as.numeric(logLik(rma(y, v, mods = ~x, method = "REML", tau2 = t)))
grid <- exp(seq(log(1e-5), log(50), length.out = 2000))
l <- sapply(grid, ll)
peaks <- which(diff(sign(diff(l))) < 0) + 1
rows <- character(0)
for (p in peaks) {
  o <- optimize(ll, c(grid[p - 1], grid[p + 1]), maximum = TRUE, tol = 1e-14)
  rows <- c(rows, sprintf("maximum,%s,%s", g17(o$maximum), g17(o$objective)))
}
fit <- rma(y, v, mods = ~x, method = "REML",
           control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))
rows <- c(rows, sprintf("metafor_reml,%s,%s", g17(fit$tau2), g17(as.numeric(logLik(fit)))))
writeLines(c("what,tau2,loglik", rows), file.path(out_dir, "edges_bimodal_metareg_maxima.csv"))
