import Testing

@testable import SLOWatchService

/// The `if`/`then` rules of the SLO body in openapi.yaml against the service: an error-budget field
/// needs `objective`, and `slice` needs `budgetingMethod: Timeslices`. A body the schema refuses for
/// either rule is refused by the service with 400, and one it allows is accepted.
@Suite("OpenAPI conditional rules of error-budget SLO bodies")
struct OpenAPIBudgetFieldTests {
    static let base = #""metric":"api.latency","percentile":"p99","threshold":250"#

    /// (extra fields, whether the schema and the service accept them).
    static let cases: [(String, Bool)] = [
        (#""objective":99.9"#, true),
        (#""objective":99.9,"budgetingMethod":"Timeslices","slice":"5m""#, true),
        (#""objective":99.9,"slice":null"#, true),
        (#""objective":99.9,"slice":"5m""#, false),
        (#""objective":99.9,"budgetingMethod":"Occurrences","slice":"5m""#, false),
        (#""period":"7d""#, false),
        (#""budgetingMethod":"Timeslices""#, false),
        (#""alerts":[]"#, false),
        (#""objective":null,"period":null"#, true),
    ]

    @Test("each case is allowed by the schema exactly when the service accepts it")
    func schemaAndServiceAgree() throws {
        let spec = try OpenAPIDocument()
        let validator = spec.validator()
        let operation = try #require(spec.operation("put", "/slos/{id}"))
        let schema = try #require(
            operation.node["requestBody"]?["content"]?["application/json"]?["schema"])
        let service = try InProcessService()
        defer { service.stop() }
        for (fields, accepted) in Self.cases {
            let body = "{\(Self.base),\(fields)}"
            let failures = validator.failures(of: try SpecValue.json(Array(body.utf8)), against: schema)
            #expect(failures.isEmpty == accepted, "schema on \(body): \(failures)")
            let response = try service.client.putJSON(service.url("/slos/budget-case"), body)
            #expect((response.status < 300) == accepted, "service on \(body): \(response.bodyText)")
        }
    }
}
