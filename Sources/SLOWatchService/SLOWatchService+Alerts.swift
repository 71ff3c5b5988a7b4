#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SLOWatchService {
    /// Starts forwarding violations and recoveries to the configured Alertmanagers, if any.
    /// - Parameter port: the bound port, for each alert's `generatorURL`.
    func startAlertForwarder(port: Int) {
        guard !configuration.alertmanagers.isEmpty else { return }
        let forwarder = AlertForwarder(
            endpoints: configuration.alertmanagers, policy: configuration.alertDelivery,
            generatorBase: Self.generatorBase(host: configuration.host, port: port), bus: bus,
            queueCapacity: configuration.effectiveStreamQueueCapacity, counters: counters, logger: logger,
            wallClock: wallClock, monotonicClock: monotonicClock)
        alertForwarder.withLock { $0 = forwarder }
        forwarder.start()
        let list = configuration.alertmanagers.map(\.description).joined(separator: ", ")
        logger.info("Forwarding SLO alerts to Alertmanager \(list).")
    }

    /// Stops the forwarder, giving it a short last chance to deliver what waits.
    func stopAlertForwarder() {
        let forwarder = alertForwarder.withLock { forwarder in
            defer { forwarder = nil }
            return forwarder
        }
        forwarder?.stop()
    }

    /// `http://host:port` of this service as an Alertmanager user's browser should reach it.
    ///
    /// The bound address, except that a wildcard (`0.0.0.0`, `::`) reaches nobody, so the machine's host
    /// name stands in for it (in a container, the container's name, which its network resolves).
    static func generatorBase(host: String, port: Int) -> String {
        var shown = host
        if host == "0.0.0.0" || host == "::" {
            var name = [CChar](repeating: 0, count: 256)
            if gethostname(&name, name.count - 1) == 0 {
                shown = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            if shown.isEmpty { shown = "localhost" }
        }
        return "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(port)"
    }
}
