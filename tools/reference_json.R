# Shared by the tools/make_reference_*.R scripts (source() it from the repository root).
#
# A small JSON writer: jsonlite prints at most 15 significant digits, we want round-trip doubles.

fmt_num <- function(x) {
  if (is.na(x) || !is.finite(x)) return("null")
  for (d in 15:17) {
    s <- sprintf(paste0("%.", d, "g"), x)
    if (as.numeric(s) == x) return(s)
  }
  s
}

fmt_str <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  paste0("\"", s, "\"")
}

# Named list -> object, unnamed list -> array, length-1 atomic -> scalar, NULL -> null.
# Vectors of length != 1 must be wrapped in as.list() to become arrays (no accidental arrays).
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) {
      items <- vapply(seq_along(x), function(i) {
        paste0(pad1, fmt_str(names(x)[i]), ": ", to_json(x[[i]], indent + 1))
      }, "")
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad, "}"))
    }
    # Arrays of scalars stay on one line; arrays of objects get one element per line.
    if (all(vapply(x, function(e) !is.list(e), TRUE))) {
      return(paste0("[", paste(vapply(x, to_json, ""), collapse = ", "), "]"))
    }
    items <- vapply(x, function(e) paste0(pad1, to_json(e, indent + 1)), "")
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", pad, "]"))
  }
  if (length(x) != 1) stop("to_json: wrap vectors of length ", length(x), " in as.list()")
  if (is.logical(x)) return(if (is.na(x)) "null" else if (x) "true" else "false")
  if (is.numeric(x)) return(fmt_num(x))
  if (is.character(x)) return(fmt_str(x))
  stop("to_json: unsupported type ", class(x))
}

write_json_file <- function(x, path) {
  writeLines(to_json(x), path, useBytes = TRUE)
}
