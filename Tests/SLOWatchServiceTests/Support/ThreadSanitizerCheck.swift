import Glibc

/// Whether this test process runs under ThreadSanitizer (`swift test --sanitize=thread`), found by asking
/// the dynamic linker for the sanitizer's runtime entry point.
///
/// The instrumentation slows every memory access several times over and shadows every byte of the heap,
/// so timing and memory bounds meant for a plain build are scaled in a sanitizer run. A `slowatch` child
/// started from the same build directory is instrumented the same way.
enum ThreadSanitizerCheck {
    /// True under ThreadSanitizer.
    static let isActive: Bool = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil
}
