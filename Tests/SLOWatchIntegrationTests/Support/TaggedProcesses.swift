import Foundation

/// Every process started for one documentation page, found by an environment variable they all inherit,
/// so that the page's whole process tree can be killed: a block's background jobs, a server a block
/// started with `&`, and their children, even after their parent shell exited and they were re-parented.
struct TaggedProcesses: Sendable {
    /// The environment variable every process of the page carries.
    static let variable = "DOCRUN_PAGE_TAG"
    /// This page's value of ``variable`` (a fresh UUID).
    let tag: String

    init() { tag = UUID().uuidString }

    /// The environment entry to give every process of the page.
    var environment: [String: String] { [Self.variable: tag] }

    /// The ids of the running processes that carry the tag (read from `/proc/<pid>/environ`; processes of
    /// other users, and zombies, have none readable and are skipped).
    func processIdentifiers() -> [Int32] {
        let needle = Array("\(Self.variable)=\(tag)".utf8) + [0]
        let own = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard pid != own,
                let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
            else { return false }
            return Array(environ).firstRange(of: needle) != nil
        }
    }

    /// Sends SIGKILL to every tagged process, again until none is left (a dying shell may fork once more),
    /// for at most `timeout` seconds.
    /// - Returns: the number of processes killed.
    @discardableResult
    func killAll(timeout: Double = 10) -> Int {
        var killed = Set<Int32>()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let alive = processIdentifiers().filter { !killed.contains($0) || isRunning($0) }
            if alive.isEmpty { break }
            for pid in alive {
                kill(pid, SIGKILL)
                killed.insert(pid)
            }
            usleep(20_000)
        }
        return killed.count
    }

    /// Whether `pid` exists and is not a zombie.
    func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }
}
