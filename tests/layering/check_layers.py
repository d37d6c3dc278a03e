#!/usr/bin/env python3
"""Checks the layer rule of srma (docs/architecture.md): a layer includes only the public headers
of the layers below it, and private headers only from its own src/ folder.

Usage: check_layers.py SOURCE_DIR

Layers, lowest first (siblings on one rank must not include each other):
  util < io < data < model < {sensitivity, bias} < review < report < plot < run < web < cli
Every #include "..." in include/srma/<layer>/, src/<layer>/ and cli/ is checked:
  - "srma/<other>/x.hpp" is allowed only when <other> ranks below <layer> (or is <layer>);
  - "srma/srma.hpp", the umbrella header, may be included only from outside the layers;
  - any other quoted include must resolve to a file inside src/<layer>/ (the layer's own private
    headers), relative to the including file's folder;
  - public headers never include private ones.
Prints one line per violation (file:line: what) and exits 1 if there is any.
"""
import os
import re
import sys

RANK = {
    "util": 0, "io": 1, "data": 2, "model": 3, "sensitivity": 4, "bias": 4, "survival": 4,
    "review": 5, "records": 5, "report": 6, "plot": 7, "project": 7, "run": 8, "web": 9, "cli": 10,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(rel):
    parts = rel.split(os.sep)
    if parts[0] == "cli":
        return "cli"
    if parts[0] == "include" and len(parts) >= 4 and parts[1] == "srma":
        return parts[2]
    if parts[0] == "src" and len(parts) >= 3:
        return parts[1]
    return None


def check_file(root, rel, problems):
    layer = layer_of(rel)
    if layer is None:
        problems.append(f"{rel}: not inside a layer folder (expected include/srma/<layer>/, "
                        f"src/<layer>/ or cli/)")
        return
    if layer not in RANK:
        problems.append(f"{rel}: unknown layer '{layer}' (add it to tests/layering/check_layers.py "
                        f"and docs/architecture.md)")
        return
    public = rel.startswith("include" + os.sep)
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1)
            where = f"{rel}:{n}"
            if target == "srma/srma.hpp":
                problems.append(f"{where}: the umbrella header is for users, not for the library")
                continue
            if target.startswith("srma/"):
                parts = target.split("/")
                if len(parts) != 3:
                    problems.append(f"{where}: '{target}' is not a layer header srma/<layer>/x.hpp")
                    continue
                other = parts[1]
                if other not in RANK:
                    problems.append(f"{where}: '{target}' names an unknown layer '{other}'")
                elif other != layer and RANK[other] >= RANK[layer]:
                    problems.append(f"{where}: layer '{layer}' includes '{target}' of layer "
                                    f"'{other}', which is not below it")
                elif not os.path.isfile(os.path.join(root, "include", target)):
                    problems.append(f"{where}: '{target}' does not exist")
                continue
            if public:
                problems.append(f"{where}: public header includes non-public '{target}'")
                continue
            own = os.path.join(root, "cli") if layer == "cli" else os.path.join(root, "src", layer)
            resolved = os.path.normpath(os.path.join(root, os.path.dirname(rel), target))
            if not os.path.isfile(resolved):
                resolved = os.path.normpath(os.path.join(own, target))
            if not os.path.isfile(resolved):
                problems.append(f"{where}: '{target}' is neither a public header nor a private "
                                f"header of layer '{layer}'")
            elif not resolved.startswith(own + os.sep):
                problems.append(f"{where}: '{target}' is a private header of another layer")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = []
    count = 0
    for top in ("include/srma", "src", "cli"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".hpp", ".cpp", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                if rel == os.path.join("include", "srma", "srma.hpp"):
                    continue  # the umbrella header includes every layer by design
                count += 1
                check_file(root, rel, problems)
    for p in problems:
        print(p)
    print(f"layering: {count} files checked, {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
