#!/usr/bin/env bash
# Writes the request bytes of every hostile-input case (Tests/SLOWatchIntegrationTests/Fixtures/hostile/*.cases)
# to Fuzz/corpus/http-parser/hostile-<case-name>, as seeds for the HTTP parser fuzzer, and removes
# hostile-* seeds whose case is gone. The byte notation is the one the README in that folder describes;
# HostileInputSuiteTests checks that every seed matches its case byte for byte.
#
# Usage: scripts/export-hostile-corpus.sh [output-dir]   (default: Fuzz/corpus/http-parser)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/Fuzz/corpus/http-parser}"
mkdir -p "$out"
python3 - "$root/Tests/SLOWatchIntegrationTests/Fixtures/hostile" "$out" <<'PY'
import os, re, sys

source, out = sys.argv[1], sys.argv[2]
SIMPLE = {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\"}

def decode(text, where, allow_repeat=True):
    """The byte notation: printable ASCII, \\r \\n \\t \\\\ \\xHH and \\{N:TEXT}."""
    if text.endswith(" "):
        sys.exit(f"{where}: a send line ends with a raw space; write it as \\x20.")
    data, i = bytearray(), 0
    while i < len(text):
        c = text[i]
        if not " " <= c <= "~":
            sys.exit(f"{where}: the raw byte {c!r} must be written as an escape.")
        if c != "\\":
            data += c.encode()
            i += 1
            continue
        if i + 1 >= len(text):
            sys.exit(f"{where}: the line ends with a lone backslash.")
        e = text[i + 1]
        if e in SIMPLE:
            data += SIMPLE[e]
            i += 2
        elif e == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 2:i + 4]):
            data.append(int(text[i + 2:i + 4], 16))
            i += 4
        elif e == "{" and allow_repeat:
            m = re.match(r"\{(\d+):([^}]*)\}", text[i + 1:])
            if not m or not 1 <= int(m.group(1)) <= 1_000_000 or not m.group(2):
                sys.exit(f"{where}: a repeat must read \\{{N:TEXT}} with 1 <= N <= 1000000.")
            data += decode(m.group(2), where, allow_repeat=False) * int(m.group(1))
            i += 1 + m.end()
        else:
            sys.exit(f"{where}: unknown escape \\{e}.")
    return bytes(data)

cases = {}
for file in sorted(f for f in os.listdir(source) if f.endswith(".cases")):
    name = None
    with open(os.path.join(source, file), encoding="utf-8") as handle:
        for number, line in enumerate(handle.read().split("\n"), 1):
            line = line[:-1] if line.endswith("\r") else line
            if not line or line.startswith("#"):
                continue
            keyword, _, argument = line.partition(" ")
            if keyword == "case":
                if not re.fullmatch(r"[a-z0-9-]{1,80}", argument) or argument in cases:
                    sys.exit(f"{file}:{number}: bad or repeated case name {argument!r}.")
                name = argument
                cases[name] = b""
            elif keyword == "send":
                if name is None:
                    sys.exit(f"{file}:{number}: send before any case.")
                cases[name] += decode(argument, f"{file}:{number}")

for name, data in cases.items():
    with open(os.path.join(out, f"hostile-{name}"), "wb") as seed:
        seed.write(data)
stale = [f for f in os.listdir(out) if f.startswith("hostile-") and f[len("hostile-"):] not in cases]
for f in stale:
    os.remove(os.path.join(out, f))
print(f"wrote {len(cases)} seeds to {out}" + (f", removed {len(stale)} stale" if stale else ""))
PY
