import SLOWatchCore
import Testing

@testable import SLOWatchService

/// An error-budget SLO's exact counter is reserved in the memory budget: a `PUT /slos/{id}` whose
/// counter does not fit gets 422 `memory_limit_reached` and changes nothing.
@Suite("Budget counters in the memory budget, through the routes")
struct BudgetCounterMemoryRouteTests {
    static let occurrences = #"{"metric":"api.latency","percentile":"p99","threshold":250,"objective":99.9}"#
    static let timeslices =
        #"{"metric":"api.latency","percentile":"p99","threshold":250,"objective":99.9,"#
        + #""budgetingMethod":"Timeslices","slice":"5m"}"#

    /// Reserves all but `leftover` bytes of the budget with one metric of the right capacity (ring and
    /// scratch: 32 B a sample past the scratch's minimum, plus the per-metric overhead).
    static func fill(_ service: InProcessService, leaving leftover: Int) throws {
        let memory = service.service.registry.memory
        let free = memory.limit - memory.reserved
        let capacity = (free - leftover - 1_536) / 32
        let response = try service.client.putJSON(
            service.url("/metrics/filler"), #"{"capacity":\#(capacity)}"#)
        #expect(response.status == 201, "\(response.bodyText)")
        #expect(memory.limit - memory.reserved < leftover + 32)
    }

    @Test("a new budget SLO whose counter does not fit gets 422 naming the SLO; nothing is added")
    func newSLOPastTheBudget() throws {
        let service = try InProcessService { $0.memoryLimitBytes = 64 << 20 }
        try Self.fill(service, leaving: 20_000)
        let response = try service.client.putJSON(service.url("/slos/api"), Self.occurrences)
        #expect(
            response.status == 422 && response.errorCode == "memory_limit_reached", "\(response.bodyText)")
        #expect(response.errorMessage?.contains(#"The budget counter of SLO "api" needs "#) == true)
        #expect(response.errorMessage?.contains("--memory-limit") == true)
        #expect(try service.client.get(service.url("/slos/api")).status == 404)
        #expect(service.service.registry.memory.reservedByPurpose["budgetCounters"] == nil)
        // A plain percentile SLO needs no counter and fits.
        let plain = #"{"metric":"api.latency","percentile":"p99","threshold":250}"#
        #expect(try service.client.putJSON(service.url("/slos/plain"), plain).status == 201)
    }

    @Test("an edit whose larger counter does not fit gets 422; the SLO and its counter stay as they were")
    func editPastTheBudget() throws {
        let service = try InProcessService { $0.memoryLimitBytes = 64 << 20 }
        #expect(try service.client.putJSON(service.url("/slos/api"), Self.occurrences).status == 201)
        let memory = service.service.registry.memory
        let held = try #require(memory.reservedByPurpose["budgetCounters"])
        try Self.fill(service, leaving: 1_000)
        let response = try service.client.putJSON(service.url("/slos/api"), Self.timeslices)
        #expect(
            response.status == 422 && response.errorCode == "memory_limit_reached", "\(response.bodyText)")
        #expect(service.service.monitor.slos.first?.budget?.method == .occurrences)
        #expect(memory.reservedByPurpose["budgetCounters"] == held)
        // Giving memory back lets the same edit through.
        #expect(try service.client.delete(service.url("/metrics/filler")).status == 204)
        #expect(try service.client.putJSON(service.url("/slos/api"), Self.timeslices).status == 200)
        #expect(service.service.monitor.slos.first?.budget?.method == .timeslices)
        #expect((memory.reservedByPurpose["budgetCounters"] ?? 0) > held)
    }
}
