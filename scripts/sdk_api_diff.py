#!/usr/bin/env python3
"""Compares appflow-lite's public API with aws-sdk-appflow's, from source:
type names, enum variants, accessor signatures of shapes and outputs, and
the fluent builders' setters. Prints every difference and a count.

    cargo fetch --manifest-path benches/sdk/Cargo.toml   # puts the SDK in cargo's registry
    python3 scripts/sdk_api_diff.py
"""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
found = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/aws-sdk-appflow-1.121.0/src")))
if not found:
    sys.exit("aws-sdk-appflow 1.121.0 is not in cargo's registry: run the cargo fetch above")
SDK = found[0]


def norm(t):
    t = re.sub(r"::std::(option|vec|string|collections|primitive)::", "", t)
    for prefix in ("::std::", "crate::types::", "crate::primitives::", "::aws_smithy_types::"):
        t = t.replace(prefix, "")
    return re.sub(r"\s+", "", t)


def accessors(text):
    out = {}
    for block in re.finditer(r"\nimpl (\w+) \{(.*?)\n\}", text, re.S):
        ty = block.group(1)
        if ty.endswith("Builder"):
            continue
        for a in re.finditer(r"pub fn (\w+)\(\s*&self,?\s*\)\s*->\s*([^{]+?)\s*\{", block.group(2), re.S):
            out[(ty, a.group(1))] = norm(a.group(2))
    return out


def setters(text, pattern):
    out = set()
    for block in re.finditer(pattern, text, re.S):
        for s in re.finditer(r"pub fn (\w+)\(\s*mut self", block.group(1)):
            out.add(s.group(1))
    return out


def files(*patterns, root):
    for pattern in patterns:
        yield from glob.glob(os.path.join(root, pattern), recursive=True)


def main():
    differences = []
    sdk_acc, ours_acc = {}, {}
    for f in files("types/_*.rs", "operation/*/_*_output.rs", root=SDK):
        sdk_acc.update(accessors(open(f).read()))
    for f in files("src/types/**/*.rs", "src/operation/*.rs", root=ROOT):
        ours_acc.update(accessors(open(f).read()))
    for key, sig in sorted(sdk_acc.items()):
        if key[1] in ("as_str", "meta", "message", "code", "request_id", "builder", "values"):
            continue
        if key not in ours_acc:
            differences.append(f"accessor {key[0]}::{key[1]} missing (SDK: {sig})")
        elif ours_acc[key] != sig:
            differences.append(f"accessor {key[0]}::{key[1]}: SDK {sig}, ours {ours_acc[key]}")
    # Fluent setters, per operation.
    for f in sorted(files("operation/*/builders.rs", root=SDK)):
        op = os.path.basename(os.path.dirname(f))
        theirs = setters(open(f).read(), r"\nimpl \w+FluentBuilder \{(.*?)\n\}")
        theirs -= {"customize", "config_override"}
        ours_file = os.path.join(ROOT, "src/operation", op + ".rs")
        ours = setters(open(ours_file).read(), r"\nimpl FluentBuilder<\w+> \{(.*?)\n\}")
        ours |= {"set_input"}
        for name in sorted(theirs - ours):
            if name.startswith("get_"):
                continue
            differences.append(f"setter {op}::{name} missing")
    # Enum variants.
    variant = re.compile(r'"([^"]*)" => (\w+)::(\w+),')
    ours = re.sub(r"\s+", " ", "".join(open(p).read() for p in files("src/types/**/*.rs", root=ROOT)))
    ours = ours.replace("=> { ", "=> ").replace(" }", "")
    for f in files("types/_*.rs", root=SDK):
        for value, ty, name in variant.findall(open(f).read()):
            if f'{ty}::{name} => "{value}"' not in ours:
                differences.append(f"variant {ty}::{name} ({value}) missing")
    for line in differences:
        print(line)
    print(f"{len(differences)} differences ({len(sdk_acc)} SDK accessors compared)")


if __name__ == "__main__":
    main()
