#!/usr/bin/env Rscript
# File: tools/make_reference_mh_sensitivity.R
#
# Regenerates the reference values of srma's leave-one-out and cumulative analyses of 2x2 tables
# pooled by Mantel-Haenszel or Peto (tests/validation/mh_sensitivity_test.cpp):
# tests/validation/data/mh_sensitivity.json. CI never runs this script: its output is committed
# (STYLE.md, habit 7).
#
# Usage, from the repository root (a few seconds):
#
#   Rscript tools/make_reference_mh_sensitivity.R
#
# Requires R >= 4.0 with metafor (values are for Debian 12's r-cran-metafor 3.8-1).
#
# Inputs are the committed tables tests/validation/data/pool2x2_<set>.csv (study, events_t, n_t,
# events_c, n_c; written by tools/make_reference_pool_2x2.R from metadat's dat.bcg,
# dat.li2007 and dat.nielweise2007, the last with single- and double-zero tables). For each set
# and each of rma.mh(measure = "OR" | "RR" | "RD") and rma.peto() with metafor's defaults
# (exact MH sums; double-zero tables kept in the sums and left out of QE), it records every row
# of leave1out(fit) and of cumul(fit) (file order): estimate, se, zval, pval, ci.lb, ci.ub, Q,
# Qp, I2, H2 on the analysis scale (log OR, log RR, RD). metafor's I2/H2 of these fits are
# Q-based. A row metafor gives as NA is written as null.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

out_dir <- "tests/validation/data"
if (!dir.exists(out_dir)) {
  stop("run from the repository root: Rscript tools/make_reference_mh_sensitivity.R")
}

rows_of <- function(x) {
  d <- as.data.frame(x)
  lapply(seq_len(nrow(d)), function(i) {
    r <- d[i, ]
    v <- function(n) if (is.na(r[[n]])) NULL else unname(r[[n]])
    list(label = rownames(d)[i], estimate = v("estimate"), se = v("se"), zval = v("zval"),
         pval = v("pval"), ci_lower = v("ci.lb"), ci_upper = v("ci.ub"), Q = v("Q"),
         Q_p = v("Qp"), I2 = v("I2"), H2 = v("H2"))
  })
}

cases <- list()
for (set in c("bcg", "li2007", "nielweise2007")) {
  d <- read.csv(file.path(out_dir, sprintf("pool2x2_%s.csv", set)), check.names = FALSE)
  fits <- list(
    mh_OR = quote(rma.mh(ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = d,
                         measure = "OR", slab = study)),
    mh_RR = quote(rma.mh(ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = d,
                         measure = "RR", slab = study)),
    mh_RD = quote(rma.mh(ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = d,
                         measure = "RD", slab = study)),
    peto = quote(rma.peto(ai = events_t, n1i = n_t, ci = events_c, n2i = n_c, data = d,
                          slab = study)))
  for (name in names(fits)) {
    # Double-zero tables make escalc warn "Some yi/vi values are NA": expected, as documented.
    fit <- suppressWarnings(eval(fits[[name]]))
    l1o <- suppressWarnings(leave1out(fit))
    cu <- suppressWarnings(cumul(fit))
    cases[[paste(set, name, sep = "_")]] <- list(
      data = set, method = if (name == "peto") "peto" else "mh",
      measure = if (name == "peto") "OR" else sub("mh_", "", name),
      r_call = paste0(deparse(fits[[name]], width.cutoff = 500L),
                      "; leave1out(fit); cumul(fit)"),
      leave1out = rows_of(l1o), cumulative = rows_of(cu))
  }
}

doc <- list(
  source = paste("metafor", packageVersion("metafor"), "on", R.version.string,
                 "; written by tools/make_reference_mh_sensitivity.R"),
  cases = cases)
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           file.path(out_dir, "mh_sensitivity.json"))
cat("wrote", file.path(out_dir, "mh_sensitivity.json"), "with", length(cases), "cases\n")
