#!/usr/bin/env Rscript
# File: tools/make_reference_pool_2x2.R
#
# Reference values of srma's whole 2x2 analysis (srma::pool_2x2, `srma pool --method mh|peto`):
# the Mantel-Haenszel or Peto common-effect estimate together with the random-effects model and
# the heterogeneity statistics that a report shows, under metafor's and RevMan 5's rules.
# Writes tests/validation/data/pool2x2.json and the input files pool2x2_<set>.csv.
# CI never runs this script: its output is committed (STYLE.md, habit 7).
#
#   Rscript tools/make_reference_pool_2x2.R      (from the repository root)
#
# Cases per data set (analysis scale):
#   <set>_mh_metafor     common: rma.mh(measure = "OR") with its defaults; Q, I^2, H^2: its QE,
#                        I2, H2; random: rma(yi, vi, method = "REML") on escalc("OR") with its
#                        defaults (add = 1/2, to = "only0", drop00 = FALSE).
#   <set>_mh_revman5     RevMan 5 (Deeks & Higgins 2010, "Statistical algorithms in Review
#                        Manager 5"; meta's settings.meta("RevMan5"): MH.exact = FALSE,
#                        Q.Cochrane = TRUE): tables with no events in either arm left out
#                        ("not estimable"), 0.5 added to every cell of tables with a zero; common:
#                        rma.mh on those corrected tables; Q about the MH estimate with the
#                        inverse-variance weights of the corrected log ORs (rma.mh's QE);
#                        I^2 = (Q - df)/Q; tau^2 = max(0, (Q - df)/(sum w - sum w^2/sum w))
#                        (DerSimonian-Laird from the MH-based Q), computed here in plain R;
#                        random: rma(yi, vi, tau2 = that value).
#   <set>_peto_revman5   common: rma.peto; Q: its QE; random effects on the Peto log ORs
#                        (O - E)/V, 1/V with tau^2 = max(0, (Q - df)/(sum V - sum V^2/sum V)).
suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
  library(jsonlite)
})

out_dir <- "tests/validation/data"
sets <- list(
  nielweise2007 = dat.nielweise2007,
  li2007 = dat.li2007,
  bcg = within(dat.bcg, { ai <- tpos; n1i <- tpos + tneg; ci <- cpos; n2i <- cpos + cneg })
)
label_of <- function(d, name) {
  if (name == "bcg") paste(d$author, d$year)
  else paste(d$study, d$year)
}

num <- function(x) unname(as.numeric(x))
re_case <- function(fit) {
  list(random = num(fit$beta), random_se = num(fit$se), random_ci_lower = num(fit$ci.lb),
       random_ci_upper = num(fit$ci.ub), tau2 = num(fit$tau2))
}

cases <- list()
for (name in names(sets)) {
  d <- sets[[name]]
  lab <- label_of(d, name)
  if (anyDuplicated(lab)) lab <- make.unique(lab, sep = " #")
  csv <- data.frame(study = lab, events_t = d$ai, n_t = d$n1i, events_c = d$ci, n_c = d$n2i)
  write.csv(csv, file.path(out_dir, sprintf("pool2x2_%s.csv", name)), row.names = FALSE,
            quote = TRUE)

  # metafor's rules.
  mh <- rma.mh(ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d, measure = "OR")
  es <- escalc("OR", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d)
  re <- rma(yi, vi, data = es, method = "REML",
            control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))
  cases[[paste0(name, "_mh_metafor")]] <- c(list(
    data = name, method = "mh", counts = "metafor", tau2_method = "REML", k = nrow(d),
    r_call = paste("rma.mh(ai, n1i, ci, n2i, measure = 'OR');",
                   "rma(escalc('OR', ai, n1i, ci, n2i), method = 'REML')"),
    common = num(mh$beta), common_se = num(mh$se), common_ci_lower = num(mh$ci.lb),
    common_ci_upper = num(mh$ci.ub), Q = num(mh$QE), I2 = num(mh$I2), H2 = num(mh$H2),
    cmh = num(mh$MH), cmh_p = num(mh$MHp), tarone = num(mh$TA), tarone_p = num(mh$TAp), weights = num(weights(mh))), re_case(re))

  # RevMan 5's rules.
  keep <- !(d$ai == 0 & d$ci == 0)
  dk <- d[keep, ]
  zero <- dk$ai == 0 | dk$ci == 0 | dk$ai == dk$n1i | dk$ci == dk$n2i
  a <- dk$ai + 0.5 * zero; b <- dk$n1i - dk$ai + 0.5 * zero
  cc <- dk$ci + 0.5 * zero; dd <- dk$n2i - dk$ci + 0.5 * zero
  mh5 <- rma.mh(ai = a, bi = b, ci = cc, di = dd, measure = "OR", add = 0, to = "none")
  es5 <- escalc("OR", ai = a, bi = b, ci = cc, di = dd)
  w <- 1 / es5$vi
  df <- length(w) - 1
  Q <- sum(w * (es5$yi - as.numeric(mh5$beta))^2)
  tau2 <- max(0, (Q - df) / (sum(w) - sum(w^2) / sum(w)))
  re5 <- rma(es5$yi, es5$vi, tau2 = tau2, method = "DL")
  cases[[paste0(name, "_mh_revman5")]] <- c(list(
    data = name, method = "mh", counts = "revman5", tau2_method = "DL", k = sum(keep),
    r_call = paste("double-zero tables dropped, 0.5 added to tables with a zero;",
                   "rma.mh on those tables; Q = sum w (yi - MH)^2; DL tau2 from Q;",
                   "rma(yi, vi, tau2 = tau2)"),
    common = num(mh5$beta), common_se = num(mh5$se), common_ci_lower = num(mh5$ci.lb),
    common_ci_upper = num(mh5$ci.ub), Q = Q, Q_check_rma_mh = num(mh5$QE),
    I2 = max(0, 100 * (Q - df) / Q), H2 = Q / df), re_case(re5))

  # Peto with DL random effects from the Peto Q.
  pe <- rma.peto(ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d)
  ep <- escalc("PETO", ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = d, to = "none")
  ok <- is.finite(ep$yi)
  V <- 1 / ep$vi[ok]
  dfp <- sum(ok) - 1
  taup <- max(0, (pe$QE - dfp) / (sum(V) - sum(V^2) / sum(V)))
  rep <- rma(ep$yi[ok], ep$vi[ok], tau2 = taup, method = "DL")
  cases[[paste0(name, "_peto_revman5")]] <- c(list(
    data = name, method = "peto", counts = "revman5", tau2_method = "DL", k = sum(ok),
    r_call = paste("rma.peto(ai, n1i, ci, n2i); escalc('PETO', to = 'none');",
                   "DL tau2 from rma.peto's QE with weights V; rma(yi, vi, tau2 = tau2)"),
    common = num(pe$beta), common_se = num(pe$se), common_ci_lower = num(pe$ci.lb),
    common_ci_upper = num(pe$ci.ub), Q = num(pe$QE), I2 = num(pe$I2), H2 = num(pe$H2)),
    re_case(rep))
}

out <- list(
  generated_by = "tools/make_reference_pool_2x2.R",
  source = sprintf("R %s, metafor %s, metadat %s", getRversion(), packageVersion("metafor"),
                   packageVersion("metadat")),
  cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out_dir, "pool2x2.json"))
cat("wrote", length(cases), "cases\n")
