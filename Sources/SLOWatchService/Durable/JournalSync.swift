/// When the write-ahead journal of `--data-dir` is flushed to the disk (`--fsync`).
public enum JournalSync: String, Sendable, CaseIterable {
    /// `write()` only (the default): an acknowledged change survives `kill -9` (the kernel has the
    /// bytes), not a power loss or a kernel crash.
    case never
    /// Group commit: one `fdatasync` at most every `--fsync-interval` across concurrent changes, each
    /// answered after the sync that covers it.
    case batch
    /// One `fdatasync` per written group, before its changes are answered.
    case always
}
