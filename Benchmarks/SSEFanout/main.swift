// sse-fanout: holds N `GET /slo/violations` event streams open against a running slowatch, measures
// the server's idle CPU and memory, then posts one SLO-breaking sample and measures when each stream
// receives the violation. Prints one JSON line, then a readable summary.
// Exit status: 0 when every subscriber received the event within the timeout, 1 when some did not,
// 2 for a usage error, 3 when the run could not be carried out.
// Usage: see FanoutOptions.swift (`Benchmarks/sse-fanout.sh` runs it against a fresh server).

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `text` and a newline to `descriptor` (1 stdout, 2 stderr), unbuffered.
func say(_ text: String, to descriptor: Int32 = 1) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

// A reset from a server that went away must not kill the client before it reports.
signal(SIGPIPE, SIG_IGN)

let options: FanoutOptions
do {
    options = try FanoutOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    say("sse-fanout: \(error.description)", to: 2)
    exit(2)
}
do {
    let result = try FanoutBenchmark.run(options)
    say(result.jsonLine)
    for line in result.summary { say(line) }
    exit(result.missed == 0 ? 0 : 1)
} catch {
    say("sse-fanout: \(error.description)", to: 2)
    exit(3)
}
