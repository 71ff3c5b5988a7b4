import Logging
import SLOWatchCore
import SLOWatchSync
import TestCurlClient
import Testing

@testable import SLOWatchService

/// What the service itself logs: request lines at debug level only, and a warning per slow check.
@Suite("Service logging")
struct ServiceLoggingTests {
    /// A text logger at `level` that keeps its lines in memory.
    private func capture(level: Logger.Level) -> (Logger, () -> [String]) {
        let lines = PThreadLock([String]())
        let output = LogOutput { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
        }
        let logger = Logger(label: "slowatch") { label in
            ServiceLogging.handler(label: label, format: .text, level: level, output: output)
        }
        return (logger, { lines.withLock { $0 } })
    }

    @Test("each request is logged at debug level with method, target and status, and not at info")
    func requestLines() throws {
        let (debugLogger, debugLines) = capture(level: .debug)
        let verbose = try TestService(logger: debugLogger)
        defer { verbose.stop() }
        let client = try CurlClient()
        #expect(try client.get(verbose.url("/healthz")).status == 200)
        #expect(try client.get(verbose.url("/metrics/nope/percentiles?q=0.5")).status == 404)
        let logged = debugLines()
        #expect(logged.contains { $0.contains(" debug slowatch: GET /healthz 200") }, "\(logged)")
        #expect(logged.contains { $0.contains(" debug slowatch: GET /metrics/nope/percentiles?q=0.5 404") })

        let (infoLogger, infoLines) = capture(level: .info)
        let quiet = try TestService(logger: infoLogger)
        defer { quiet.stop() }
        #expect(try client.get(quiet.url("/healthz")).status == 200)
        #expect(!infoLines().contains { $0.contains("/healthz") }, "\(infoLines())")
    }

    @Test("a check slower than the slow-check threshold is logged as a warning")
    func slowCheckWarning() throws {
        let (logger, lines) = capture(level: .info)
        // A threshold of 0 ms makes every check slow, deterministically.
        let slo = try SLODefinition(id: "a-p95", metric: "a", percentile: "p95", threshold: 10)
        let service = try TestService(logger: logger) { configuration in
            configuration.slowCheckMilliseconds = 0
            configuration.slos = [slo]
        }
        defer { service.stop() }
        service.service.monitor.checkAll()
        #expect(lines().contains { $0.contains(" warning slowatch: slow SLO check: ") }, "\(lines())")
    }
}
