#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether the tests run under ThreadSanitizer: `make test-tsan` sets `SLOWATCH_TSAN=1`.
///
/// Under it every memory access costs several times more and its shadow memory multiplies resident
/// memory, so memory bounds are not checked, and long single-threaded computations (property tests
/// against an oracle), where ThreadSanitizer has nothing to find, are skipped.
public enum ThreadSanitizerRun {
    /// True when `SLOWATCH_TSAN` is set.
    public static let isActive = getenv("SLOWATCH_TSAN") != nil
}
