import SLOWatchSync

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where log lines go: standard error by default, or any sink (tests capture lines in memory).
public struct LogOutput: Sendable {
    /// Writes one complete line, newline included, as UTF-8 bytes.
    public let write: @Sendable ([UInt8]) -> Void

    /// Creates an output from a sink that receives one complete line (newline included) per call.
    public init(write: @escaping @Sendable ([UInt8]) -> Void) { self.write = write }

    /// Standard error. Each line is written whole under one lock, so lines from different threads never
    /// interleave, and unbuffered, so nothing is lost when the process exits.
    public static let standardError = LogOutput { line in
        standardErrorLock.withLock { _ in
            line.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = systemWrite(STDERR_FILENO, base + offset, buffer.count - offset)
                    if written < 0, errno == EINTR { continue }
                    // A closed or broken stderr: drop the rest of the line rather than spin.
                    guard written > 0 else { return }
                    offset += written
                }
            }
        }
    }

    /// `write(2)`, named apart from ``write``.
    private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, bytes, count)
        #else
            Darwin.write(fd, bytes, count)
        #endif
    }

    /// Serialises writes to standard error across every logger in the process.
    // A `UInt8`, not `()`: ThreadSanitizer reports a false race on a `PThreadLock<()>`.
    private static let standardErrorLock = PThreadLock<UInt8>(0)
}
