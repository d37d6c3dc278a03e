# Times R survival on two arms of n patients each, simulated as bench/survival_bench.cpp does
# (exponential times, HR 0.7, uniform censoring, end at 24, times rounded to 0.01):
#   cox:      coxph(Surv(time, event) ~ arm)             (Efron ties)
#   analysis: coxph + survdiff + survfit + its median table (what `srma km hr` reports)
# Prints "case,n,seconds" per run. Usage: Rscript tools/bench_survival.R 100,1000,10000
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
ns <- if (length(args) >= 1) as.integer(strsplit(args[1], ",")[[1]]) else c(100L, 1000L)
simulate <- function(n) {
  set.seed(7)
  arm <- rep(c("Treatment", "Control"), each = n)
  rate <- ifelse(arm == "Treatment", 0.07, 0.1)
  t <- rexp(2 * n, rate)
  c <- pmin(30 * runif(2 * n), 24)
  data.frame(arm = factor(arm, levels = c("Control", "Treatment")),
             time = round(pmin(t, c), 2), event = as.integer(t <= c))
}
per_call <- function(f, min_time = 0.5) {
  reps <- 1
  repeat {
    el <- system.time(for (i in seq_len(reps)) f())[["elapsed"]]
    if (el >= min_time) return(el / reps)
    reps <- reps * 4
  }
}
cat("case,n,seconds\n")
for (n in ns) {
  d <- simulate(n)
  cox <- function() coxph(Surv(time, event) ~ arm, data = d)
  analysis <- function() {
    fit <- coxph(Surv(time, event) ~ arm, data = d)
    sd <- survdiff(Surv(time, event) ~ arm, data = d)
    km <- survfit(Surv(time, event) ~ arm, data = d)
    summary(km, rmean = 12)$table
    list(fit, sd)
  }
  cat(sprintf("cox,%d,%.6g\n", n, per_call(cox)))
  cat(sprintf("analysis,%d,%.6g\n", n, per_call(analysis)))
}
