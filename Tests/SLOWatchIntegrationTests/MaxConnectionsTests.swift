import Foundation
import SLOWatchCore
import TestRawClient
import Testing

@testable import SLOWatchService

/// `maxConnections` through the service (event streams count against it) and the open-file limit that
/// `slowatch serve` raises so the cap can be reached.
@Suite("Connection cap")
struct MaxConnectionsTests {
    @Test(
        "with maxConnections 2, a stream and a keep-alive client fill the cap: a third gets 503, both keep working"
    )
    func thirdConnectionGets503() throws {
        let service = try TestService { $0.maxConnections = 2 }
        defer { service.stop() }
        let stream = try TestEvents.connect(service)
        defer { stream.close() }
        let keptAlive = try RawClient(port: service.port)
        defer { keptAlive.close() }
        try keptAlive.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try keptAlive.readResponse().status == 200)

        let third = try RawClient(port: service.port)
        defer { third.close() }
        try third.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        #expect(third.closesWithoutMoreBytes())

        _ = try TestEvents.publish(.violation, metric: "m", on: service.service.bus)
        #expect(stream.waitForEvents(1), "the stream within the cap still receives events")
        try keptAlive.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(
            try keptAlive.readResponse().status == 200, "the keep-alive client within the cap still works")
    }

    @Test(
        "serve warns, naming both numbers, when max-connections and a margin exceed the raised open-file limit"
    )
    func warnsWhenTheLimitIsTooLow() throws {
        var limit = rlimit()
        try #require(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
        // serve raises its soft limit to this hard limit (inherited from the test), so it warns only when
        // the hard limit is below 1,000,000 connections plus the margin of 64.
        let hard = UInt64(limit.rlim_max)
        let child = try SlowatchProcess(["--port", "0", "--max-connections", "1000000"])
        defer { child.kill() }
        #expect(child.boundPort() != nil, "\(child.standardError)")
        let warning =
            "max-connections is 1000000, but the open-file limit (RLIMIT_NOFILE) is \(hard) "
            + "descriptors (hard limit \(hard)), fewer than the 1000064 that many connections need"
        if hard < 1_000_064 {
            #expect(child.standardError.contains(warning), "\(child.standardError)")
        } else {
            #expect(!child.standardError.contains("RLIMIT_NOFILE"), "\(child.standardError)")
        }
    }

    @Test("serve raises its soft open-file limit to the hard limit, and then does not warn")
    func raisesTheSoftLimit() throws {
        let log = FileManager.default.temporaryDirectory
            .appendingPathComponent("slowatch-nofile-\(UUID().uuidString).log")
        try Data().write(to: log)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell lowers its soft limit to 256 and execs the binary in its place (same pid); 300
        // connections would not fit in 256 descriptors, so without the raise serve would warn.
        process.arguments = [
            "-c", "ulimit -S -n 256 && exec \"$0\" --port 0 --max-connections 300",
            SlowatchProcess.binaryPath,
        ]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLOWATCH_") }
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let output = { String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self) }
        var started = false
        for _ in 0..<500 where process.isRunning {
            if output().contains("listening on http://") {
                started = true
                break
            }
            usleep(20_000)
        }
        #expect(started, "startup line: \(output())")
        let limits = try String(contentsOfFile: "/proc/\(process.processIdentifier)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { UInt64($0) }
        #expect(numbers.count == 2 && numbers[0] == numbers[1] && numbers[0] > 256, "\(line)")
        #expect(!output().contains("RLIMIT_NOFILE"), "\(output())")
    }
}
