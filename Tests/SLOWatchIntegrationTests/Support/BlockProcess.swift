import Foundation

/// One runnable block's `bash`, started with `posix_spawn` and reaped with `waitpid`.
///
/// Not Foundation's `Process`: on Linux it learns that a child exited when a socket the child inherits
/// closes, so a block that leaves a job in the background (`slowatch serve … &`) would look alive until
/// that job ends. Here the block's exit is its own, and a prelude closes every inherited descriptor above
/// 2, so a background job holds no other test's pipe open either.
struct BlockProcess: Sendable {
    /// The child's process id.
    let pid: pid_t

    /// The prelude: close inherited descriptors above 2, enter the folder `$1`, run `$2` with
    /// `bash -euo pipefail`.
    private static let prelude = #"""
        for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
        cd "$1" && exec bash -euo pipefail -c "$2"
        """#

    /// Starts `bash -euo pipefail -c code` in `folder` with exactly `environment`, standard input from
    /// `/dev/null` and standard output and error written to the files at `standardOutput` and
    /// `standardError` (created or truncated).
    /// - Throws: when `posix_spawn` fails.
    static func spawn(
        _ code: String, in folder: URL, environment: [String: String], standardOutput: URL,
        standardError: URL
    ) throws -> BlockProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, standardOutput.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let arguments = ["/bin/bash", "-c", prelude, "docrun", folder.path, code]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, envp)
        guard result == 0 else { throw TestServiceError("posix_spawn /bin/bash failed: errno \(result)") }
        return BlockProcess(pid: pid)
    }

    /// The exit status once the child has exited (`-signal` when a signal killed it), reaping it; nil
    /// while it runs. With `blocking`, waits for it.
    func exitStatus(blocking: Bool = false) -> Int32? {
        var status: Int32 = 0
        var reaped: pid_t
        repeat {
            reaped = waitpid(pid, &status, blocking ? 0 : WNOHANG)
        } while reaped == -1 && errno == EINTR
        if reaped == 0 { return nil }
        // -1: nothing to reap (ECHILD), which cannot happen for our own unreaped child; report it as -255.
        guard reaped == pid else { return -255 }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : -signal
    }
}
