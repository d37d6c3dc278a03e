#!/usr/bin/env Rscript
# Times metafor on the same fits as bench/pool_bench.cpp: one REML random-effects pool with the
# Q-profile CI and prediction interval (rma + confint + predict), on dat.bcg's first 11 studies
# and on simulated data of growing k (same generating model as the C++ benchmark, not the same
# draws). Prints CSV: case,k,seconds_per_fit.
suppressPackageStartupMessages(library(metafor))
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
fit <- function(yi, vi) {
  r <- rma(yi, vi, method = "REML")
  ci <- confint(r)
  p <- predict(r)
  invisible(list(r, ci, p))
}
time_per_fit <- function(yi, vi, min_seconds = 1) {
  n <- 0; start <- proc.time()[["elapsed"]]
  repeat {
    fit(yi, vi); n <- n + 1
    el <- proc.time()[["elapsed"]] - start
    if (el >= min_seconds) return(el / n)
  }
}
cat("case,k,seconds_per_fit\n")
cat(sprintf("bcg11,11,%.6g\n", time_per_fit(bcg$yi[1:11], bcg$vi[1:11])))
set.seed(42)
args <- commandArgs(trailingOnly = TRUE)
ks <- if (length(args)) as.integer(strsplit(args[1], ",")[[1]]) else c(100L, 1000L)
for (k in ks) {
  vi <- runif(k, 0.01, 0.5)
  yi <- -0.3 + rnorm(k, 0, sqrt(0.05)) + rnorm(k, 0, sqrt(vi))
  cat(sprintf("sim,%d,%.6g\n", k, time_per_fit(yi, vi, min_seconds = 0)))
}
# permutest(exact = TRUE) on the first 11 BCG trials (2^11 refits); skipped unless asked for,
# because it takes about ten seconds.
if (length(args) >= 2 && args[2] == "permtest") {
  r <- rma(bcg$yi[1:11], bcg$vi[1:11], method = "REML")
  t <- system.time(suppressMessages(permutest(r, exact = TRUE, progbar = FALSE)))[["elapsed"]]
  cat(sprintf("permtest11,11,%.6g\n", t))
}
# GOSH on all 4,095 subsets of 12 simulated studies (bench/sensitivity_bench.cpp's bm_gosh: the
# same generating model, not the same draws): DL always, REML (about 25 s) with "permtest".
set.seed(12)
vi <- runif(12, 0.01, 0.5)
yi <- -0.3 + rnorm(12, 0, sqrt(0.05)) + rnorm(12, 0, sqrt(vi))
t <- system.time(gosh(rma(yi, vi, method = "DL"), progbar = FALSE))[["elapsed"]]
cat(sprintf("gosh12dl,12,%.6g\n", t))
if (length(args) >= 2 && args[2] == "permtest") {
  t <- system.time(gosh(rma(yi, vi, method = "REML"), progbar = FALSE))[["elapsed"]]
  cat(sprintf("gosh12reml,12,%.6g\n", t))
}
# Sensitivity and bias analyses (issue 15), asked for with a third argument "sensitivity": on the
# 13 BCG trials, leave1out(rma(yi, vi)), influence(rma(yi, vi)) and the small-study tests srma's
# small_study_bias() runs (regtest with model "rma" and "lm", ranktest, trimfill, fsn of the
# Rosenthal, Orwin and Rosenberg types), each with its rma() fit; then leave1out and influence on
# simulated data of the first k of the list (metafor refits k times, about quadratic in k).
if (length(args) >= 3 && args[3] == "sensitivity") {
  time_of <- function(f, min_seconds = 1) {
    n <- 0; start <- proc.time()[["elapsed"]]
    repeat {
      f(); n <- n + 1
      el <- proc.time()[["elapsed"]] - start
      if (el >= min_seconds) return(el / n)
    }
  }
  y <- bcg$yi; v <- bcg$vi
  cat(sprintf("leave1out_bcg,13,%.6g\n", time_of(function() leave1out(rma(y, v)))))
  cat(sprintf("influence_bcg,13,%.6g\n", time_of(function() influence(rma(y, v)))))
  cat(sprintf("bias_bcg,13,%.6g\n", time_of(function() {
    r <- rma(y, v)
    regtest(r); regtest(r, model = "lm"); ranktest(r); trimfill(r)
    fsn(y, v); fsn(y, v, type = "Orwin"); fsn(y, v, type = "Rosenberg")
  })))
  set.seed(42)
  k <- ks[1]
  vi <- runif(k, 0.01, 0.5)
  yi <- -0.3 + rnorm(k, 0, sqrt(0.05)) + rnorm(k, 0, sqrt(vi))
  cat(sprintf("leave1out,%d,%.6g\n", k, time_of(function() leave1out(rma(yi, vi)), 0)))
  cat(sprintf("influence,%d,%.6g\n", k, time_of(function() influence(rma(yi, vi)), 0)))
}
# Issue 14 workloads, asked for with a third argument "scale" and the folder the data are in
# (written by tools/bench_compare.sh, the same files srma reads):
#  - batch: metafor's loop over rma(method = "REML", test = "knha") + confint + predict, one
#    meta-analysis of 10 studies per id of batch1e4.csv (DL where REML does not converge, as
#    srma); timed on the first `n` ids (default 500) and reported per meta-analysis (the loop is
#    linear in the number of ids);
#  - gosh16: gosh() on all 65,535 subsets of the 16 studies of gosh16.csv (DL, as srma's run);
#  - gosh16whole: the same as a whole process, as `srma gosh` is timed: Rscript starting, loading
#    metafor, reading the file, rma(), gosh() and its plot written to an SVG file.
if (length(args) >= 4 && args[3] == "scale") {
  dir <- args[4]
  n <- if (length(args) >= 5) as.integer(args[5]) else 500L
  b <- read.csv(file.path(dir, "batch1e4.csv"))
  ids <- unique(b$id)[seq_len(n)]
  rows <- split(b[b$id %in% ids, ], factor(b$id[b$id %in% ids], levels = ids))
  t <- system.time(for (d in rows) {
    # As srma: DL when REML does not converge (tau2_control::fallback; metafor's method =
    # c("REML", "DL") in later versions).
    r <- tryCatch(rma(d$yi, d$vi, method = "REML", test = "knha"),
                  error = function(e) rma(d$yi, d$vi, method = "DL", test = "knha"))
    ci <- confint(r)
    p <- predict(r)
  })[["elapsed"]]
  cat(sprintf("batch,%d,%.6g\n", n, t / n))
  g <- read.csv(file.path(dir, "gosh16.csv"))
  r <- rma(g$yi, g$vi, method = "DL")
  t <- system.time(gosh(r, progbar = FALSE))[["elapsed"]]
  cat(sprintf("gosh16,16,%.6g\n", t))
  code <- sprintf(paste0("suppressPackageStartupMessages(library(metafor)); ",
                         "g <- read.csv('%s'); r <- rma(g$yi, g$vi, method = 'DL'); ",
                         "x <- gosh(r, progbar = FALSE); svg('%s'); plot(x); invisible(dev.off())"),
                  file.path(dir, "gosh16.csv"), file.path(dir, "gosh16_r.svg"))
  t <- system.time(system2("Rscript", c("-e", shQuote(code)), stdout = FALSE))[["elapsed"]]
  cat(sprintf("gosh16whole,16,%.6g\n", t))
}
