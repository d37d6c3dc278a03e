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
