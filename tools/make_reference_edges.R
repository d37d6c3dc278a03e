#!/usr/bin/env Rscript
# File: tools/make_reference_edges.R
#
# Reference values for srma's "numerics at the edges" tests (issue 15; tests/unit/model_edges_test.cpp):
# metafor's fits of data whose variances are far from 1, to check that no weight overflows and that
# the tau^2 estimators and REML stay right for variances from about 1e-300 to 1e300.
#
# Writes, in tests/validation/data/:
#
#   edges_<name>.csv    the studies (study, yi, vi; 17 significant digits) of each base data set
#   edges_metafor.csv   for each data set, scale c and tau^2 estimator: metafor's fit of
#                       (yi * c, vi * c^2) and whether it can serve as a reference (`status`)
#   edges_bimodal_maxima.csv   the local maxima of the REML likelihood of edges_bimodal (optimize() on a
#                       fine grid) and metafor's REML estimate
#
# Data sets: dat.bcg (log risk ratios, escalc(measure = "RR")) and dat.hackshaw1998 (its yi, vi)
# rescaled by c in 1e-150, 1e-100, 1e-50, 1, 1e50, 1e100, 1e150; `tiny154` and `tiny100`, four
# studies with yi = 0.1, 0.5, 0.3, -0.2 and sei = (1, 2, 1.5, 3) * 1e-154 (resp. 1e-100), the
# examples of issue 15; `bimodal`, eight studies whose REML likelihood has two interior maxima
# with metafor's Fisher scoring converging to the lower one (found by a seeded random search over
# five precise studies, v = 0.01, and three imprecise ones: set.seed(2), trial 196).
#
# `status` is "ok" when metafor's result can be compared with srma's at 1e-6, else why not:
#   "error: ..."           metafor stopped with that message;
#   "local_maximum"        (bimodal, REML) metafor converged to the lower of two maxima of the
#                           likelihood (edges_bimodal_maxima.csv), srma to the higher;
#   "not_scale_equivariant" its tau^2 / c^2, estimate / c, Q or I2 differ by more than 1e-6
#                           (relative) from its own fit at c = 1 (for tiny154: from tiny100,
#                           whose true values agree with tiny154's to about 1e-199, since every v
#                           is 1e-200 times tau^2 or less): metafor's sums overflowed. srma is
#                           then checked by scale equivariance instead.
#
# Every fit uses control = list(threshold = 1e-12 * c^2, tol = 1e-12 * c^2, maxiter = 10000):
# metafor's threshold and tol are absolute tolerances on tau^2, so they scale with c^2.
#
# Usage, from the repository root:  Rscript tools/make_reference_edges.R
# Requires metafor (values are for Debian 12's r-cran-metafor 3.8-1) and metadat.

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
})
out_dir <- file.path("tests", "validation", "data")
if (!dir.exists(out_dir)) stop("run from the repository root: Rscript tools/make_reference_edges.R")

g17 <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "NA")

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
sets <- list(
  bcg = data.frame(study = paste(dat.bcg$author, dat.bcg$year), yi = as.numeric(bcg$yi),
                   vi = as.numeric(bcg$vi)),
  hackshaw1998 = data.frame(study = paste(dat.hackshaw1998$author, dat.hackshaw1998$year),
                            yi = dat.hackshaw1998$yi, vi = dat.hackshaw1998$vi),
  tiny154 = data.frame(study = LETTERS[1:4], yi = c(0.1, 0.5, 0.3, -0.2),
                       vi = (c(1, 2, 1.5, 3) * 1e-154)^2),
  tiny100 = data.frame(study = LETTERS[1:4], yi = c(0.1, 0.5, 0.3, -0.2),
                       vi = (c(1, 2, 1.5, 3) * 1e-100)^2),
  bimodal = data.frame(study = paste0("S", 1:8), yi = c(0.1, 0.2, 0.1, 0.4, 0, 2.1, 0.9, -3.2),
                       vi = c(0.01, 0.01, 0.01, 0.01, 0.01, 2.992, 1.963, 0.592))
)
for (name in names(sets)) {
  d <- sets[[name]]
  lines <- c("study,yi,vi", sprintf("\"%s\",%s,%s", d$study, g17(d$yi), g17(d$vi)))
  writeLines(lines, file.path(out_dir, paste0("edges_", name, ".csv")))
}

scales <- c(1e-150, 1e-100, 1e-50, 1, 1e50, 1e100, 1e150)
methods <- c("DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")

fit <- function(y, v, method, c) {
  r <- tryCatch(rma(y, v, method = method,
                    control = list(threshold = 1e-12 * c^2, tol = 1e-12 * c^2, maxiter = 10000)),
                error = function(e) e)
  if (inherits(r, "error")) return(list(status = paste("error:", conditionMessage(r))))
  ce <- tryCatch(rma(y, v, method = "EE"), error = function(e) NULL)
  list(status = "ok", estimate = as.numeric(r$b), se = r$se, tau2 = r$tau2, QE = r$QE,
       I2 = r$I2, ce_estimate = if (is.null(ce)) NA else as.numeric(ce$b),
       ce_se = if (is.null(ce)) NA else ce$se)
}
rel_diff <- function(a, b) abs(a - b) / max(abs(b), 1e-300)
# Q is compared only under rescaling (tiny154's Q is 1e108 times tiny100's).
consistent <- function(f, base, c, with_q = TRUE) {
  if (f$status != "ok" || base$status != "ok") return(FALSE)
  tau_ok <- if (base$tau2 == 0) f$tau2 <= 1e-10 * c^2 else rel_diff(f$tau2 / c^2, base$tau2) <= 1e-6
  tau_ok && rel_diff(f$estimate / c, base$estimate) <= 1e-6 &&
    (!with_q || rel_diff(f$QE, base$QE) <= 1e-6) && abs(f$I2 - base$I2) <= 1e-6 * max(1, base$I2)
}

rows <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  cs <- if (name %in% c("bcg", "hackshaw1998")) scales else 1
  for (m in methods) {
    base <- if (name == "tiny154") fit(sets$tiny100$yi, sets$tiny100$vi, m, 1) else
      fit(d$yi, d$vi, m, 1)
    for (c in cs) {
      f <- fit(d$yi * c, d$vi * c^2, m, c)
      status <- f$status
      if (status == "ok" && (c != 1 || name == "tiny154") && !consistent(f, base, c, name != "tiny154")) {
        status <- "not_scale_equivariant"
      }
      # metafor's Fisher scoring stops at the lower of the two maxima (edges_bimodal_maxima.csv).
      if (name == "bimodal" && m == "REML") status <- "local_maximum"
      num <- function(key) if (is.null(f[[key]])) "NA" else g17(f[[key]])
      rows[[length(rows) + 1]] <- sprintf("%s,%s,%s,\"%s\",%s,%s,%s,%s,%s,%s,%s", name,
        sprintf("%g", c), m, gsub("\"", "'", gsub("\n", " ", status)), num("estimate"),
        num("se"), num("tau2"), num("QE"), num("I2"), num("ce_estimate"), num("ce_se"))
    }
  }
}
writeLines(c("dataset,scale,method,status,estimate,se,tau2,Q,I2_tau2,ce_estimate,ce_se",
             unlist(rows)), file.path(out_dir, "edges_metafor.csv"))

# The bimodal REML likelihood: every local maximum (a fine grid, then uniroot() on the REML
# score 2 dll/dtau2 = y'PPy - tr P between the neighbours of each grid maximum, tol = 1e-16) and
# metafor's REML estimate.
llr <- function(t2, y, v) {
  w <- 1 / (v + t2)
  mu <- sum(w * y) / sum(w)
  -0.5 * sum(log(v + t2)) - 0.5 * log(sum(w)) - 0.5 * sum(w * (y - mu)^2) -
    0.5 * (length(y) - 1) * log(2 * pi)
}
score <- function(t2, y, v) {
  w <- 1 / (v + t2)
  W <- sum(w)
  r <- y - sum(w * y) / W
  sum(w^2 * r^2) - (W - sum(w^2) / W)
}
b <- sets$bimodal
grid <- c(0, 10^seq(-6, 3, length.out = 4000))
ll <- sapply(grid, llr, y = b$yi, v = b$vi)
d <- diff(ll)
peaks <- which(d[-1] < 0 & d[-length(d)] > 0) + 1
out <- "kind,tau2,loglik"
for (j in peaks) {
  root <- uniroot(score, c(grid[j - 1], grid[j + 1]), y = b$yi, v = b$vi, tol = 1e-16)$root
  out <- c(out, sprintf("maximum,%s,%s", g17(root), g17(llr(root, b$yi, b$vi))))
}
r <- rma(b$yi, b$vi, method = "REML", control = list(threshold = 1e-12, maxiter = 10000))
out <- c(out, sprintf("metafor_reml,%s,%s", g17(r$tau2), g17(llr(r$tau2, b$yi, b$vi))))
writeLines(out, file.path(out_dir, "edges_bimodal_maxima.csv"))
cat(sprintf("metafor %s, metadat %s\n", packageDescription("metafor")$Version,
            packageDescription("metadat")$Version))
