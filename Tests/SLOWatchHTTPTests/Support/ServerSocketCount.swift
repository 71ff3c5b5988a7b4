import Foundation
import Glibc

/// Counts this process's open descriptors that are TCP sockets bound locally to one port: for an
/// in-process server, its listening socket plus the connections it has accepted and not yet closed.
///
/// Counting only the server's own sockets, rather than every entry of `/proc/self/fd`, keeps the count
/// exact while other tests in the same process open and close descriptors of their own.
enum ServerSocketCount {
    /// The number of descriptors in `/proc/self/fd` that are IPv4 TCP sockets with local port `port`.
    static func open(port: Int) -> Int {
        let inodes = socketInodes(localPort: port)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else {
            return -1
        }
        var count = 0
        for entry in entries {
            guard
                let target = try? FileManager.default.destinationOfSymbolicLink(
                    atPath: "/proc/self/fd/" + entry),
                target.hasPrefix("socket:["), target.hasSuffix("]"),
                let inode = UInt64(target.dropFirst("socket:[".count).dropLast())
            else { continue }
            if inodes.contains(inode) { count += 1 }
        }
        return count
    }

    /// Waits (polling every 50 ms, at most `timeoutSeconds`) for the count to reach `expected`; returns
    /// the last count seen.
    static func settle(port: Int, to expected: Int, timeoutSeconds: Double = 5) -> Int {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var count = open(port: port)
        while count != expected && Date() < deadline {
            usleep(50_000)
            count = open(port: port)
        }
        return count
    }

    /// The inodes of the sockets in `/proc/net/tcp` whose local port is `localPort` (0 for sockets no
    /// descriptor holds, such as those in TIME_WAIT, which match no descriptor anyway).
    private static func socketInodes(localPort: Int) -> Set<UInt64> {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return [] }
        var inodes = Set<UInt64>()
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
            guard fields.count > 9, let colon = fields[1].lastIndex(of: ":"),
                let port = Int(fields[1][fields[1].index(after: colon)...], radix: 16), port == localPort,
                let inode = UInt64(fields[9]), inode != 0
            else { continue }
            inodes.insert(inode)
        }
        return inodes
    }
}
