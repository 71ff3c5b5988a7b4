#!/usr/bin/env bash
# libFuzzer runs of the five fuzz targets in Fuzz/ (issue 7, section 1; issue 17 added FuzzOTLPBody, issue 18 FuzzNumberText):
#   FuzzHTTPParser    the HTTP request parser, in arbitrary read splits
#   FuzzSamplesBody   the POST /samples body decoders (JSON, held to JSONSerialization, and StatsD text)
#   FuzzConfigLoader  the configuration file loader (YAML and JSON) and the settings resolver
#   FuzzOTLPBody      the POST /v1/metrics decoder (OTLP protobuf and JSON, gzip) and its point mapping
#   FuzzNumberText    the exact decimal-to-Double fast path against strtod_l, to the bit
#
# Usage: scripts/fuzz.sh [run|replay|merge|build] [TARGET...]      (all five targets when none is named)
#   run     (default) fuzz each target for FUZZ_SECONDS (60) on a temporary copy of its seed corpus plus
#           its regressions, so the committed corpus does not grow; fails when any target fails.
#   replay  run every input of Fuzz/corpus/<target>/ and Fuzz/regressions/<target>/ once, no fuzzing.
#   merge   minimise Fuzz/corpus/<target>/ in place (libFuzzer -merge=1), keeping the inputs that add
#           coverage; run it after adding seeds.
#   build   only build the targets (what every other mode does first), e.g. beside another CI stage.
# Crash, leak and timeout inputs are written to Fuzz/artifacts/ (not committed): fix the bug, then move
# the input to Fuzz/regressions/<target>/.
#
# Environment: FUZZ_SECONDS (60), FUZZ_TIMEOUT (10, seconds per input before libFuzzer calls it a hang),
# FUZZ_RSS_MB (2048), FUZZ_MAX_LEN (libFuzzer's default when unset), FUZZ_KEEP (a folder: each target's
# log and grown corpus are copied there, for a later merge into the seeds), SWIFT (swift).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
fuzz="$root/Fuzz"
swift=${SWIFT:-swift}
seconds=${FUZZ_SECONDS:-60}
export SWIFT_BACKTRACE=enable=no

mode=run
case "${1:-}" in run | replay | merge | build) mode=$1; shift ;; esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzHTTPParser FuzzSamplesBody FuzzConfigLoader FuzzOTLPBody FuzzNumberText)

say() { printf 'fuzz: %s\n' "$*"; }

# The Fuzz/corpus and Fuzz/regressions folder of each target.
dir_of() {
    case "$1" in
    FuzzHTTPParser) echo http-parser ;;
    FuzzSamplesBody) echo samples-body ;;
    FuzzConfigLoader) echo config-loader ;;
    FuzzOTLPBody) echo otlp-body ;;
    FuzzNumberText) echo number-text ;;
    *) say "unknown target $1 (FuzzHTTPParser, FuzzSamplesBody, FuzzConfigLoader, FuzzOTLPBody, FuzzNumberText)" >&2; exit 2 ;;
    esac
}

# libFuzzer ships with the Swift toolchain's clang runtime; it cannot be installed apart from it.
resource_dir=$(dirname "$(readlink -f "$(command -v "$swift")")")/../lib
if ! ls "$resource_dir"/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a "$resource_dir"/swift/clang/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    if ! ls "$resource_dir"/clang/*/lib/*/libclang_rt.fuzzer*.a "$resource_dir"/swift/clang/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1; then
        say "this Swift toolchain has no libFuzzer runtime (libclang_rt.fuzzer) under $resource_dir; use a swift.org toolchain for Linux" >&2
        exit 1
    fi
fi

# SwiftPM passes `-sanitize=fuzzer -sanitize=address` to swiftc, and the Swift 6.3 driver keeps only the
# last `-sanitize=` option: the Swift code would get AddressSanitizer but no coverage instrumentation, and
# libFuzzer would fuzz blind (only the C code counted). `-sanitize=fuzzer,address`, passed last, gives both.
# shellcheck disable=SC2054 # the comma is part of swiftc's option
build=(build --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address)
say "building the fuzz targets with ${build[*]:1} (Fuzz/.build)"
for target in "${targets[@]}"; do dir_of "$target" >/dev/null; done
# Every target in one build: `swift build` honours only the last --product it is given, and switching
# products rebuilds every module. gold warns about each AddressSanitizer helper symbol it cannot export;
# those lines are noise.
if ! (cd "$fuzz" && "$swift" "${build[@]}" 2>&1 | { grep -v 'Cannot export local symbol' || true; }); then
    say "the build failed" >&2
    exit 1
fi
bin=$(cd "$fuzz" && "$swift" "${build[@]}" --show-bin-path)
if [ "$mode" = build ]; then
    say "built: ${targets[*]}"
    exit 0
fi

artifacts="$fuzz/artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -print_final_stats=1)
[ -z "${FUZZ_MAX_LEN:-}" ] || common+=(-max_len="$FUZZ_MAX_LEN")

# The inputs of a folder (not its README), one per line.
inputs() { if [ -d "$1" ]; then find "$1" -maxdepth 1 -type f ! -name 'README*' ! -name '.*' | sort; fi; }

failed=()
summary=()
for target in "${targets[@]}"; do
    name=$(dir_of "$target")
    corpus="$fuzz/corpus/$name"
    regressions="$fuzz/regressions/$name"
    dict=()
    [ -f "$fuzz/dictionaries/$name.dict" ] && dict=(-dict="$fuzz/dictionaries/$name.dict")
    log="$work/$target.log"
    touch "$work/.start-$target"
    status=0
    case "$mode" in
    replay)
        mapfile -t files < <(inputs "$corpus"; inputs "$regressions")
        say "$target: replaying ${#files[@]} inputs"
        # With no input at all, libFuzzer would start fuzzing instead.
        [ ${#files[@]} -gt 0 ] || { say "$target: no inputs under $corpus" >&2; exit 1; }
        "$bin/$target" "${common[@]}" "${files[@]}" >"$log" 2>&1 || status=$?
        ran=$(grep -c '^Running: ' "$log" || true)
        [ "$ran" = "${#files[@]}" ] || { [ "$status" != 0 ] || status=1; say "$target: only $ran of ${#files[@]} inputs ran"; }
        summary+=("$(printf '%-17s %5s inputs replayed' "$target" "$ran")")
        ;;
    run)
        # The seeds and the past crashes, copied: libFuzzer adds what it finds to this folder.
        mkdir -p "$work/$name"
        { inputs "$corpus"; inputs "$regressions"; } | while read -r file; do cp "$file" "$work/$name/"; done
        say "$target: fuzzing for $seconds s"
        "$bin/$target" "${common[@]}" "${dict[@]}" -max_total_time="$seconds" \
            -artifact_prefix="$artifacts/$target-" "$work/$name" >"$log" 2>&1 || status=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
        added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
        size=$(find "$work/$name" -type f | wc -l)
        summary+=("$(printf '%-17s %10s execs %7s exec/s %5s new units, corpus %s inputs' "$target" "${execs:-?}" "${rate:-?}" "${added:-?}" "$size")")
        ;;
    merge)
        mkdir -p "$work/$name"
        say "$target: minimising $(inputs "$corpus" | wc -l) inputs"
        "$bin/$target" "${common[@]}" -merge=1 "$work/$name" "$corpus" >"$log" 2>&1 || status=$?
        if [ "$status" = 0 ]; then
            # hostile-* seeds (the hostile-input catalogue's) keep their names and are never dropped.
            kept=$(find "$corpus" -maxdepth 1 -type f -name 'hostile-*' -exec sha1sum {} + | cut -d' ' -f1)
            find "$corpus" -maxdepth 1 -type f ! -name 'README*' ! -name 'hostile-*' -delete
            for file in "$work/$name"/*; do
                [ -e "$file" ] || continue
                grep -qx "$(basename "$file")" <<<"$kept" || cp "$file" "$corpus/"
            done
        fi
        summary+=("$(printf '%-17s corpus minimised to %s inputs' "$target" "$(inputs "$corpus" | wc -l)")")
        ;;
    esac
    if [ -n "${FUZZ_KEEP:-}" ]; then
        mkdir -p "$FUZZ_KEEP"
        cp "$log" "$FUZZ_KEEP/"
        [ ! -d "$work/$name" ] || cp -R "$work/$name" "$FUZZ_KEEP/"
    fi
    if [ "$status" != 0 ]; then
        failed+=("$target")
        say "$target FAILED (exit $status); the end of its log:"
        tail -40 "$log" | sed 's/^/    /'
        find "$artifacts" -maxdepth 1 -name "$target-*" -newer "$work/.start-$target" | sed 's/^/    artifact: /'
    fi
done

say "summary ($mode):"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    say "failed: ${failed[*]}"
    exit 1
fi
say "all targets passed"
