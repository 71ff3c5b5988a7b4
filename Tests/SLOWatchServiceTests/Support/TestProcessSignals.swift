#if canImport(Glibc)
    import Glibc
#endif

/// The test process's signal dispositions, set once before the first server or child process starts.
enum TestProcessSignals {
    /// Ignores `SIGPIPE` in the test process, as the `slowatch` binary does (`ServerRuntime`): a write to
    /// a socket or pipe whose reader has gone then fails with `EPIPE` in the test that made it, instead
    /// of ending the whole test process silently (`swift test` reports a process killed by a signal
    /// with no message, only a failing exit status).
    static let brokenPipeIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()
}
