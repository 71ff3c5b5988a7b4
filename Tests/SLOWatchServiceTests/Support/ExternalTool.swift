import Foundation
import TestCurlClient
import Testing

/// A program from outside the package (`prometheus`, `promtool`, `alertmanager`, `amtool`, `chromium`,
/// `python3`, `nc`) that an integration test drives for real.
///
/// `.ci/run` installs them when they are missing. On a machine where one cannot be installed, the test
/// that needs it is reported as skipped, with ``skipReason(_:)`` as the reason, never silently passed:
/// `@Test(.enabled(if: ExternalTool.isInstalled("promtool"), ExternalTool.skipReason("promtool")))`.
enum ExternalTool {
    /// The folders searched besides `PATH` (Debian puts some programs outside a non-login `PATH`).
    private static let extraFolders = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]

    /// The absolute path of `name` on `PATH` (or in the usual system folders), or nil when it is not
    /// installed.
    static func path(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + extraFolders
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether `name` is installed.
    static func isInstalled(_ name: String) -> Bool { path(name) != nil }

    /// The reason shown when a test is skipped because `name` is missing.
    static func skipReason(_ name: String) -> Comment {
        Comment(rawValue: "\(name) is not installed (.ci/run installs it with apt-get or pip)")
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago, below Linux's ephemeral range (20000 ..<
    /// 30000; the range starts at 32768), so that no server of a parallel test bound to port 0 and no
    /// outgoing connection can be given it meanwhile: for a program that the test starts later on that
    /// port and then polls, where another server answering would be taken for it.
    /// - Throws: when 100 random ports in the range were all taken.
    static func freeLoopbackPortOutsideEphemeralRange() throws -> Int {
        for _ in 0..<100 {
            let port = Int.random(in: 20_000..<30_000)
            if (try? freeLoopbackPort(trying: port)) == port { return port }
        }
        throw TestServiceError("no free port in 20000..<30000 after 100 tries")
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago: bound with port 0 (or `port`), read back,
    /// and closed.
    /// - Throws: when no socket can be bound (or `port` is taken).
    static func freeLoopbackPort(trying port: Int = 0) throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestServiceError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestServiceError("bind() to a free port failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard named == 0 else { throw TestServiceError("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Polls `GET url` until it answers 2xx or `timeout` seconds pass.
    /// - Returns: the last answer's body when it became ready, or nil on timeout.
    @discardableResult
    static func waitUntilReady(_ url: String, timeout: Double = 30) -> String? {
        guard let client = try? CurlClient(timeoutMilliseconds: 2_000) else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let response = try? client.get(url), (200..<300).contains(response.status) {
                return response.bodyText
            }
            usleep(100_000)
        }
        return nil
    }

    /// A new empty folder under the system's temporary folder, for a program's configuration and data.
    static func temporaryFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
