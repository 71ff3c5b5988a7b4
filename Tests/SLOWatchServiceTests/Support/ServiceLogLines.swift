import Logging
import SLOWatchSync

@testable import SLOWatchService

/// A logger through the service's own text log handler whose output is kept in memory, one entry per
/// write, so a test can check exactly what an operator would read.
///
/// Memory grows with every line logged: for short tests only.
final class ServiceLogLines: Sendable {
    /// Every write of the handler, in order, as text.
    let lines: PThreadLock<[String]>
    /// The logger to hand to the service; logs at `level` and above.
    let logger: Logger

    /// A text-format service logger at `level` writing into ``lines``.
    init(level: Logger.Level) {
        let lines = PThreadLock([String]())
        let output = LogOutput { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
        }
        self.lines = lines
        self.logger = Logger(label: "slowatch") { label in
            ServiceLogging.handler(label: label, format: .text, level: level, output: output)
        }
    }
}
