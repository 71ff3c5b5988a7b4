/// The benchmark's phases, in order, each measured on the client's monotonic clock and with the
/// server's `/proc` figures:
///
/// 1. connect every subscriber (at most `inFlight` at once) and check each head;
/// 2. wait until the server's `/healthz` counts them all as open streams;
/// 3. wait for a keepalive tick to reach every subscriber, so the idle window starts just after one;
/// 4. the idle window (`idleSeconds`, 10 s by default, shorter than the 15 s keepalive interval, so
///    normally no heartbeat falls in it): server CPU and RSS, client CPU;
/// 5. POST the breaking sample and wait until every subscriber has the violation event.
enum FanoutBenchmark {
    /// Runs every phase.
    /// - Returns: the figures; subscribers that missed the event are counted, not thrown.
    /// - Throws: ``FanoutClient/Failure`` when the run cannot be carried out (a subscriber fails to
    ///   connect, the server process is gone, the POST cannot be sent).
    static func run(_ options: FanoutOptions) throws(FanoutClient.Failure) -> FanoutResult {
        let client = try FanoutClient(options: options)
        defer { client.closeAll() }
        var result = FanoutResult()
        result.subscribers = options.subscribers

        let serverBefore = try serverStats(options)
        result.serverResidentBeforeKiB = serverBefore.residentKiB
        let connectStart = (FanoutClock.nanoseconds(), ProcessStats.own())
        try client.connectAll()
        let serverConnected = try serverStats(options)
        result.connected = client.streamingCount
        result.connectSeconds = Double(FanoutClock.nanoseconds() - connectStart.0) / 1e9
        result.connectClientCPUMilliseconds =
            ProcessStats.own().cpuMilliseconds - connectStart.1.cpuMilliseconds
        result.connectServerCPUMilliseconds = serverConnected.cpuMilliseconds - serverBefore.cpuMilliseconds
        if let failure = client.firstFailure {
            throw FanoutClient.Failure(
                description: "\(client.failedCount) of \(options.subscribers) subscribers failed. \(failure)")
        }
        try waitForServerStreams(client)

        let baseline = client.subscribers.map(\.keepalives)
        result.heartbeatObserved = client.pump(forSeconds: options.heartbeatWaitSeconds) {
            client.subscribers.indices.allSatisfy { client.subscribers[$0].keepalives > baseline[$0] }
        }
        let tickTimes = client.subscribers.compactMap(\.lastKeepaliveAt)
        if result.heartbeatObserved, let first = tickTimes.min(), let last = tickTimes.max() {
            result.heartbeatSpreadMilliseconds = FanoutClock.milliseconds(last - first)
        }
        client.pump(forSeconds: 0.5)

        let idleStart = (
            FanoutClock.nanoseconds(), ProcessStats.own(), try serverStats(options), keepalives(client)
        )
        let idleMachine = ProcessStats.machineBusyMilliseconds() ?? 0
        client.pump(forSeconds: options.idleSeconds)
        let idleEnd = (
            FanoutClock.nanoseconds(), ProcessStats.own(), try serverStats(options), keepalives(client)
        )
        let idleMachineBusy = (ProcessStats.machineBusyMilliseconds() ?? 0) - idleMachine
        result.idleSeconds = Double(idleEnd.0 - idleStart.0) / 1e9
        result.idleClientCPUMilliseconds = idleEnd.1.cpuMilliseconds - idleStart.1.cpuMilliseconds
        result.idleServerCPUMilliseconds = idleEnd.2.cpuMilliseconds - idleStart.2.cpuMilliseconds
        result.heartbeatsInIdleWindow =
            Double(idleEnd.3 - idleStart.3) / Double(max(1, client.streamingCount))
        result.idleOtherCPUMilliseconds = max(
            0, idleMachineBusy - result.idleServerCPUMilliseconds - result.idleClientCPUMilliseconds)
        result.serverResidentIdleKiB = idleEnd.2.residentKiB
        result.serverThreadsIdle = idleEnd.2.threads

        let fanoutOwn = ProcessStats.own()
        let fanoutServer = try serverStats(options)
        let fanoutMachine = ProcessStats.machineBusyMilliseconds() ?? 0
        let sentAt = try client.postBreakingSample()
        result.postSentAtSeconds = Double(sentAt) / 1e9
        client.pump(forSeconds: options.timeoutSeconds) {
            client.subscribers.allSatisfy { $0.violationAt != nil || $0.isClosed }
        }
        let fanoutEnd = FanoutClock.nanoseconds()
        result.fanoutClientCPUMilliseconds = ProcessStats.own().cpuMilliseconds - fanoutOwn.cpuMilliseconds
        result.fanoutServerCPUMilliseconds =
            try serverStats(options).cpuMilliseconds - fanoutServer.cpuMilliseconds
        let fanoutMachineBusy = (ProcessStats.machineBusyMilliseconds() ?? 0) - fanoutMachine
        result.fanoutOtherCPUMilliseconds = max(
            0, fanoutMachineBusy - result.fanoutServerCPUMilliseconds - result.fanoutClientCPUMilliseconds)
        result.fanoutWallMilliseconds = FanoutClock.milliseconds(fanoutEnd - sentAt)
        // The POST's answer normally came long before; give it a moment more if it did not.
        client.pump(forSeconds: 2) { client.postAnsweredAt != nil }
        result.latenciesMilliseconds = client.subscribers.compactMap(\.violationAt)
            .map { FanoutClock.milliseconds($0 - sentAt) }.sorted()
        result.received = result.latenciesMilliseconds.count
        let postHead = String(decoding: client.postResponse.prefix(200), as: UTF8.self)
        result.postStatusLine = postHead.split(separator: "\r\n").first.map(String.init) ?? "(no answer)"
        result.postAnswerMilliseconds =
            client.postAnsweredAt.map { FanoutClock.milliseconds($0 - sentAt) } ?? 0
        result.serverPeakResidentKiB = try serverStats(options).peakResidentKiB
        result.clientPeakResidentKiB = ProcessStats.own().peakResidentKiB
        result.firstFailure = client.firstFailure
        return result
    }

    /// The server's figures now.
    /// - Throws: ``FanoutClient/Failure`` when its `/proc` files cannot be read (it exited).
    private static func serverStats(_ options: FanoutOptions) throws(FanoutClient.Failure) -> ProcessStats {
        guard let stats = ProcessStats.of(pid: options.serverPID) else {
            throw FanoutClient.Failure(
                description:
                    "The server process \(options.serverPID) is gone (its /proc files cannot be read).")
        }
        return stats
    }

    /// Every subscriber's keepalives so far, summed.
    private static func keepalives(_ client: FanoutClient) -> Int {
        client.subscribers.reduce(0) { $0 + $1.keepalives }
    }

    /// Polls `GET /healthz` (every 200 ms, reading the subscribers meanwhile) until the server counts
    /// every subscriber as an open stream: a stream is counted once it is registered, just before it
    /// subscribes to the bus, so this also bounds how long the last subscription can lag its head.
    /// - Throws: ``FanoutClient/Failure`` after 30 s, naming the last count.
    private static func waitForServerStreams(_ client: FanoutClient) throws(FanoutClient.Failure) {
        let request = "GET /healthz HTTP/1.1\r\nHost: \(client.options.host)\r\nConnection: close\r\n\r\n"
        var last = "no answer"
        for _ in 0..<150 {
            if let response = try? ClientSocket.exchange(request, with: client.address),
                let range = response.firstRange(of: "\"subscribers\":")
            {
                let count = Int(response[range.upperBound...].prefix(while: \.isNumber))
                if count == client.options.subscribers { return }
                last = count.map { "\($0)" } ?? "unreadable"
            }
            client.pump(forSeconds: 0.2)
        }
        throw FanoutClient.Failure(
            description: "The server's /healthz counted \(last) subscribers after 30 s, not "
                + "\(client.options.subscribers).")
    }
}
