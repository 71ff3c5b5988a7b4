import Logging
import SLOWatchCore

extension CoreLogger {
    /// A core logger that forwards to a swift-log `Logger`, mapping levels one to one.
    static func bridging(_ logger: Logger) -> CoreLogger {
        CoreLogger { level, message in
            switch level {
            case .debug: logger.debug("\(message)")
            case .info: logger.info("\(message)")
            case .warning: logger.warning("\(message)")
            case .error: logger.error("\(message)")
            }
        }
    }
}
