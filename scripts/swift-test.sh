#!/usr/bin/env bash
# Runs `swift test ARGS…` (or `$SWIFT_TEST_COMMAND ARGS…`, e.g. the ThreadSanitizer build's) with its
# output as usual, and, when it fails, ends with a summary a CI log's tail keeps:
#   - every test or suite that started but never finished: when the test process dies (a crash, a signal,
#     the out-of-memory killer), those are where it was;
#   - last, every failed test and issue line (`✘`), `error:` lines, fatal errors and signals.
# Exits with `swift test`'s own status.
set -uo pipefail

command=${SWIFT_TEST_COMMAND:-${SWIFT:-swift} test}
log="$(mktemp "${TMPDIR:-/tmp}/swift-test.XXXXXX")"
trap 'rm -f "$log"' EXIT

# shellcheck disable=SC2086 # the command is words on purpose (`swift test`, or a build path's)
$command "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] && exit 0

{
    echo
    echo "swift-test: FAILED with exit status $status ($command $*)."
    echo "swift-test: tests and suites that started and never finished (where a dead process was):"
    python3 - "$log" <<'EOF'
import re, sys
started, ended = {}, set()
pattern = re.compile(r'^(?:◇|✔|✘|➜|􀟈|􁁛|􀢄) (Test|Suite) ("(?:[^"\\]|\\.)*"|\w[^ (]*\([^ ]*\))(?:.*?) (started\.|passed after|failed after|skipped)')
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for number, line in enumerate(log, 1):
        match = pattern.match(line)
        if not match:
            continue
        key = (match.group(1), match.group(2))
        if match.group(3) == "started.":
            started.setdefault(key, number)
        else:
            ended.add(key)
unfinished = [(number, kind, name) for (kind, name), number in started.items() if (kind, name) not in ended]
for number, kind, name in sorted(unfinished, key=lambda item: (item[1] != "Test", item[0]))[:40]:
    print(f"  {kind} {name} (started at output line {number})")
if not unfinished:
    print("  none")
EOF
    echo "swift-test: failures, errors and signals in the output:"
    grep -aE '✘|error:|Fatal error|fatal error|Exited with|signal code|Segmentation|Illegal instruction|Killed' "$log" \
        | grep -avE '^◇' | tail -60
} >&2
exit "$status"
