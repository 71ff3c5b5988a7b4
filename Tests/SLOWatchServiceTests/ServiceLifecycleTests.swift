import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("Service lifecycle")
struct ServiceLifecycleTests {
    @Test("the service binds an ephemeral port and answers /healthz, then stops")
    func startsAndStops() throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient()
        let response = try client.get(service.url("/healthz"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
    }

    @Test("a second start fails with a sentence naming the port, and the first listener keeps serving")
    func secondStartFails() throws {
        let service = try TestService()
        defer { service.stop() }
        #expect {
            try service.service.start()
        } throws: { error in
            (error as? ServiceError)?.message.contains("already started (listening on port \(service.port))")
                == true
        }
        #expect(try CurlClient().get(service.url("/healthz")).status == 200)
        service.stop()
        #expect(service.service.port == nil)
    }

    @Test(
        "a shutdown grace that is NaN, infinite or negative is clamped instead of trapping",
        arguments: [Double.nan, .infinity, -.infinity, -5, 1e300])
    func graceIsClamped(grace: Double) throws {
        let service = try TestService { $0.shutdownGraceMilliseconds = grace }
        #expect(try CurlClient().get(service.url("/healthz")).status == 200)
        service.stop()
        #expect(service.service.port == nil)
    }

    @Test("whole milliseconds for a Duration: rounded, with 0 for NaN and negatives and a cap")
    func wholeMilliseconds() {
        #expect(SLOWatchService.wholeMilliseconds(1_500.4) == 1_500)
        #expect(SLOWatchService.wholeMilliseconds(.nan) == 0)
        #expect(SLOWatchService.wholeMilliseconds(-1) == 0)
        #expect(SLOWatchService.wholeMilliseconds(.infinity) == 1_000_000_000_000_000)
    }
}
