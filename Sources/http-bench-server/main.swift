// A transport-only server for comparing SLOWatchHTTP with nginx: `POST /samples` -> 204 (body read
// and discarded) and `GET /metrics/:name/percentiles` -> 200 with nginx's fixed JSON.
// Usage: http-bench-server [--port N] [--host ADDR] [--threads N]. SIGTERM/SIGINT stop it.

import SLOWatchHTTP
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

let fixedPercentiles = Array(
    #"{"metric":"api.latency","count":10000,"min":0.012,"max":412.5,"mean":20.31,"p50":13.9,"p90":46.2,"p95":60.4,"p99":93.1,"p999":141.7}"#
        .utf8)

/// Writes a line to a file descriptor (1 stdout, 2 stderr) without stdio buffering.
func say(_ text: String, to descriptor: Int32 = 1) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

/// Reports a usage error and exits with status 2.
func usage(_ text: String) -> Never {
    say("http-bench-server: " + text, to: 2)
    exit(2)
}

var configuration = HTTPServerConfiguration()
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { usage("\(flag) needs a value") }
    switch flag {
    case "--port":
        guard let port = Int(value) else { usage("--port needs a number, got \(value)") }
        configuration.port = port
    case "--host":
        configuration.host = value
    case "--threads":
        configuration.ioThreads = Int(value) ?? 0
    default:
        usage("unknown option \(flag)")
    }
}

var router = HTTPRouter()
router.add(.post, "/samples") { _ in HTTPResponse(status: 204) }
router.add(.get, "/metrics/:name/percentiles") { _ in
    HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: fixedPercentiles)
}

// Block the stop signals in every thread (the loops inherit the mask), then wait for one here.
var signals = sigset_t()
sigemptyset(&signals)
sigaddset(&signals, SIGTERM)
sigaddset(&signals, SIGINT)
pthread_sigmask(SIG_BLOCK, &signals, nil)

let server = HTTPServer(configuration: configuration, router: router)
do {
    let port = try server.start()
    say("http-bench-server listening on \(configuration.host):\(port)")
} catch {
    say("http-bench-server: \(error.message)", to: 2)
    exit(1)
}
var received: Int32 = 0
sigwait(&signals, &received)
server.stop()
say("http-bench-server stopped after \(server.requestsServed) responses")
