import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The memory budget through the routes: `PUT /metrics/{name}`, `POST /samples`, `DELETE` and the
/// `/metrics` gauges, in process.
@Suite("Memory budget routes")
struct MemoryBudgetRouteTests {
    /// 64 MiB, of which the histories take 4 MiB: one metric of 1,500,000 samples (24 MB of ring,
    /// 24 MB of scratch) fits, two do not.
    private static let budget = 64 << 20
    private static let history = 4 << 20
    private static let big = #"{"capacity":1500000}"#

    private static func service() throws -> InProcessService {
        try InProcessService {
            $0.memoryLimitBytes = budget
            $0.historyMemoryBytes = history
        }
    }

    @Test("the histories' limit is reserved at start, at most half the budget, and shown in the gauges")
    func historyIsReserved() throws {
        let service = try Self.service()
        let memory = service.service.registry.memory
        #expect(memory.reservedByPurpose[MetricsRegistry.historyMemoryPurpose] == Self.history)
        #expect(try Self.gauge("slowatch_memory_reserved_bytes", in: service) == Double(memory.reserved))
        let capped = try InProcessService { $0.memoryLimitBytes = Self.budget }
        #expect(
            capped.service.registry.memory.reservedByPurpose[MetricsRegistry.historyMemoryPurpose]
                == Self.budget / 2)
    }

    /// The value of the unlabelled gauge `name` in the `/metrics` text.
    private static func gauge(_ name: String, in service: InProcessService) throws -> Double? {
        let text = try service.client.get(
            service.url("/metrics"), headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)]
        ).bodyText
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test(
        "a PUT past the budget gets 422 memory_limit_reached naming the budget, the use, the ask and the flag"
    )
    func putPastBudget() throws {
        let service = try Self.service()
        let client = service.client
        #expect(try client.putJSON(service.url("/metrics/q1"), Self.big).status == 201)
        let reserved = service.service.registry.memory.reserved
        let response = try client.putJSON(service.url("/metrics/q2"), Self.big)
        expectAPIError(
            response, status: 422, code: "memory_limit_reached",
            message: #"Metric "q2" needs 24001536 bytes of memory, but \#(reserved) of the memory budget's "#
                + "67108864 bytes are already reserved (\(Self.budget - reserved) free). Raise the budget "
                + "with --memory-limit.")
        #expect(try client.get(service.url("/metrics/q2")).status == 404)
        #expect(try Self.gauge("slowatch_memory_budget_bytes", in: service) == Double(Self.budget))
        #expect(try Self.gauge("slowatch_memory_reserved_bytes", in: service) == Double(reserved))
    }

    @Test("a sample to a new metric past the budget gets 422 and nothing is recorded")
    func autoRegistrationPastBudget() throws {
        let service = try InProcessService {
            // One metric of 100,000 samples reserves 1.6 MB of ring and 1.6 MB of scratch; two do not fit
            // (the histories take 256 KiB).
            $0.memoryLimitBytes = 4 << 20
            $0.historyMemoryBytes = 256 << 10
            $0.capacity = 100_000
        }
        let client = service.client
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"a","value":1}"#).status == 200)
        let response = try client.postJSON(service.url("/samples"), #"{"metric":"b","value":1}"#)
        #expect(response.status == 422)
        #expect(response.errorCode == "memory_limit_reached")
        #expect(service.service.registry.metricCount == 1)
        #expect(service.service.registry.totalRecorded == 1)
    }

    @Test("a batch naming more new metrics than fit is refused whole: nothing registered or recorded")
    func batchIsRefusedWhole() throws {
        let service = try Self.service()
        let client = service.client
        let refused = SampleJSON.batch((0..<500).map { ("m\($0)", 1, nil) } + [("known", 1, nil)])
        let response = try client.postJSON(service.url("/samples"), refused)
        #expect(response.status == 422)
        #expect(response.errorCode == "memory_limit_reached")
        #expect(response.errorMessage?.contains("batch of 501 new metrics") == true)
        #expect(service.service.registry.metricCount == 0)
        #expect(service.service.registry.totalRecorded == 0)
        let accepted = SampleJSON.batch((0..<100).map { ("m\($0)", 1, nil) })
        #expect(try client.postJSON(service.url("/samples"), accepted).status == 200)
        #expect(service.service.registry.metricCount == 100)
    }

    @Test("DELETE gives the reservation back, and a shrinking PUT makes room")
    func deleteAndResizeRelease() throws {
        let service = try Self.service()
        let client = service.client
        let empty = service.service.registry.memory.reserved
        #expect(try client.putJSON(service.url("/metrics/q1"), Self.big).status == 201)
        #expect(
            try Self.gauge("slowatch_memory_reserved_bytes", in: service) ?? 0 > Double(empty + 48_000_000))
        #expect(try client.delete(service.url("/metrics/q1")).status == 204)
        #expect(try Self.gauge("slowatch_memory_reserved_bytes", in: service) == Double(empty))

        #expect(try client.putJSON(service.url("/metrics/q1"), Self.big).status == 201)
        #expect(try client.putJSON(service.url("/metrics/q2"), Self.big).status == 422)
        #expect(try client.putJSON(service.url("/metrics/q1"), #"{"capacity":10}"#).status == 200)
        #expect(try client.putJSON(service.url("/metrics/q2"), Self.big).status == 201)
        // Growing q1 back does not fit beside q2: refused, and q1 keeps its capacity.
        #expect(try client.putJSON(service.url("/metrics/q1"), Self.big).status == 422)
        #expect(service.service.registry.definition(for: "q1")?.capacity == 10)
    }
}
