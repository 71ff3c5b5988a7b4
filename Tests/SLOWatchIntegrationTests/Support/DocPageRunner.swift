import Foundation

/// Runs one page's runnable blocks against the real `slowatch` binary, as docs/runnable-examples.md
/// describes: in page order, each with `bash -euo pipefail`, in one fresh temporary folder for the page,
/// with the binary's folder first on `PATH` and a server (unless `<!-- run-server: none -->`) on a free
/// port that every `127.0.0.1:8080`, `localhost:8080` and `--port 8080` of the page is rewritten to.
///
/// Every process of the page carries one ``TaggedProcesses`` tag, so a block that times out, and
/// whatever the page left running, are killed with their whole tree.
struct DocPageRunner: Sendable {
    /// Seconds one block may run before the page's process tree is killed.
    var blockTimeout: Double = 30
    /// The `slowatch` binary whose folder goes first on `PATH` and which serves the page.
    var binaryPath: String = SlowatchProcess.binaryPath

    /// Runs every block of `page`, stopping at the first that fails.
    /// - Returns: the failures, each naming the page, the block's line and first line, the expected and
    ///   actual output and the block's standard error; empty when the page passed.
    func run(_ page: DocBlockPage) -> [String] {
        guard !page.blocks.isEmpty else { return [] }
        let processes = TaggedProcesses()
        defer { processes.killAll() }
        let work: URL
        let logs: URL
        do {
            work = try ExternalTool.temporaryFolder("slowatch-docrun")
            logs = try ExternalTool.temporaryFolder("slowatch-docrun-logs")
        } catch {
            return ["\(page.name): cannot create the page's temporary folder: \(error)"]
        }
        defer {
            try? FileManager.default.removeItem(at: work)
            try? FileManager.default.removeItem(at: logs)
        }
        let environment = blockEnvironment(processes)
        var server: SlowatchProcess?
        defer { server?.kill() }
        var port = 0
        do {
            switch page.server {
            case .none:
                port = try ExternalTool.freeLoopbackPortOutsideEphemeralRange()
            case .standard:
                let started = try startServer([], in: work, environment: environment)
                server = started.server
                port = started.port
            case .arguments(let arguments):
                let started = try startServer(arguments, in: work, environment: environment)
                server = started.server
                port = started.port
            }
        } catch {
            return ["\(page.name): \(error)"]
        }
        for (index, block) in page.blocks.enumerated() {
            let context = BlockContext(
                page: page.name, number: index + 1, count: page.blocks.count, port: port, work: work,
                logs: logs, environment: environment, processes: processes)
            if let failure = run(block, context) { return [failure] }
        }
        return []
    }

    /// `text` with the documentation's port 8080 replaced by `port`.
    static func rewritten(_ text: String, port: Int) -> String {
        text.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
            .replacingOccurrences(of: "localhost:8080", with: "localhost:\(port)")
            .replacingOccurrences(of: "--port 8080", with: "--port \(port)")
    }

    /// What one block needs besides itself.
    private struct BlockContext {
        let page: String
        let number: Int
        let count: Int
        let port: Int
        let work: URL
        let logs: URL
        let environment: [String: String]
        let processes: TaggedProcesses
    }

    /// The environment of the page's processes: the test's, without `SLOWATCH_*` variables, with the
    /// binary's folder first on `PATH`, the backtracer off and the page's tag.
    private func blockEnvironment(_ processes: TaggedProcesses) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLOWATCH_") }
        let folder = URL(fileURLWithPath: binaryPath).deletingLastPathComponent().path
        environment["PATH"] = folder + ":" + (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment.merge(processes.environment) { _, tag in tag }
        return environment
    }

    /// Starts `slowatch serve --port 0 arguments…` in the page's folder and reads back its port.
    /// - Throws: when it does not print its listening line within 20 s, with its standard error.
    private func startServer(
        _ arguments: [String], in work: URL, environment: [String: String]
    ) throws -> (server: SlowatchProcess, port: Int) {
        // `bash -c` only to start the server in the page's folder (relative paths in ARGS land there).
        let script = #"cd "$1" && shift && exec "$0" "$@""#
        let server = try SlowatchProcess(
            ["-c", script, binaryPath, work.path, "serve", "--port", "0"] + arguments,
            environment: environment, executablePath: "/bin/bash")
        guard let port = server.boundPort(timeout: 20) else {
            server.kill()
            throw TestServiceError(
                "the server (slowatch serve --port 0 \(arguments.joined(separator: " "))) did not start; "
                    + "its standard error:\n\(server.standardError)")
        }
        return (server, port)
    }

    /// Runs one block and checks its exit status and output.
    /// - Returns: the failure message, or nil when the block passed.
    private func run(_ block: RunnableDocBlock, _ context: BlockContext) -> String? {
        let name =
            "\(context.page):\(block.line): block \(context.number) of \(context.count) ('\(block.firstLine)')"
        let outputFile = context.logs.appendingPathComponent("block-\(context.number).stdout")
        let errorFile = context.logs.appendingPathComponent("block-\(context.number).stderr")
        let outcome: BlockOutcome
        do {
            outcome = try execute(
                Self.rewritten(block.code, port: context.port), context, output: outputFile, error: errorFile)
        } catch {
            return "\(name): could not start bash: \(error)"
        }
        let expected = block.expectedOutput.map { $0.map { Self.rewritten($0, port: context.port) } }
        let report = FailureReport(
            expected: expected, expectedLine: block.outputLine, output: outcome.output, error: outcome.error)
        if outcome.timedOut {
            return report.text(
                "\(name): timed out after \(Int(blockTimeout)) s; the page's processes were killed")
        }
        guard outcome.status == 0 else {
            return report.text("\(name): exited with status \(outcome.status)")
        }
        if let expected, let mismatch = DocOutputMatcher.mismatch(expected: expected, actual: outcome.output)
        {
            return report.text("\(name): printed other output than the page shows: \(mismatch)")
        }
        return nil
    }

    /// How a block ended.
    private struct BlockOutcome {
        /// The exit status (`-signal` when killed by a signal).
        let status: Int32
        /// Whether it ran past ``blockTimeout`` and was killed.
        let timedOut: Bool
        /// Its standard output and standard error.
        let output: String
        let error: String
    }

    /// Runs `bash -euo pipefail -c code` in the page's folder (``BlockProcess``), its output going to
    /// files, not pipes: a background job that keeps them open must not keep the runner waiting.
    private func execute(
        _ code: String, _ context: BlockContext, output: URL, error: URL
    ) throws -> BlockOutcome {
        let process = try BlockProcess.spawn(
            code, in: context.work, environment: context.environment, standardOutput: output,
            standardError: error)
        let deadline = Date().addingTimeInterval(blockTimeout)
        var status = process.exitStatus()
        while status == nil, Date() < deadline {
            usleep(20_000)
            status = process.exitStatus()
        }
        let timedOut = status == nil
        if timedOut {
            context.processes.killAll()
            status = process.exitStatus(blocking: true)
        }
        let read = { (file: URL) in String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self) }
        return BlockOutcome(
            status: status ?? -255, timedOut: timedOut, output: read(output), error: read(error))
    }
}

/// The details under a failure's first line: the expected output, the actual one and the standard error,
/// each cut to its last 4,000 characters.
private struct FailureReport {
    let expected: [String]?
    let expectedLine: Int?
    let output: String
    let error: String

    func text(_ headline: String) -> String {
        var text = headline
        if let expected {
            text += "\n--- expected output (the block on line \(expectedLine ?? 0)):\n"
            text += expected.joined(separator: "\n")
        }
        text += "\n--- actual standard output:\n" + Self.tail(output)
        text += "\n--- standard error:\n" + Self.tail(error)
        return text
    }

    private static func tail(_ text: String) -> String {
        text.count <= 4_000 ? text : "…" + String(text.suffix(4_000))
    }
}
