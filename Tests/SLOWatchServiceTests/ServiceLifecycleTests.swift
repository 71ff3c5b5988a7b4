import TestCurlClient
import Testing

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
}
