import Foundation
import SLOWatchCore
import SLOWatchSync
import TestCurlClient
import Testing

@Suite("POST /samples under concurrency")
struct SamplesConcurrencyTests {
    static let posters = 8
    static let queriers = 4
    static let batchesPerPoster = 25
    static let samplesPerBatch = 40
    static let queriesPerQuerier = 40

    @Test("8 clients post while 4 query; every request succeeds and the final count is exact")
    func postersAndQueriers() throws {
        let service = try TestService()
        defer { service.stop() }
        let setup = try CurlClient()
        for metric in ["conc.a", "conc.b"] {
            #expect(
                try setup.putJSON(service.url("/metrics/\(metric)"), #"{"capacity":100000}"#).status == 201)
        }
        let failures = PThreadLock<[String]>([])
        let group = DispatchGroup()
        for poster in 0..<Self.posters {
            run(in: group, failures: failures) {
                let client = try CurlClient(timeoutMilliseconds: 30_000)
                // Posters 0, 2, 4, 6 write conc.a; the others conc.b; every batch also carries one sample
                // of the other metric, so batches touch two metrics at once.
                let own = poster % 2 == 0 ? "conc.a" : "conc.b"
                let other = poster % 2 == 0 ? "conc.b" : "conc.a"
                for batch in 0..<Self.batchesPerPoster {
                    let samples = (0..<Self.samplesPerBatch).map { index in
                        (index == 0 ? other : own, Double(poster * 1_000 + batch), Double?.none)
                    }
                    let response = try client.postJSON(service.url("/samples"), SampleJSON.batch(samples))
                    guard response.status == 200, response.bodyText == #"{"accepted":40}"# else {
                        return "poster \(poster) batch \(batch): \(response.status) \(response.bodyText)"
                    }
                }
                return nil
            }
        }
        for querier in 0..<Self.queriers {
            run(in: group, failures: failures) {
                let client = try CurlClient(timeoutMilliseconds: 30_000)
                let paths = [
                    "/metrics/conc.a/percentiles?q=0.25,0.75", "/metrics", "/metrics/conc.b/samples?limit=50",
                    "/metrics/conc.b/percentiles?window=1h",
                ]
                for index in 0..<Self.queriesPerQuerier {
                    let path = paths[(index + querier) % paths.count]
                    let response = try client.get(service.url(path))
                    guard response.status == 200, (try? response.json()) != nil else {
                        return "querier \(querier) \(path): \(response.status) \(response.bodyText)"
                    }
                }
                return nil
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success, "the clients did not finish within 120 s")
        #expect(failures.withLock { $0 } == [])

        let total = Self.posters * Self.batchesPerPoster * Self.samplesPerBatch
        let listing = try setup.get(service.url("/metrics")).json()
        let counts = (listing["metrics"] as? [[String: Any]] ?? []).compactMap { $0["count"] as? Int }
        #expect(counts == [total / 2, total / 2])
        #expect(service.service.registry.totalRecorded == UInt64(total))
    }

    /// Runs `body` on its own thread (each client is confined to one), recording a failure it returns
    /// or throws.
    private func run(
        in group: DispatchGroup, failures: PThreadLock<[String]>,
        _ body: @escaping @Sendable () throws -> String?
    ) {
        group.enter()
        let thread = Thread {
            defer { group.leave() }
            do {
                if let failure = try body() { failures.withLock { $0.append(failure) } }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        thread.start()
    }
}
