#!/usr/bin/env bash
# The Docker image's build stage without Docker: runs the `swift build` command that docker/Dockerfile
# runs (read from the Dockerfile itself, so the two cannot drift), in a separate build folder, and checks
# that the binary it makes needs no Swift runtime library at run time, which is what lets the image's
# runtime stage be a plain Ubuntu.
#
# Environment:
#   SCRATCH_PATH   the build folder (default .build-docker)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'check-docker-build: %s\n' "$*"; }
fail() { printf 'check-docker-build: FAILED: %s\n' "$*" >&2; exit 1; }

# The command on the Dockerfile's `RUN swift build …` line, up to the `&&` that installs the binary.
command=$(sed -n 's/^RUN \(swift build [^&]*\)&&.*$/\1/p; s/^RUN \(swift build [^&\\]*\)\\$/\1/p' docker/Dockerfile | head -n 1 | sed 's/[[:space:]]*$//')
[ -n "$command" ] || fail "docker/Dockerfile has no 'RUN swift build …' line"
grep -qF -- "$command" docs/integrations.md || fail "docs/integrations.md does not give the Dockerfile's build command: $command"

scratch="${SCRATCH_PATH:-.build-docker}"
say "running the Dockerfile's build command: $command --scratch-path $scratch"
# shellcheck disable=SC2086 # the command is split into its words on purpose
$command --scratch-path "$scratch"
binary="$($command --scratch-path "$scratch" --show-bin-path)/slowatch"
[ -x "$binary" ] || fail "the build made no $binary"

if ldd "$binary" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime'; then
    fail "$binary links a Swift runtime library dynamically; the runtime image has none"
fi
version=$("$binary" --version) || fail "$binary --version failed"
say "ok: $binary ($version) needs only: $(ldd "$binary" | awk '{print $1}' | tr '\n' ' ')"
