// load-generator: an open-loop HTTP/1.1 load generator. It sends one of the harness's three request
// mixes at a fixed rate (constant or Poisson gaps) over keep-alive connections, and reports latency
// from each request's intended send time (no coordinated omission): p50, p90, p99, p99.9, max, the
// achieved rate and the errors. `--json` prints one JSON line before the readable summary.
// Exit status: 0 after a run without errors, 1 after a run with errors, 2 for a usage error, 3 when
// the run could not be carried out (e.g. no server).
// Benchmarks/harness/latency.sh (`make bench-latency`) runs it; see Benchmarks/harness/README.md.

import LoadGeneratorKit

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `text` and a newline to `descriptor` (1 stdout, 2 stderr), unbuffered.
func say(_ text: String, to descriptor: Int32 = 1) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

// A reset from a server that went away must not kill the generator before it reports.
signal(SIGPIPE, SIG_IGN)

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    say(LoadOptions.usage)
    exit(0)
}
let options: LoadOptions
do {
    options = try LoadOptions.parse(arguments)
} catch {
    say("load-generator: \(error.description)", to: 2)
    exit(2)
}
do {
    let result = try LoadGenerator(options).run()
    if arguments.contains("--json") { say(result.jsonLine) }
    for line in result.summary { say(line) }
    exit(result.errors == 0 ? 0 : 1)
} catch {
    say("load-generator: \(error.description)", to: 2)
    exit(3)
}
