#!/usr/bin/env python3
"""Shows that check_layers.py fails on each kind of violation it is meant to catch, and passes on
a clean tree. Builds small trees in a temporary folder. Usage: self_test.py"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLEAN = {
    "include/srma/util/a.hpp": '#pragma once\n',
    "include/srma/model/m.hpp": '#pragma once\n#include "srma/util/a.hpp"\n',
    "src/model/private.hpp": '#pragma once\n',
    "src/model/m.cpp": '#include "srma/model/m.hpp"\n#include "private.hpp"\n',
    "src/bias/b.cpp": '#include "srma/model/m.hpp"\n',
    "cli/main.cpp": '#include "srma/model/m.hpp"\n',
}
BAD = {
    "upward include": ("src/model/x.cpp", '#include "srma/bias/b.hpp"\n', "which is not below it"),
    "sibling include": ("src/bias/x.cpp", '#include "srma/sensitivity/s.hpp"\n',
                        "which is not below it"),
    "private header of another layer": ("src/bias/y.cpp", '#include "../model/private.hpp"\n',
                                        "private header of another layer"),
    "public includes private": ("include/srma/model/p.hpp", '#include "private.hpp"\n',
                                "public header includes non-public"),
    "umbrella inside the library": ("src/model/u.cpp", '#include "srma/srma.hpp"\n',
                                    "umbrella header"),
    "unknown layer": ("src/stats/s.cpp", '#include "srma/util/a.hpp"\n', "unknown layer"),
    "missing header": ("src/model/z.cpp", '#include "srma/util/nope.hpp"\n', "does not exist"),
}


def run(files):
    with tempfile.TemporaryDirectory() as d:
        extra = {"include/srma/bias/b.hpp": "#pragma once\n",
                 "include/srma/sensitivity/s.hpp": "#pragma once\n"}
        for rel, text in {**CLEAN, **extra, **files}.items():
            path = os.path.join(d, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        p = subprocess.run([sys.executable, os.path.join(HERE, "check_layers.py"), d],
                           capture_output=True, text=True)
        return p.returncode, p.stdout


def main():
    failures = 0
    code, out = run({})
    if code != 0:
        print(f"clean tree rejected:\n{out}")
        failures += 1
    for name, (rel, text, expect) in BAD.items():
        code, out = run({rel: text})
        if code == 0 or expect not in out:
            print(f"{name}: not caught (exit {code}):\n{out}")
            failures += 1
    print(f"{len(BAD) + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
