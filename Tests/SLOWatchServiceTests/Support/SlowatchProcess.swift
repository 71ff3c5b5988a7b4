import Foundation
import SLOWatchSync

/// The `slowatch` binary (or another program, such as `prometheus`) running as a child process, with its
/// output captured, for end-to-end tests.
///
/// The child gets the test's environment without any `SLOWATCH_*` variable (so the caller's shell cannot
/// change a result), plus `SWIFT_BACKTRACE=enable=no` and the variables a test passes. Always call
/// ``kill()`` in a `defer`: it is a no-op once the child has exited.
///
/// `@unchecked Sendable`: `process` is configured in `init` and then only used through its own
/// thread-safe methods; the captured output sits behind `output`'s lock.
final class SlowatchProcess: @unchecked Sendable {
    /// Captured standard output and standard error, appended by the pipes' handlers.
    private let output = PThreadLock((standardOutput: [UInt8](), standardError: [UInt8]()))
    private let process = Process()
    private let outputPipe = Pipe()
    private let errorPipe = Pipe()

    /// The binary: SwiftPM builds it next to the test bundle, because the test target depends on the
    /// `slowatch` executable target. `/proc/self/exe` is the test bundle (`<build>/debug/…xctest`).
    static var binaryPath: String {
        let testBundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBundle.deletingLastPathComponent().appendingPathComponent("slowatch").path
    }

    /// The package root (two levels above this file's folder), for `examples/`.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts `slowatch arguments…` (or the program at `executablePath`) with `environment` added to the
    /// cleaned test environment.
    init(_ arguments: [String], environment: [String: String] = [:], executablePath: String? = nil) throws {
        _ = TestProcessSignals.brokenPipeIgnored
        var childEnvironment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLOWATCH_") }
        childEnvironment["SWIFT_BACKTRACE"] = "enable=no"
        childEnvironment.merge(environment) { _, new in new }
        process.executableURL = URL(fileURLWithPath: executablePath ?? Self.binaryPath)
        process.arguments = arguments
        process.environment = childEnvironment
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        outputPipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            output.withLock { $0.standardOutput.append(contentsOf: data) }
        }
        errorPipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            output.withLock { $0.standardError.append(contentsOf: data) }
        }
        try process.run()
    }

    /// Runs `slowatch arguments…` (or the program at `executablePath`) to completion (killed after `timeout`
    /// seconds).
    /// - Returns: the exit status (nil when it had to be killed) and the captured output.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], executablePath: String? = nil,
        timeout: Double = 30
    ) throws -> (status: Int32?, standardOutput: String, standardError: String) {
        let child = try SlowatchProcess(arguments, environment: environment, executablePath: executablePath)
        defer { child.kill() }
        let status = child.waitForExit(timeout: timeout)
        return (status, child.standardOutput, child.standardError)
    }

    /// Everything written to standard output so far.
    var standardOutput: String { output.withLock { String(decoding: $0.standardOutput, as: UTF8.self) } }

    /// Everything written to standard error so far.
    var standardError: String { output.withLock { String(decoding: $0.standardError, as: UTF8.self) } }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Waits up to `timeout` seconds until standard error contains `text`.
    /// - Returns: whether it appeared (false also when the child exited without writing it).
    func waitForStandardError(containing text: String, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if standardError.contains(text) { return true }
            if !process.isRunning {
                drain()
                return standardError.contains(text)
            }
            usleep(20_000)
        }
        return false
    }

    /// The port from the startup line `… listening on http://host:PORT …`, waiting up to `timeout` seconds.
    func boundPort(timeout: Double = 20) -> Int? {
        guard waitForStandardError(containing: "listening on http://", timeout: timeout) else { return nil }
        let log = standardError
        guard let range = log.range(of: "listening on http://") else { return nil }
        let rest = log[range.upperBound...]
        guard let colon = rest.lastIndex(of: ":", before: rest.firstIndex(of: " ")) else { return nil }
        return Int(rest[rest.index(after: colon)...].prefix(while: \.isNumber))
    }

    /// The child's process id.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Sends `signal` to the child, unless it has already exited: its process id may then belong to
    /// another process, or to a thread of this one (pid numbers wrap at `pid_max`, 32,768 here).
    func send(_ signal: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
    }

    /// Waits up to `timeout` seconds for the child to exit.
    /// - Returns: its exit status, or nil when it is still running (or was killed by a signal, as -signal).
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else { return nil }
        drain()
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    /// Kills the child (SIGKILL) if it is still running, and waits for it.
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        drain()
    }

    /// Reads what is left in the pipes once the child has exited, then stops the handlers.
    private func drain() {
        for (pipe, isError) in [(outputPipe, false), (errorPipe, true)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            let rest = (try? pipe.fileHandleForReading.readToEnd()) ?? nil
            guard let rest, !rest.isEmpty else { continue }
            output.withLock { captured in
                if isError {
                    captured.standardError.append(contentsOf: rest)
                } else {
                    captured.standardOutput.append(contentsOf: rest)
                }
            }
        }
    }
}

extension Substring {
    /// The last index of `character` before `end` (or in the whole string when `end` is nil).
    fileprivate func lastIndex(of character: Character, before end: Index?) -> Index? {
        self[..<(end ?? endIndex)].lastIndex(of: character)
    }
}
