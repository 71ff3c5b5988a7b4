#if canImport(Glibc)
    import Dispatch
    import Glibc
#elseif canImport(Darwin)
    import Darwin
    import Dispatch
#endif

/// Blocks the calling thread until one of the given signals arrives.
///
/// The signals are ignored for their default action and observed through `DispatchSource`,
/// so the handler runs on a Dispatch queue, never inside an async-signal context.
///
/// `@unchecked Sendable`: `sources` is written once in `init` and never changed; `caught` is
/// written only on `queue`, and read on `queue` after the semaphore has been signalled.
final class SignalWaiter: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let received = DispatchSemaphore(value: 0)
    /// The signal number that ended the wait; written once on `queue`, read after the semaphore.
    private var caught: Int32 = 0
    private let queue = DispatchQueue(label: "slowatch.signals")

    /// Starts observing `signals` (for example `SIGINT`, `SIGTERM`).
    init(signals: [Int32]) {
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: number, queue: queue))
        }
        self.sources = sources
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [self] in
                caught = number
                received.signal()
            }
            source.resume()
        }
    }

    /// Observes SIGINT and SIGTERM, the signals that ask a service to stop.
    static func termination() -> SignalWaiter {
        SignalWaiter(signals: [SIGINT, SIGTERM])
    }

    /// `SIGINT`, `SIGTERM`, or `signal N` for the others, for log lines.
    static func name(of number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }

    /// Waits for the first signal and returns its number.
    func wait() -> Int32 {
        received.wait()
        return queue.sync { caught }
    }
}
