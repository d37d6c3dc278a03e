#!/usr/bin/env Rscript
# File: tools/sweep_metafor.R
#
# A sweep of srma against metafor on metadat's data sets (issue 12, "done when"): every data set
# whose outcome can be recognised is written as a study CSV in srma's column names, analysed by
# metafor and by `srma ... --preset metafor --json`, and every number both report is compared at
# a relative 1e-6 (absolute 1e-9 near zero).
#
# Usage, from the repository root (a few minutes):
#
#   Rscript tools/sweep_metafor.R --srma PATH/TO/srma [--out DIR] [--only NAME,NAME] [--max-k K]
#
#   --out DIR     where the CSVs and the results go (default: sweep_out); DIR/<set>.csv are the
#                 inputs, DIR/compare.csv every comparison, DIR/mismatches.csv the failed ones,
#                 DIR/summary.csv values compared / matched per data set, measure and analysis,
#                 DIR/refused.csv srma's errors where metafor gave a result, DIR/skipped.csv
#                 what metafor warned about or refused (not compared).
#   --list        print the data sets (tags) that would be analysed, and stop
#   --only A,B    analyse only these tags
#   --skip-k K    leave out data sets with more than K complete studies (default 1000: metafor's
#                 dense k x k matrices make a tight REML fit of mccurdy2020, k = 1653, take
#                 minutes per fit)
#   --merge D1,D2,... --out DIR   combine the result files of sweeps run in parallel with --only
#   --max-k K     refitting analyses (leave1out, cumulative, influence) only up to K studies
#                 (default 300); larger sets are pooled, tested and regressed only.
#
# Requires R >= 4.0 with metafor, metadat and jsonlite (written against Debian 12's
# r-cran-metafor 3.8-1, metadat 1.2-0).
#
# Outcome types are detected from the columns: a hand-made table (`specs` below) maps the
# data sets whose columns have their own names; the others are recognised by metafor's usual
# names (ai,n1i,ci,n2i; ai,bi,ci,di; m1i,sd1i,n1i,...; xi,ni; ri,ni; x1i,t1i,x2i,t2i; yi,vi;
# yi,sei). Rows whose effect columns are incomplete are kept in the CSV (srma gets
# --exclude-missing) and dropped in R before escalc().
#
# metafor side (analysis scale; weights in percent):
#   escalc(measure) with its defaults (add = 1/2 to tables with a zero, drop00 = FALSE);
#   rma(method = "EE"), rma(method = "REML" | "DL") with
#     control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000, stepadj = 0.5),
#   predict() (prediction interval), confint(fit, control = list(tol = 1e-12, maxiter = 10000))
#   for tau^2, tau, I^2, H^2; weights(); rma.mh() and rma.peto() for 2x2 counts;
#   leave1out(), cumulative() (input order), influence() of the REML fit; regtest() (mixed
#   "rma" and classical "lm", predictor sei; Peters: "lm" with ninv for 2x2), ranktest(),
#   trimfill() (k >= 3), fsn() (Rosenthal, Orwin, Rosenberg); rma(mods = ~ moderator, REML).
# srma side: `srma pool|leave1out|cumulative|influence|bias|metareg --preset metafor --json`
#   with the same --measure and --tau2, and `pool --method mh|peto`.
#
# An R warning or error in a metafor call skips that analysis (the reason is in skipped.csv),
# except "Studies with NAs omitted from model fitting." in the meta-regression (a missing
# moderator; srma drops the row too).

suppressPackageStartupMessages({
  library(metafor)
  library(metadat)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
opt <- function(name, default = NULL) {
  i <- match(name, args)
  if (is.na(i) || i == length(args)) return(default)
  args[[i + 1]]
}
# --merge DIR,DIR,... --out DIR: combine the results of sweeps run in parallel (with --only).
merge <- opt("--merge")
if (!is.null(merge)) {
  out_dir <- opt("--out", "sweep_out")
  dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
  dirs <- strsplit(merge, ",")[[1]]
  for (f in c("compare.csv", "mismatches.csv", "skipped.csv", "refused.csv", "summary.csv")) {
    parts <- lapply(file.path(dirs, f), function(p) if (file.exists(p) && file.size(p) > 1) read.csv(p) else NULL)
    parts <- Filter(Negate(is.null), parts)
    x <- if (length(parts)) do.call(rbind, parts) else data.frame()
    write.csv(x, file.path(out_dir, f), row.names = FALSE)
    if (f == "compare.csv") cat(sprintf("values compared: %d; matched: %d; mismatched: %d\n",
                                        nrow(x), sum(x$match), sum(!x$match)))
  }
  quit(save = "no")
}
srma <- opt("--srma")
if (is.null(srma) || !file.exists(srma)) stop("usage: Rscript tools/sweep_metafor.R --srma PATH [--out DIR]")
srma <- normalizePath(srma)
out_dir <- opt("--out", "sweep_out")
only <- opt("--only")
only <- if (is.null(only)) character() else strsplit(only, ",")[[1]]
max_k <- as.integer(opt("--max-k", "300"))
skip_k <- as.integer(opt("--skip-k", "1000"))
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
out_dir <- normalizePath(out_dir)

ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000, stepadj = 0.5)
ci_ctrl <- list(tol = 1e-12, maxiter = 10000)
rel_tol <- 1e-6
abs_tol <- 1e-9

# ---------------------------------------------------------------------------------------------
# Data sets with their own column names: name, outcome type, expressions for the standard
# columns (evaluated in the data frame), label, moderator, optional row subset.
#   2x2:   ai, n1i, ci, n2i        means: m1i, sd1i, n1i, m2i, sd2i, n2i
#   prop:  xi, ni                   cor:   ri, ni
#   rates: x1i, t1i, x2i, t2i       gen:   yi, vi (or yi, sei)      oe: oe, v
spec <- function(name, type, cols, label = NULL, mod = NULL, subset = NULL, tag = NULL) {
  list(name = name, type = type, cols = cols, label = label, mod = mod, subset = subset,
       tag = if (is.null(tag)) sub("^dat\\.", "", name) else tag)
}
tt <- function(a, n1, c, n2) c(ai = a, n1i = n1, ci = c, n2i = n2)
specs <- list(
  spec("dat.axfors2021", "2x2", tt("hcq_arm_event", "hcq_arm_total", "control_arm_event", "control_arm_total"), "acronym"),
  spec("dat.bcg", "2x2", tt("tpos", "tpos + tneg", "cpos", "cpos + cneg"), "paste(author, year)", "ablat"),
  spec("dat.colditz1994", "2x2", tt("tpos", "tpos + tneg", "cpos", "cpos + cneg"), "paste(author, year)", "year"),
  spec("dat.collins1985a", "2x2", tt("b.xti", "nti", "b.xci", "nci"), "trial", "year"),
  spec("dat.collins1985b", "2x2", tt("pre.xti", "pre.nti", "pre.xci", "pre.nci"), "paste(author, year)", "year"),
  spec("dat.damico2009", "2x2", tt("xt", "nt", "xc", "nc"), "paste(study, year)", "year"),
  spec("dat.dorn2007", "2x2", tt("x.a", "n.a", "x.p", "n.p"), "paste(study, year)", "year"),
  spec("dat.bornmann2007", "2x2", tt("waward", "wtotal", "maward", "mtotal"), "study", "year"),
  spec("dat.cannon2006", "2x2", tt("ep1t", "nt", "ep1c", "nc"), "trial"),
  spec("dat.fine1993", "2x2", tt("e1i", "nei", "c1i", "nci"), "study"),
  spec("dat.hartmannboyce2018", "2x2", tt("x.nrt", "n.nrt", "x.ctrl", "n.ctrl"), "study"),
  spec("dat.landenberger2005", "2x2", tt("n.cbt.rec", "n.cbt.rec + n.cbt.non", "n.ctrl.rec", "n.ctrl.rec + n.ctrl.non"), "study", "age"),
  spec("dat.vanhowe1999", "2x2", tt("cir.pos", "cir.pos + cir.neg", "non.pos", "non.pos + non.neg"), "study"),
  spec("dat.viechtbauer2021", "2x2", tt("xTi", "nTi", "xCi", "nCi"), "trial", "dose"),
  spec("dat.gibson2002", "2x2", tt("ai", "ai + bi", "ci", "ci + di"), "paste(author, year)", "year", tag = "gibson2002_2x2"),
  spec("dat.gibson2002", "means", c(m1i = "m1i", sd1i = "sd1i", n1i = "n1i", m2i = "m2i", sd2i = "sd2i", n2i = "n2i"),
       "paste(author, year)", "year", tag = "gibson2002_means"),
  spec("dat.dagostino1998", "means", c(m1i = "mt", sd1i = "sdt", n1i = "nt", m2i = "mc", sd2i = "sdc", n2i = "nc"), "study"),
  spec("dat.lehmann2018", "means", c(m1i = "Red_M", sd1i = "Red_SD", n1i = "Red_N", m2i = "Control_M", sd2i = "Control_SD", n2i = "Control_N"),
       "Short_Title", "Year", tag = "lehmann2018_means"),
  spec("dat.michael2013", "means", c(m1i = "Brain_m", sd1i = "Brain_s", n1i = "Brain_n", m2i = "No_brain_m", sd2i = "No_brain_s", n2i = "No_brain_n"), "Study"),
  spec("dat.baskerville2012", "gen", c(yi = "smd", sei = "se"), "paste(author, year)", "year"),
  spec("dat.lopez2019", "gen", c(yi = "diff", sei = "se"), "study", "sessions"),
  spec("dat.linde2016", "gen", c(yi = "lnOR", sei = "selnOR"), "id"),
  spec("dat.bakdash2021", "gen", c(yi = "es.z", vi = "vi.z"), "paste(Author, Year)", "Year"),
  spec("dat.pignon2000", "oe", c(oe = "OmE", v = "V"), "trial", "grp"),
  spec("dat.baker2009", "prop", c(xi = "exac", ni = "total"), "study", "year"),
  spec("dat.dogliotti2014", "prop", c(xi = "stroke", ni = "total"), "study"),
  spec("dat.dong2013", "prop", c(xi = "death", ni = "randomized"), "id"),
  spec("dat.gurusamy2011", "prop", c(xi = "death", ni = "n"), "study"),
  spec("dat.obrien2003", "prop", c(xi = "cases", ni = "total"), "paste(author, year)", "bmi"),
  spec("dat.hasselblad1998", "prop", c(xi = "xi", ni = "ni"), "study", "year"),
  spec("dat.nakagawa2007", "cor", c(ri = "Correlation", ni = "SampleSize"), "StudyID"),
  spec("dat.white2020", "cor", c(ri = "r", ni = "n"), "study_id"),
  spec("dat.woods2010", "cor", c(ri = "r", ni = "N"), "author"),
  spec("dat.berkey1998", "gen", c(yi = "yi", vi = "vi"), "paste(author, year)", "year", "outcome == 'PD'", tag = "berkey1998_PD"),
  spec("dat.riley2003", "gen", c(yi = "yi", vi = "vi"), "study", NULL, "outcome == 'OS'", tag = "riley2003_OS"),
  spec("dat.yusuf1985", "2x2", tt("ai", "n1i", "ci", "n2i"), "trial", NULL, "table == '6'", tag = "yusuf1985_6"),
  spec("dat.yusuf1985", "2x2", tt("ai", "n1i", "ci", "n2i"), "trial", NULL, "table == '9'", tag = "yusuf1985_9"),
  spec("dat.yusuf1985", "2x2", tt("ai", "n1i", "ci", "n2i"), "trial", NULL, "table == '15'", tag = "yusuf1985_15")
)
# Data sets not handled (no single two-group, one-group or generic outcome): multi-arm and
# network sets (franchini2012, stowe2010, linde2015, senn2013), diagnostic accuracy
# (kearon1998), reliability and R^2 (bonett2010, aloe2013), genotype tables (frank2008),
# laterality counts (bourassa1996), the mixed-column ishak2007 and list objects.
not_handled <- c("dat.franchini2012", "dat.stowe2010", "dat.linde2015", "dat.senn2013",
                 "dat.kearon1998", "dat.bonett2010", "dat.aloe2013", "dat.frank2008",
                 "dat.bourassa1996", "dat.ishak2007", "dat.besson2016")

auto_type <- function(d) {
  n <- names(d)
  has <- function(...) all(c(...) %in% n)
  if (has("ai", "n1i", "ci", "n2i")) return(list(type = "2x2", cols = tt("ai", "n1i", "ci", "n2i")))
  if (has("ai", "bi", "ci", "di")) return(list(type = "2x2", cols = tt("ai", "ai + bi", "ci", "ci + di")))
  if (has("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"))
    return(list(type = "means", cols = c(m1i = "m1i", sd1i = "sd1i", n1i = "n1i", m2i = "m2i", sd2i = "sd2i", n2i = "n2i")))
  if (has("x1i", "t1i", "x2i", "t2i")) return(list(type = "rates", cols = c(x1i = "x1i", t1i = "t1i", x2i = "x2i", t2i = "t2i")))
  if (has("ri", "ni")) return(list(type = "cor", cols = c(ri = "ri", ni = "ni")))
  if (has("xi", "ni")) return(list(type = "prop", cols = c(xi = "xi", ni = "ni")))
  if (has("yi", "vi")) return(list(type = "gen", cols = c(yi = "yi", vi = "vi")))
  if (has("yi", "sei")) return(list(type = "gen", cols = c(yi = "yi", sei = "sei")))
  NULL
}
auto_label <- function(d) {
  for (c in c("study", "trial", "author", "authors", "authorName", "paper", "Study", "id")) {
    if (c %in% names(d)) {
      if ("year" %in% names(d) && c %in% c("author", "authors", "authorName")) return(paste0("paste(", c, ", year)"))
      return(c)
    }
  }
  NULL
}
auto_mod <- function(d) {
  for (c in c("year", "Year", "ablat", "weeks", "dose", "age", "meanage", "length", "hrs", "minutes", "mdur", "time", "bmi"))
    if (c %in% names(d) && is.numeric(d[[c]]) && length(unique(na.omit(d[[c]]))) > 1) return(c)
  NULL
}

all_sets <- data(package = "metadat")$results[, "Item"]
handled <- vapply(specs, `[[`, "", "name")
for (n in setdiff(all_sets, c(handled, not_handled))) {
  d <- get(n)
  if (!is.data.frame(d)) next
  a <- auto_type(d)
  if (is.null(a)) next
  specs[[length(specs) + 1]] <- spec(n, a$type, a$cols, auto_label(d), auto_mod(d))
}
if (length(only)) specs <- Filter(function(s) s$tag %in% only, specs)
if ("--list" %in% args) { cat(vapply(specs, `[[`, "", "tag"), sep = "\n"); quit(save = "no") }

# Measures per outcome type: the first gets every analysis, the others are pooled only.
measures <- list(
  "2x2" = c("OR", "RR", "RD"), means = c("MD", "SMD", "SMDH", "ROM"),
  prop = c("PLO", "PR", "PLN", "PAS", "PFT"), cor = c("ZCOR", "COR"), rates = c("IRR", "IRD"),
  gen = c("GEN"), oe = c("HR"))
srma_cols <- list(
  "2x2" = c(ai = "events_t", n1i = "n_t", ci = "events_c", n2i = "n_c"),
  means = c(m1i = "m1", sd1i = "sd1", n1i = "n1", m2i = "m2", sd2i = "sd2", n2i = "n2"),
  prop = c(xi = "events", ni = "n"), cor = c(ri = "ri", ni = "ni"),
  rates = c(x1i = "events_t", t1i = "time_t", x2i = "events_c", t2i = "time_c"),
  gen = c(yi = "yi", vi = "vi", sei = "sei"), oe = c(oe = "oe", v = "v"))

# ---------------------------------------------------------------------------------------------
# Results.

cmp_rows <- list()
skips <- list()
refusals <- list()
cur <- list(set = "", measure = "", method = "")

num <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)
nums <- function(lst, key) vapply(lst, function(r) num(r[[key]]), 0)
cmp <- function(analysis, field, s, m) {
  s <- as.numeric(s); m <- as.numeric(m)
  if (length(s) != length(m)) {
    cmp_rows[[length(cmp_rows) + 1]] <<- data.frame(
      set = cur$set, measure = cur$measure, method = cur$method, analysis = analysis,
      field = paste0(field, " (length)"), row = NA, srma = length(s), metafor = length(m), match = FALSE)
    return(invisible())
  }
  both_na <- is.na(s) & is.na(m)
  ok <- !both_na & !is.na(s) & !is.na(m) &
    (abs(s - m) <= pmax(rel_tol * pmax(abs(s), abs(m)), abs_tol) | (is.infinite(s) & s == m))
  ok[is.na(ok)] <- FALSE
  keep <- !both_na
  if (!any(keep)) return(invisible())
  cmp_rows[[length(cmp_rows) + 1]] <<- data.frame(
    set = cur$set, measure = cur$measure, method = cur$method, analysis = analysis, field = field,
    row = if (length(s) > 1) seq_along(s)[keep] else NA, srma = s[keep], metafor = m[keep],
    match = ok[keep])
}
skip <- function(analysis, reason) {
  skips[[length(skips) + 1]] <<- data.frame(set = cur$set, measure = cur$measure,
                                           method = cur$method, analysis = analysis,
                                           reason = gsub("[\r\n]+", " ", reason))
}
refuse <- function(analysis, cmdline, err) {
  refusals[[length(refusals) + 1]] <<- data.frame(set = cur$set, measure = cur$measure,
                                                 method = cur$method, analysis = analysis,
                                                 command = cmdline,
                                                 error = gsub("[\r\n]+", " ", err))
}

# confint() with tau2.max raised until no bound is capped at it (metafor caps the upper bound
# at max(100, 10 tau^2) by default).
confint_tight <- function(fit) {
  t2max <- max(100, 10 * fit$tau2)
  for (i in 1:8) {
    ci <- confint(fit, control = c(ci_ctrl, list(tau2.max = t2max)))
    if (!isTRUE(ci$random["tau^2", "ci.ub"] >= t2max * (1 - 1e-9))) return(ci)
    t2max <- t2max * 10
  }
  ci
}

# metafor call: value, or NULL with the warning/error recorded.
mf <- function(analysis, expr, allow = character()) {
  w <- character()
  val <- tryCatch(withCallingHandlers(expr, warning = function(x) {
    msg <- conditionMessage(x)
    if (!any(vapply(allow, function(a) grepl(a, msg, fixed = TRUE), TRUE))) w <<- c(w, msg)
    invokeRestart("muffleWarning")
  }), error = function(e) structure(conditionMessage(e), class = "mf_error"))
  if (inherits(val, "mf_error")) { skip(analysis, paste("metafor error:", val)); return(NULL) }
  if (length(w)) { skip(analysis, paste("metafor warning:", paste(unique(w), collapse = "; "))); return(NULL) }
  val
}

# srma call: parsed JSON, or NULL with the error recorded.
run_srma <- function(analysis, cmd, file, extra) {
  a <- c(cmd, file, "--preset", "metafor", "--json", "--exclude-missing", extra)
  cmdline <- paste("srma", paste(shQuote(a), collapse = " "))
  errf <- tempfile()
  out <- suppressWarnings(system2(srma, shQuote(a), stdout = TRUE, stderr = errf, timeout = 600))
  status <- attr(out, "status")
  err <- paste(readLines(errf, warn = FALSE), collapse = " ")
  unlink(errf)
  if (!is.null(status) && status != 0) {
    refuse(analysis, cmdline, paste0("exit ", status, ": ", err))
    return(NULL)
  }
  j <- tryCatch(fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE),
                error = function(e) NULL)
  if (is.null(j)) refuse(analysis, cmdline, paste("unparsable output:", substr(paste(out, collapse = ""), 1, 200)))
  j
}

# ---------------------------------------------------------------------------------------------
# Comparisons of one kind of result.

cmp_pool <- function(tag, j, fitE, fit, ci, pr, esc) {
  cmp(tag, "yi", nums(j$studies, "yi"), esc$yi)
  cmp(tag, "vi", nums(j$studies, "vi"), esc$vi)
  cmp(tag, "k", j$k, fit$k)
  if (!is.null(fitE)) {
    c0 <- j$common
    cmp(tag, "common.estimate", num(c0$estimate), fitE$beta[1])
    cmp(tag, "common.se", num(c0$se), fitE$se)
    cmp(tag, "common.ci_lower", num(c0$ci_lower), fitE$ci.lb)
    cmp(tag, "common.ci_upper", num(c0$ci_upper), fitE$ci.ub)
    cmp(tag, "common.statistic", num(c0$statistic), fitE$zval)
    cmp(tag, "common.p", num(c0$p), fitE$pval)
    cmp(tag, "weight_common", nums(j$studies, "weight_common"), weights(fitE))
  }
  r <- j$random
  cmp(tag, "random.estimate", num(r$estimate), fit$beta[1])
  cmp(tag, "random.se", num(r$se), fit$se)
  cmp(tag, "random.ci_lower", num(r$ci_lower), fit$ci.lb)
  cmp(tag, "random.ci_upper", num(r$ci_upper), fit$ci.ub)
  cmp(tag, "random.statistic", num(r$statistic), fit$zval)
  cmp(tag, "random.p", num(r$p), fit$pval)
  if (!is.null(pr)) {
    cmp(tag, "random.pi_lower", num(r$pi_lower), pr$pi.lb)
    cmp(tag, "random.pi_upper", num(r$pi_upper), pr$pi.ub)
  }
  cmp(tag, "weight_random", nums(j$studies, "weight_random"), weights(fit))
  h <- j$heterogeneity
  cmp(tag, "Q", num(h$Q), fit$QE)
  cmp(tag, "Q_p", num(h$p), fit$QEp)
  cmp(tag, "I2 (Q-based, from QE)", num(h$I2), max(0, (fit$QE - (fit$k - 1)) / fit$QE) * 100)
  cmp(tag, "H2 (Q-based, from QE)", num(h$H2), fit$QE / (fit$k - 1))
  cmp(tag, "I2_tau2", num(h$I2_tau2), fit$I2)
  cmp(tag, "H2_tau2", num(h$H2_tau2), fit$H2)
  cmp(tag, "tau2", num(h$tau2), fit$tau2)
  cmp(tag, "tau2_se", num(h$tau2_se), fit$se.tau2)
  if (!is.null(ci)) {
    rr <- ci$random
    cmp(tag, "tau2_ci_lower", num(h$tau2_ci_lower), rr["tau^2", "ci.lb"])
    cmp(tag, "tau2_ci_upper", num(h$tau2_ci_upper), rr["tau^2", "ci.ub"])
    cmp(tag, "tau_ci_lower", num(h$tau_ci_lower), rr["tau", "ci.lb"])
    cmp(tag, "tau_ci_upper", num(h$tau_ci_upper), rr["tau", "ci.ub"])
    cmp(tag, "I2_ci_lower", num(h$I2_ci_lower), rr["I^2(%)", "ci.lb"])
    cmp(tag, "I2_ci_upper", num(h$I2_ci_upper), rr["I^2(%)", "ci.ub"])
    cmp(tag, "H2_ci_lower", num(h$H2_ci_lower), rr["H^2", "ci.lb"])
    cmp(tag, "H2_ci_upper", num(h$H2_ci_upper), rr["H^2", "ci.ub"])
  }
}

cmp_rows_table <- function(tag, rows, x, fields) {
  for (f in names(fields)) cmp(tag, f, nums(rows, f), x[[fields[[f]]]])
}

# ---------------------------------------------------------------------------------------------
# One data set.

run_set <- function(s) {
  d <- get(s$name)
  if (!is.null(s$subset)) d <- d[eval(parse(text = s$subset), d), , drop = FALSE]
  ev <- function(e) eval(parse(text = e), d)
  std <- as.data.frame(lapply(s$cols, ev))
  names(std) <- names(s$cols)
  lab <- if (is.null(s$label)) paste("Study", seq_len(nrow(d))) else as.character(ev(s$label))
  lab[is.na(lab) | lab == ""] <- paste("Row", which(is.na(lab) | lab == ""))
  scols <- srma_cols[[s$type]][names(std)]
  csv <- data.frame(study = lab, stringsAsFactors = FALSE)
  for (i in seq_along(scols)) csv[[scols[[i]]]] <- std[[i]]
  mod_name <- NULL
  if (!is.null(s$mod)) {
    mod_name <- gsub("[^A-Za-z0-9_]", "_", s$mod)
    if (mod_name %in% names(csv)) mod_name <- paste0("mod_", mod_name)
    csv[[mod_name]] <- as.numeric(d[[s$mod]])
    if (length(unique(na.omit(csv[[mod_name]]))) < 2) mod_name <- NULL
  }
  file <- file.path(out_dir, paste0(s$tag, ".csv"))
  write.csv(csv, file, row.names = FALSE, na = "")

  complete <- stats::complete.cases(std)
  dd <- std[complete, , drop = FALSE]
  dd$study <- lab[complete]
  if (!is.null(mod_name)) dd$mod <- csv[[mod_name]][complete]
  k <- nrow(dd)
  if (k > skip_k) { skip("all", sprintf("k = %d > --skip-k %d", k, skip_k)); return(invisible()) }
  ms <- measures[[s$type]]
  for (mi in seq_along(ms)) {
    M <- ms[mi]
    cur <<- list(set = s$tag, measure = M, method = "")
    full <- mi == 1
    if (M == "ROM" && any(c(dd$m1i, dd$m2i) <= 0)) { skip("all", "ROM needs positive means"); next }
    esc <- mf("escalc", switch(s$type,
      "2x2" = escalc(M, ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dd),
      means = escalc(M, m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dd),
      prop = escalc(M, xi = xi, ni = ni, data = dd),
      cor = escalc(M, ri = ri, ni = ni, data = dd),
      rates = escalc(M, x1i = x1i, t1i = t1i, x2i = x2i, t2i = t2i, data = dd),
      gen = if ("vi" %in% names(dd)) escalc("GEN", yi = yi, vi = vi, data = dd) else escalc("GEN", yi = yi, sei = sei, data = dd),
      oe = { e <- dd; e$yi <- dd$oe / dd$v; e$vi <- 1 / dd$v; e }))
    if (is.null(esc)) next
    if (any(!is.finite(esc$yi) | !is.finite(esc$vi))) { skip("all", "escalc gives non-finite yi/vi"); next }
    sm <- if (M == "GEN") character() else c("--measure", M)
    fitE <- mf("pool", rma(yi, vi, data = esc, method = "EE"))
    for (meth in c("REML", "DL")) {
      if (!full && meth == "DL") next
      cur$method <<- meth
      fit <- mf("pool", rma(yi, vi, data = esc, method = meth, control = ctrl))
      if (is.null(fit)) next
      ci <- mf("pool (tau2 CI)", confint_tight(fit))
      pr <- mf("pool (PI)", predict(fit))
      j <- run_srma("pool", "pool", file, c(sm, "--tau2", meth))
      if (!is.null(j)) cmp_pool("pool", j, fitE, fit, ci, pr, esc)
      if (!full || meth != "REML") next
      if (k > max_k) { skip("refits", sprintf("k = %d > --max-k %d", k, max_k)); }
      else {
        l1 <- mf("leave1out", leave1out(fit))
        j <- if (!is.null(l1)) run_srma("leave1out", "leave1out", file, c(sm, "--tau2", meth))
        if (!is.null(j) && !is.null(l1)) cmp_rows_table("leave1out", j$leave1out, l1, c(
          estimate = "estimate", se = "se", statistic = "zval", p = "pval", ci_lower = "ci.lb",
          ci_upper = "ci.ub", Q = "Q", Q_p = "Qp", tau2 = "tau2", I2_tau2 = "I2", H2_tau2 = "H2"))
        cu <- mf("cumulative", cumul(fit))
        j <- if (!is.null(cu)) run_srma("cumulative", "cumulative", file, c(sm, "--tau2", meth))
        if (!is.null(j) && !is.null(cu)) cmp_rows_table("cumulative", j$cumulative, cu, c(
          estimate = "estimate", se = "se", statistic = "zval", p = "pvals", ci_lower = "ci.lb",
          ci_upper = "ci.ub", Q = "Q", Q_p = "Qp", tau2 = "tau2", I2_tau2 = "I2", H2_tau2 = "H2"))
        inf <- mf("influence", influence(fit))
        j <- if (!is.null(inf)) run_srma("influence", "influence", file, c(sm, "--tau2", meth))
        if (!is.null(j) && !is.null(inf)) {
          ii <- inf$inf
          cmp_rows_table("influence", j$influence, ii, c(
            rstudent = "rstudent", dffits = "dffits", cook_d = "cook.d", cov_r = "cov.r",
            tau2_del = "tau2.del", QE_del = "QE.del", hat = "hat", weight = "weight"))
          cmp("influence", "dfbetas", nums(j$influence, "dfbetas"), inf$dfbs[[1]])
        }
      }
      # Small-study effects.
      eg <- mf("bias", regtest(fit))
      egl <- mf("bias", regtest(fit, model = "lm"))
      rk <- mf("bias", ranktest(fit), allow = "Cannot compute exact p-value with ties")
      tf <- if (k >= 3) mf("bias", trimfill(fit, control = ctrl)) else NULL
      fr <- mf("bias", fsn(yi, vi, data = esc, type = "Rosenthal"))
      fo <- mf("bias", fsn(yi, vi, data = esc, type = "Orwin"))
      fb <- mf("bias", fsn(yi, vi, data = esc, type = "Rosenberg"))
      pe <- if (s$type == "2x2") mf("bias", regtest(fit, model = "lm", predictor = "ninv", ni = esc$n1i + esc$n2i)) else NULL
      j <- run_srma("bias", "bias", file, c(sm, "--tau2", meth))
      if (!is.null(j)) {
        cmp_eg <- function(nm, js, e) {
          if (is.null(e) || is.null(js)) return()
          if (inherits(e$fit, "lm")) cf <- summary(e$fit)$coefficients[2, 1:2]
          else cf <- c(e$fit$beta[2], e$fit$se[2])
          cmp("bias", paste0(nm, ".bias"), num(js$bias), cf[1])
          cmp("bias", paste0(nm, ".se"), num(js$se), cf[2])
          cmp("bias", paste0(nm, ".statistic"), num(js$statistic), e$zval)
          cmp("bias", paste0(nm, ".p"), num(js$p), e$pval)
          cmp("bias", paste0(nm, ".df"), num(js$df), if (is.null(e$dfs)) NA else e$dfs)
          cmp("bias", paste0(nm, ".limit_estimate"), num(js$limit_estimate), e$est)
          cmp("bias", paste0(nm, ".limit_ci_lower"), num(js$limit_ci_lower), e$ci.lb)
          cmp("bias", paste0(nm, ".limit_ci_upper"), num(js$limit_ci_upper), e$ci.ub)
        }
        cmp_eg("egger_mixed", j$egger_mixed, eg)
        cmp_eg("egger", j$egger, egl)
        cmp_eg("peters", j$peters, pe)
        if (!is.null(rk) && !is.null(j$begg)) {
          cmp("bias", "begg.tau", num(j$begg$tau), rk$tau)
          cmp("bias", "begg.p", num(j$begg$p), rk$pval)
        }
        if (!is.null(tf) && !is.null(j$trimfill)) {
          t <- j$trimfill
          cmp("bias", "trimfill.k0", num(t$k0), tf$k0)
          cmp("bias", "trimfill.side (1 = left)", as.numeric(identical(t$side, "left")), as.numeric(tf$side == "left"))
          cmp("bias", "trimfill.estimate", num(t$estimate), tf$beta[1])
          cmp("bias", "trimfill.se", num(t$se), tf$se)
          cmp("bias", "trimfill.ci_lower", num(t$ci_lower), tf$ci.lb)
          cmp("bias", "trimfill.ci_upper", num(t$ci_upper), tf$ci.ub)
          cmp("bias", "trimfill.p", num(t$p), tf$pval)
          cmp("bias", "trimfill.tau2", num(t$tau2), tf$tau2)
          cmp("bias", "trimfill.se_k0", num(t$se_k0), tf$se.k0)
          if (tf$k0 > 0) {
            cmp("bias", "trimfill.filled.yi", nums(t$filled, "yi"), tf$yi[tf$fill])
            cmp("bias", "trimfill.filled.vi", nums(t$filled, "vi"), tf$vi[tf$fill])
          }
        }
        if (!is.null(j$failsafe)) {
          if (!is.null(fr)) cmp("bias", "failsafe.rosenthal", num(j$failsafe$rosenthal), fr$fsnum)
          if (!is.null(fo)) cmp("bias", "failsafe.orwin", num(j$failsafe$orwin), fo$fsnum)
          if (!is.null(fb)) cmp("bias", "failsafe.rosenberg", num(j$failsafe$rosenberg), fb$fsnum)
        }
      }
      # Meta-regression.
      if (!is.null(mod_name)) {
        mr <- mf("metareg", rma(yi, vi, mods = ~ mod, data = esc, method = meth, control = ctrl),
                 allow = "Studies with NAs omitted from model fitting.")
        j <- if (!is.null(mr)) run_srma("metareg", "metareg", file, c(sm, "--tau2", meth, "--mods", mod_name))
        if (!is.null(j) && !is.null(mr)) {
          co <- j$coefficients
          cmp("metareg", "k", j$k, mr$k)
          cmp("metareg", "coef.estimate", nums(co, "estimate"), mr$beta)
          cmp("metareg", "coef.se", nums(co, "se"), mr$se)
          cmp("metareg", "coef.statistic", nums(co, "statistic"), mr$zval)
          cmp("metareg", "coef.p", nums(co, "p"), mr$pval)
          cmp("metareg", "coef.ci_lower", nums(co, "ci_lower"), mr$ci.lb)
          cmp("metareg", "coef.ci_upper", nums(co, "ci_upper"), mr$ci.ub)
          cmp("metareg", "QM", num(j$QM$statistic), mr$QM)
          cmp("metareg", "QM_p", num(j$QM$p), mr$QMp)
          cmp("metareg", "QE", num(j$QE$Q), mr$QE)
          cmp("metareg", "QE_p", num(j$QE$p), mr$QEp)
          cmp("metareg", "tau2", num(j$tau2), mr$tau2)
          cmp("metareg", "tau2_se", num(j$tau2_se), mr$se.tau2)
          cmp("metareg", "I2_tau2", num(j$I2_tau2), mr$I2)
          cmp("metareg", "H2_tau2", num(j$H2_tau2), mr$H2)
          cmp("metareg", "R2", num(j$R2), if (is.null(mr$R2)) NA else mr$R2)
        }
      }
    }
    # Mantel-Haenszel and Peto (2x2 counts).
    if (s$type == "2x2") {
      cur$method <<- "MH"
      mh <- mf("pool --method mh", rma.mh(ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dd, measure = M),
               allow = "Some yi/vi values are NA.")
      j <- if (!is.null(mh)) run_srma("pool --method mh", "pool", file, c(sm, "--method", "mh"))
      if (!is.null(j) && !is.null(mh)) {
        c0 <- j$common
        cmp("mh", "estimate", num(c0$estimate), mh$beta[1])
        cmp("mh", "se", num(c0$se), mh$se)
        cmp("mh", "ci_lower", num(c0$ci_lower), mh$ci.lb)
        cmp("mh", "ci_upper", num(c0$ci_upper), mh$ci.ub)
        cmp("mh", "statistic", num(c0$statistic), mh$zval)
        cmp("mh", "p", num(c0$p), mh$pval)
        cmp("mh", "Q", num(j$heterogeneity$Q), mh$QE)
        cmp("mh", "Q_p", num(j$heterogeneity$p), mh$QEp)
        cmp("mh", "I2", num(j$heterogeneity$I2), mh$I2)
        cmp("mh", "H2", num(j$heterogeneity$H2), mh$H2)
        if (M == "OR") {
          cmp("mh", "cmh", num(j$tests_2x2$cmh), mh$MH)
          cmp("mh", "cmh_p", num(j$tests_2x2$cmh_p), mh$MHp)
          cmp("mh", "tarone", num(j$tests_2x2$tarone), mh$TA)
          cmp("mh", "tarone_p", num(j$tests_2x2$tarone_p), mh$TAp)
        }
      }
      if (M == "OR") {
        cur$method <<- "Peto"
        pt <- mf("pool --method peto", rma.peto(ai = ai, n1i = n1i, ci = ci, n2i = n2i, data = dd),
                 allow = "Some yi/vi values are NA.")
        j <- if (!is.null(pt)) run_srma("pool --method peto", "pool", file, c("--measure", "OR", "--method", "peto"))
        if (!is.null(j) && !is.null(pt)) {
          c0 <- j$common
          cmp("peto", "estimate", num(c0$estimate), pt$beta[1])
          cmp("peto", "se", num(c0$se), pt$se)
          cmp("peto", "ci_lower", num(c0$ci_lower), pt$ci.lb)
          cmp("peto", "ci_upper", num(c0$ci_upper), pt$ci.ub)
          cmp("peto", "statistic", num(c0$statistic), pt$zval)
          cmp("peto", "p", num(c0$p), pt$pval)
          cmp("peto", "Q", num(j$heterogeneity$Q), pt$QE)
          cmp("peto", "Q_p", num(j$heterogeneity$p), pt$QEp)
          cmp("peto", "I2", num(j$heterogeneity$I2), pt$I2)
          cmp("peto", "H2", num(j$heterogeneity$H2), pt$H2)
        }
      }
    }
  }
}

# ---------------------------------------------------------------------------------------------
# Output (rewritten after every data set, so an interrupted sweep keeps what it did).

bind <- function(l, cols) if (length(l)) do.call(rbind, l) else
  as.data.frame(setNames(replicate(length(cols), character(), simplify = FALSE), cols))
write_results <- function(final = FALSE) {
  cmpd <- bind(cmp_rows, c("set", "measure", "method", "analysis", "field", "row", "srma", "metafor", "match"))
  skd <- bind(skips, c("set", "measure", "method", "analysis", "reason"))
  rfd <- bind(refusals, c("set", "measure", "method", "analysis", "command", "error"))
  write.csv(cmpd, file.path(out_dir, "compare.csv"), row.names = FALSE)
  mism <- cmpd[!cmpd$match, ]
  mism$rel_diff <- abs(mism$srma - mism$metafor) / pmax(abs(mism$srma), abs(mism$metafor))
  write.csv(mism, file.path(out_dir, "mismatches.csv"), row.names = FALSE)
  write.csv(skd, file.path(out_dir, "skipped.csv"), row.names = FALSE)
  write.csv(rfd, file.path(out_dir, "refused.csv"), row.names = FALSE)
  if (nrow(cmpd)) {
    key <- interaction(cmpd$set, cmpd$measure, cmpd$method, cmpd$analysis, drop = TRUE, lex.order = TRUE)
    summ <- do.call(rbind, lapply(split(cmpd, key), function(x) data.frame(
      set = x$set[1], measure = x$measure[1], method = x$method[1], analysis = x$analysis[1],
      compared = nrow(x), matched = sum(x$match))))
  } else summ <- data.frame()
  write.csv(summ, file.path(out_dir, "summary.csv"), row.names = FALSE)
  if (final) cat(sprintf("data sets: %d; values compared: %d; matched: %d; mismatched: %d; srma refusals: %d; metafor skips: %d\n",
              length(specs), nrow(cmpd), sum(cmpd$match), sum(!cmpd$match), nrow(rfd), nrow(skd)))
  if (final) cat(sprintf("versions: %s, metafor %s, metadat %s\n", R.version.string,
              packageDescription("metafor")$Version, packageDescription("metadat")$Version))
}

t0 <- Sys.time()
for (s in specs) {
  message(sprintf("[%5.0fs] %s (%s)", as.numeric(difftime(Sys.time(), t0, units = "secs")), s$tag, s$type))
  cur <- list(set = s$tag, measure = "", method = "")
  r <- tryCatch(run_set(s), error = function(e) { skip("all", paste("script error:", conditionMessage(e))); NULL })
  write_results()
}
write_results(final = TRUE)

