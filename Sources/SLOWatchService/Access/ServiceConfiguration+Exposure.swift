#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ServiceConfiguration {
    /// Whether `host` (an IP literal) only reaches this machine: 127.0.0.0/8, `::1`, or an IPv4-mapped
    /// `::ffff:127.x.y.z`. The wildcards `0.0.0.0` and `::` listen on every interface, so they are not.
    public static func isLoopback(_ host: String) -> Bool {
        var address4 = in_addr()
        if inet_pton(AF_INET, host, &address4) == 1 {
            return UInt32(bigEndian: address4.s_addr) >> 24 == 127
        }
        var address6 = in6_addr()
        guard inet_pton(AF_INET6, host, &address6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: address6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        let mapped = bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF
        return mapped && bytes[12] == 127
    }

    /// Why this configuration must not start, when it would expose the service beyond this machine
    /// unguarded: a non-loopback ``host`` with no ``token`` unless ``insecure``, or a non-loopback
    /// ``statsdAddress`` unless ``statsdAllowRemote``. nil when it may start.
    /// - Parameter origin: where a setting's value came from (`flag --host`), for the message; nil
    ///   leaves it out.
    public func exposureProblem(origin: (SettingKey) -> String? = { _ in nil }) -> String? {
        func from(_ key: SettingKey) -> String { origin(key).map { " (from the \($0))" } ?? "" }
        if token == nil && !insecure && !Self.isLoopback(host) {
            return "Refusing to listen on \(host)\(from(.host)) without a token: it is not a loopback "
                + "address, so anyone who can reach it could post samples and change or delete metrics "
                + "and SLOs. Set a token with --token-file, SLOWATCH_TOKEN or --token, so that writes need "
                + "Authorization: Bearer <token>; or pass --insecure (SLOWATCH_INSECURE=true) to serve "
                + "without one, for example behind a proxy that authenticates; or listen on 127.0.0.1."
        }
        if let statsd = statsdAddress, !statsdAllowRemote, !Self.isLoopback(statsd.host) {
            return "Refusing to take StatsD lines on \(statsd)\(from(.statsd)): it is not a loopback "
                + "address, and StatsD over UDP and TCP has no authentication, so anyone who can reach it "
                + "could record samples (and fill the registry up to maxMetrics). Pass "
                + "--statsd-allow-remote (SLOWATCH_STATSD_ALLOW_REMOTE=true) to accept that, or listen on "
                + "127.0.0.1."
        }
        return nil
    }
}
