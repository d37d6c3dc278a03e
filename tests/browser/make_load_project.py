#!/usr/bin/env python3
"""Writes a RIS file of N unrelated articles (random pseudo-word titles, authors and journals, so
that de-duplication groups none of them) for the load test of srma serve.

Usage: make_load_project.py N OUT.ris [SEED]
"""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 16)
consonants, vowels = "bcdfghjklmnprstvz", "aeiou"


def word(k):
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(k))


with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        title = " ".join(word(rng.randint(2, 4)) for _ in range(8)).capitalize()
        f.write("TY  - JOUR\n")
        f.write(f"TI  - {title}\n")
        for _ in range(rng.randint(1, 4)):
            f.write(f"AU  - {word(3).capitalize()}, {rng.choice(consonants).upper()}\n")
        f.write(f"PY  - {rng.randint(1990, 2025)}\n")
        f.write(f"JO  - {word(3).capitalize()} {word(4).capitalize()}\n")
        f.write(f"VL  - {rng.randint(1, 90)}\nSP  - {rng.randint(1, 900)}\n")
        f.write(f"AB  - {' '.join(word(3) for _ in range(40))}.\n")
        f.write("ER  - \n")
