#!/usr/bin/env python3
"""Which translation units scripts/tidy must run clang-tidy on, and the cache that says which
passed before.

clang-tidy on every file of src/ and cli/ takes longer than compiling them (about 10 minutes on 2
cores). Its verdict on a file depends only on the file as preprocessed (with every header it
includes), the compile flags, .clang-tidy and the clang-tidy version, so a file whose key over
those is in the cache of passes is not checked again. The key uses the preprocessor's output, so
a change to any included header, a flag or the configuration checks the file again.

Written by hand: no Debian package caches clang-tidy results.

Usage (scripts/tidy records a pass as an empty file CACHE_DIR/KEY):
  tidy_select.py select BUILD_DIR CACHE_DIR TIDY FILE...   prints "FILE<TAB>KEY" for the files to check
"""
import hashlib
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def preprocess_key(entry, salt):
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        out.append("-E" if a == "-c" else a)
    # -P: no line markers, so the key does not depend on where the clone is.
    out.insert(1, "-P")
    pre = subprocess.run(out, cwd=entry["directory"], capture_output=True)
    if pre.returncode != 0:
        return None  # let clang-tidy report it
    h = hashlib.sha256(salt)
    h.update(" ".join(a for a in args[1:] if not a.startswith(("-I", "/", "CMakeFiles"))).encode())
    h.update(pre.stdout)
    return h.hexdigest()


def main():
    _, _, build, cache, tidy, *files = sys.argv
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = {os.path.realpath(e["file"]): e for e in json.load(f)}
    version = subprocess.run([tidy, "--version"], capture_output=True, text=True).stdout
    with open(".clang-tidy", "rb") as f:
        salt = version.encode() + f.read()

    def one(path):
        entry = db.get(os.path.realpath(path))
        key = preprocess_key(entry, salt) if entry else None
        return path, key

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(one, files))
    for path, key in results:
        if key is None or not os.path.exists(os.path.join(cache, key)):
            print(f"{path}\t{key or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
