# Reference values for tests/unit/review_agreement_test.cpp: Cohen's kappa, its large-sample
# variance (Fleiss, Cohen & Everitt 1969) and Wald confidence limits from R's psych package,
# plus Po, Pe and PABAK from their definitions (review.md section 4).
# Run: Rscript tools/make_reference_agreement.R   (R 4.2.2, psych 2.2.9 from Debian 12)
suppressPackageStartupMessages(library(psych))
tables <- list(
  c(20, 30, 10, 940),  # review.md section 4 check vector
  c(40, 9, 6, 45),
  c(5, 20, 25, 10),    # kappa below 0
  c(3, 1, 2, 4),
  c(0, 10, 10, 0),     # Po = 0, kappa = -1
  c(12, 0, 0, 88),     # perfect agreement, kappa = 1, SE = 0
  c(1, 0, 0, 1),       # perfect agreement, smallest table
  c(50, 0, 0, 0),      # Pe = 1: kappa undefined (psych gives NaN)
  c(0, 0, 0, 7)        # Pe = 1 as well
)
cat(sprintf("psych %s, %s\n", packageVersion("psych"), R.version.string))
for (alpha in c(0.05, 0.10)) {
  for (t in tables) {
    x <- matrix(t, 2, 2, byrow = TRUE)  # rows reviewer 1 (include, exclude), columns reviewer 2
    n <- sum(x)
    p <- x / n
    po <- sum(diag(p))
    pe <- sum(rowSums(p) * colSums(p))
    r <- suppressWarnings(cohen.kappa(x, alpha = alpha))
    cat(sprintf(paste0("a=%g b=%g c=%g d=%g level=%.2f: Po %.15g Pe %.15g kappa %.15g ",
                       "se %.15g lower %.15g upper %.15g pabak %.15g\n"),
                t[1], t[2], t[3], t[4], 1 - alpha, po, pe, r$kappa, sqrt(r$var.kappa),
                r$confid[1, 1], r$confid[1, 3], 2 * po - 1))
  }
}
