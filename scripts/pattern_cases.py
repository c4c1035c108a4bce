#!/usr/bin/env python3
"""Strings for every pattern in AppFlow's model, with whether Python's `re`
finds the pattern in them, for tests/patterns.rs: an independent oracle for
the crate's own matcher.

Matching strings are generated from each pattern's syntax tree, then mutated
(a character dropped, added or changed) into near misses; `re.search` (with
re.ASCII, as Java's \\w \\s \\d are ASCII) decides every expected answer.
The alphabet leaves out '\\r', where Java's `.` and `$` differ from Python's.

    python3 scripts/pattern_cases.py
"""
import json
import random
import re
from pathlib import Path

try:
    import re._parser as sre_parse
    import re._constants as sre_constants
except ImportError:  # Python < 3.11
    import sre_parse
    import sre_constants

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "tests/fixtures/appflow-model/service-2.json"
OUT = ROOT / "tests/fixtures/patterns.json"
ALPHABET = [chr(c) for c in range(32, 127)] + ["\t", "\n", "\x0b", "\x0c", "\u00e9", "\u65e5", "\U0001F680"]
CATEGORY = {
    sre_constants.CATEGORY_WORD: "abcXYZ019_",
    sre_constants.CATEGORY_NOT_WORD: " -!@#\u00e9",
    sre_constants.CATEGORY_DIGIT: "0123456789",
    sre_constants.CATEGORY_NOT_DIGIT: "ab -_",
    sre_constants.CATEGORY_SPACE: " \t\n\x0b\x0c",
    sre_constants.CATEGORY_NOT_SPACE: "ab1-/:\u00e9",
}


def python_pattern(pattern):
    # Java names characters beyond U+FFFF by their surrogate pairs.
    return pattern.replace(r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF")


def pick_from_set(items, rng):
    choices = []
    negate = False
    for op, av in items:
        if op == sre_constants.NEGATE:
            negate = True
        elif op == sre_constants.LITERAL:
            choices.append(chr(av))
        elif op == sre_constants.RANGE:
            low, high = av
            choices.append(chr(rng.randint(low, min(high, low + 200))))
        elif op == sre_constants.CATEGORY:
            choices.append(rng.choice(CATEGORY[av]))
    if negate:
        outside = [c for c in ALPHABET if c not in choices]
        return rng.choice(outside)
    return rng.choice(choices)


def generate(tree, rng):
    out = []
    for op, av in tree:
        if op == sre_constants.LITERAL:
            out.append(chr(av))
        elif op == sre_constants.ANY:
            out.append(rng.choice([c for c in ALPHABET if c != "\n"]))
        elif op == sre_constants.IN:
            out.append(pick_from_set(av, rng))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, sub = av
            high = min(high, low + 6)
            for _ in range(rng.randint(low, high)):
                out.append(generate(sub, rng))
        elif op == sre_constants.SUBPATTERN:
            out.append(generate(av[-1], rng))
        elif op == sre_constants.BRANCH:
            out.append(generate(rng.choice(av[1]), rng))
        elif op in (sre_constants.AT, sre_constants.ASSERT_NOT, sre_constants.ASSERT):
            pass
        else:
            raise ValueError(f"unhandled {op}")
    return "".join(out)


def mutate(text, rng):
    chars = list(text)
    kind = rng.choice(["drop", "add", "change"]) if chars else "add"
    i = rng.randrange(len(chars) + (1 if kind == "add" else 0)) if chars or kind == "add" else 0
    if kind == "drop":
        del chars[i]
    elif kind == "add":
        chars.insert(i, rng.choice(ALPHABET))
    else:
        chars[i] = rng.choice(ALPHABET)
    return "".join(chars)


def main():
    model = json.loads(MODEL.read_text())
    patterns = sorted({s["pattern"] for s in model["shapes"].values() if "pattern" in s})
    rng = random.Random(20261127)
    cases = []
    for pattern in patterns:
        compiled = re.compile(python_pattern(pattern), re.ASCII)
        tree = sre_parse.parse(python_pattern(pattern), re.ASCII)
        strings = {""}
        for _ in range(40):
            generated = generate(tree, rng)
            strings.add(generated)
            strings.add(mutate(generated, rng))
            strings.add(mutate(mutate(generated, rng), rng))
            strings.add(" " + generated + "\n")
        for _ in range(20):
            strings.add("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))))
        samples = [[s, compiled.search(s) is not None] for s in sorted(strings)]
        cases.append({"pattern": pattern, "samples": samples})
    OUT.write_text(json.dumps({"python": "re, ASCII", "cases": cases}, indent=1, ensure_ascii=False) + "\n")
    total = sum(len(c["samples"]) for c in cases)
    print(f"wrote {len(cases)} patterns, {total} samples to {OUT}")


if __name__ == "__main__":
    main()
