/// How the Alertmanager forwarder re-sends, retries and times out, in ms.
///
/// The defaults follow Prometheus: a firing alert is re-sent every minute and carries
/// `endsAt` = now + 4 × the resend interval, so Alertmanager resolves it by itself four minutes after
/// slowatch goes silent (a crash, a network split) instead of keeping it firing for ever; a resolution
/// that cannot be delivered within the retries is therefore not lost for good either.
public struct AlertDeliveryPolicy: Sendable, Equatable {
    /// How often every firing alert is re-sent while its violation lasts, in ms (default 60,000).
    public var resendIntervalMilliseconds: Double = 60_000
    /// The most a connection attempt, the sending of a request, or the wait for the status line may
    /// take, in ms each (default 5,000).
    public var timeoutMilliseconds: Double = 5_000
    /// The wait after the first failed post before the next attempt, in ms; each further failure
    /// doubles it (default 500).
    public var initialBackoffMilliseconds: Double = 500
    /// The longest wait between two attempts, in ms (default 30,000).
    public var maximumBackoffMilliseconds: Double = 30_000
    /// How many times one state of an alert is tried before it is given up (default 8: about a minute
    /// of retries with the default backoff). A firing alert is queued again at its next resend anyway.
    public var maximumAttempts = 8
    /// The most alerts in one post (default 500), so one request body stays below a few hundred KiB.
    public var maximumAlertsPerPost = 500
    /// The most alert states waiting for one Alertmanager (default 20,000: two per SLO at the SLO
    /// limit). A newer state of the same alert replaces the waiting one, so this is only reached with
    /// thousands of SLOs changing while the Alertmanager is down; beyond it new states are dropped
    /// and logged.
    public var maximumPendingAlerts = 20_000

    /// The defaults.
    public init() {}

    /// How far past the send time a firing alert's `endsAt` lies, in ms: 4 × the resend interval.
    var firingLeadMilliseconds: Double { 4 * resendIntervalMilliseconds }

    /// The wait before attempt `failures + 1` after `failures` failed attempts (at least 1), in ms:
    /// the initial backoff doubled for each failure after the first, capped at the maximum.
    func backoffMilliseconds(afterFailures failures: Int) -> Double {
        let doublings = Double(min(max(failures - 1, 0), 40))
        return min(initialBackoffMilliseconds * Double.pow2(doublings), maximumBackoffMilliseconds)
    }
}

extension Double {
    /// 2 to the power `exponent` (a small whole number), without Foundation's `pow`.
    fileprivate static func pow2(_ exponent: Double) -> Double {
        Double(sign: .plus, exponent: Int(exponent), significand: 1)
    }
}
