import ArgumentParser
import Logging
import SLOWatchService

/// `slowatch serve`: binds the HTTP server and runs until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP server until SIGINT or SIGTERM, then shut down gracefully."
    )

    @Option(help: "The address to bind: an IPv4 or IPv6 literal.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port to listen on; 0 picks a free one.")
    var port = 8080

    @Option(help: "How long a graceful shutdown may wait for in-flight requests, in seconds.")
    var shutdownGrace = 10.0

    func validate() throws {
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port \(port) is out of range: it must be between 0 and 65535.")
        }
        guard shutdownGrace.isFinite, shutdownGrace >= 0 else {
            throw ValidationError("--shutdown-grace \(shutdownGrace) must be a finite number of seconds ≥ 0.")
        }
    }

    func run() throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "slowatch")
        var configuration = ServiceConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.shutdownGraceMilliseconds = shutdownGrace * 1000
        let service = try SLOWatchService(configuration: configuration, logger: logger)
        let signals = SignalWaiter.termination()
        let bound = try service.start()
        logger.info("slowatch listening on http://\(host):\(bound)")
        let signal = signals.wait()
        logger.info("received signal \(signal); shutting down")
        service.stop()
        logger.info("stopped")
    }
}
