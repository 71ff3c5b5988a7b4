import Foundation
import Testing

/// `Tests/browser/dashboard_driver.py` driving headless Chromium against a page, as a child process.
///
/// The driver prints one JSON line per wait (`{"wait","ok","ms"}`) as soon as it is decided, then a
/// last line `{"result","exceptions","console","screenshot"}` (or `{"error"}`). A test may act between
/// two waits: ``waitFor(_:timeout:)`` returns once the first has passed, while the browser stays open.
/// Always call ``stop()`` in a `defer`.
final class DashboardDriver {
    /// Whether both programs the driver needs are installed.
    static var isAvailable: Bool {
        ExternalTool.isInstalled("chromium") && ExternalTool.isInstalled("python3")
    }

    /// The reason a browser test is skipped.
    static var skipReason: Comment {
        ExternalTool.isInstalled("python3")
            ? ExternalTool.skipReason("chromium") : ExternalTool.skipReason("python3")
    }

    /// The driver script in the repository.
    static var scriptPath: String {
        SlowatchProcess.packageRoot.appendingPathComponent("Tests/browser/dashboard_driver.py").path
    }

    private let process: SlowatchProcess

    /// Starts Chromium on `url` in a `viewport` (`WIDTHxHEIGHT`, CSS pixels).
    /// - Parameters:
    ///   - waits: labelled JavaScript conditions, polled in order until each is truthy.
    ///   - result: a JavaScript expression whose JSON value the last line carries.
    ///   - screenshot: where to write a PNG of the viewport after the last wait, if anywhere.
    ///   - timeout: the seconds allowed for each wait.
    init(
        url: String, viewport: String = "1280x800", mobile: Bool = false, waits: [(String, String)],
        result: String, screenshot: String? = nil, timeout: Double = 15
    ) throws {
        var arguments = [Self.scriptPath, "--url", url, "--viewport", viewport, "--timeout", String(timeout)]
        if mobile { arguments.append("--mobile") }
        for (label, expression) in waits { arguments += ["--wait", "\(label)=\(expression)"] }
        arguments += ["--result", result]
        if let screenshot { arguments += ["--screenshot", screenshot] }
        process = try SlowatchProcess(arguments, executablePath: ExternalTool.path("python3"))
    }

    /// The JSON lines printed so far.
    var lines: [[String: Any]] {
        process.standardOutput.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// Waits up to `timeout` seconds for the wait `label` to be decided.
    /// - Returns: whether it passed; nil when it was not decided in time (or the driver failed first).
    func waitFor(_ label: String, timeout: Double = 30) -> Bool? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            for line in lines {
                if line["wait"] as? String == label { return line["ok"] as? Bool }
                if line["error"] != nil || line["result"] != nil { return nil }
            }
            usleep(50_000)
        }
        return nil
    }

    /// Waits up to `timeout` seconds for the driver to exit.
    /// - Returns: the last line (`result`, `exceptions`, `console`, `screenshot`, or `error`).
    func finish(timeout: Double = 30) throws -> [String: Any] {
        _ = process.waitForExit(timeout: timeout)
        return try #require(
            lines.last { $0["result"] != nil || $0["error"] != nil },
            "the driver printed no result; stdout: \(process.standardOutput) stderr: \(process.standardError)"
        )
    }

    /// Every line that reports a failed wait, and the driver's error, for a readable failure message.
    var failures: String {
        lines.filter { $0["ok"] as? Bool == false || $0["error"] != nil }.map { "\($0)" }.joined(
            separator: "; ")
            + process.standardError.suffix(2_000)
    }

    /// Kills the driver (and so Chromium, whose pipe closes) if it still runs.
    func stop() { process.kill() }
}
