#!/usr/bin/env Rscript
# Writes tests/validation/data/gosh_kmeans.json: R's kmeans(algorithm = "Lloyd") on a fixed set of
# 2-D points from given starting centres, the reference for srma::kmeans_lloyd (the k-means step
# of the GOSH diagnostics). The points are three Gaussian clouds drawn with set.seed(20261201);
# the starting centres are points 1, 101 and 201. Run from the repository root:
#   Rscript tools/make_reference_gosh_diagnostics.R
set.seed(20261201)
x <- rbind(cbind(rnorm(100, 0, 1), rnorm(100, 0, 1)),
           cbind(rnorm(100, 3, 1), rnorm(100, 1, 0.7)),
           cbind(rnorm(100, 1, 0.5), rnorm(100, 4, 0.5)))
start <- x[c(1, 101, 201), ]
km <- kmeans(x, centers = start, algorithm = "Lloyd", iter.max = 100)
num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
src <- sprintf("R %s, stats::kmeans(x, centers = x[c(1, 101, 201), ], algorithm = \\\"Lloyd\\\", iter.max = 100); tools/make_reference_gosh_diagnostics.R",
               paste(R.version$major, R.version$minor, sep = "."))
writeLines(sprintf(paste0('{"source": "%s",\n "x": [%s],\n "y": [%s],\n "start_x": [%s],\n "start_y": [%s],\n',
                          ' "cluster": [%s],\n "centre_x": [%s],\n "centre_y": [%s],\n "iterations": %d,\n "tot_withinss": %s}'),
                   src, num(x[, 1]), num(x[, 2]), num(start[, 1]), num(start[, 2]),
                   paste(km$cluster - 1, collapse = ", "), num(km$centers[, 1]), num(km$centers[, 2]),
                   km$iter, sprintf("%.17g", km$tot.withinss)),
           "tests/validation/data/gosh_kmeans.json")
cat("wrote tests/validation/data/gosh_kmeans.json\n")
