#!/usr/bin/env Rscript
# Writes tests/validation/data/gosh_bcg8.json: metafor's gosh() on the first 8 trials of dat.bcg
# (log risk ratios), for the common-effect, DerSimonian-Laird and REML models: every one of the
# 255 subsets with k, QE, I2, H2, tau2 and the estimate, in gosh()'s order (by subset size, then
# expand.grid order). Run from the repository root: Rscript tools/make_reference_gosh.R
suppressPackageStartupMessages(library(metafor))
options(warn = 2)
dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)[1:8, ]
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) if (is.na(x)) "null" else sprintf("%.17g", x)
cases <- character(0)
for (method in c("EE", "DL", "REML")) {
  fit <- rma(yi, vi, data = dat, method = method, control = ctrl)
  g <- gosh(fit, progbar = FALSE)
  # Subset membership, recovered as a bit mask (bit i = study i).
  incl <- g$incl
  masks <- apply(incl, 1, function(r) sum(2^(which(r) - 1)))
  rows <- sprintf('{"mask": %d, "k": %d, "Q": %s, "I2": %s, "H2": %s, "tau2": %s, "estimate": %s}',
                  as.integer(masks), as.integer(g$res$k),
                  sapply(g$res$QE, num), sapply(g$res$I2, num), sapply(g$res$H2, num),
                  sapply(g$res$tau2, num), sapply(g$res$estimate, num))
  cases <- c(cases, sprintf('{"name": "bcg8_gosh_%s", "tau2": "%s", "r_call": "gosh(rma(yi, vi, data = dat, method = \\"%s\\", control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)))", "subsets": [\n%s\n]}',
                            method, method, method, paste(rows, collapse = ",\n")))
}
src <- sprintf("R %s, metafor %s, metadat %s; dat.bcg trials 1-8, escalc(measure = \\\"RR\\\"); tools/make_reference_gosh.R",
               paste(R.version$major, R.version$minor, sep = "."), packageDescription("metafor")$Version,
               packageDescription("metadat")$Version)
yi <- paste(sapply(dat$yi, num), collapse = ", ")
vi <- paste(sapply(dat$vi, num), collapse = ", ")
writeLines(sprintf('{"source": "%s", "yi": [%s], "vi": [%s], "cases": [\n%s\n]}', src, yi, vi,
                   paste(cases, collapse = ",\n")),
           "tests/validation/data/gosh_bcg8.json")
cat("wrote tests/validation/data/gosh_bcg8.json\n")
