import Testing

@testable import SLOWatchService

/// The two rules that relate fields of an SLO body: an error-budget field needs `objective`, and `slice`
/// needs `budgetingMethod: Timeslices`. openapi.yaml states them in `SLOInput`'s description, not with
/// `if`/`then` (which client generators cannot turn into types), so its schema allows every case, and
/// the service refuses each body that breaks a rule with 400 naming the field.
@Suite("OpenAPI conditional rules of error-budget SLO bodies")
struct OpenAPIBudgetFieldTests {
    static let base = #""metric":"api.latency","percentile":"p99","threshold":250"#

    /// (extra fields, whether the service accepts them, the field its refusal names).
    static let cases: [(String, Bool, String?)] = [
        (#""objective":99.9"#, true, nil),
        (#""objective":99.9,"budgetingMethod":"Timeslices","slice":"5m""#, true, nil),
        (#""objective":99.9,"slice":null"#, true, nil),
        (#""objective":99.9,"slice":"5m""#, false, "slice"),
        (#""objective":99.9,"budgetingMethod":"Occurrences","slice":"5m""#, false, "slice"),
        (#""period":"7d""#, false, "objective"),
        (#""budgetingMethod":"Timeslices""#, false, "objective"),
        (#""alerts":[]"#, false, "objective"),
        (#""objective":null,"period":null"#, true, nil),
    ]

    @Test("the schema allows each case, the service refuses exactly those breaking a rule, naming the field")
    func schemaAllowsServiceRefuses() throws {
        let spec = try OpenAPIDocument()
        let validator = spec.validator()
        let operation = try #require(spec.operation("put", "/slos/{id}"))
        let schema = try #require(
            operation.node["requestBody"]?["content"]?["application/json"]?["schema"])
        let service = try InProcessService()
        defer { service.stop() }
        for (fields, accepted, named) in Self.cases {
            let body = "{\(Self.base),\(fields)}"
            let failures = validator.failures(of: try SpecValue.json(Array(body.utf8)), against: schema)
            #expect(failures.isEmpty, "schema on \(body): \(failures)")
            let response = try service.client.putJSON(service.url("/slos/budget-case"), body)
            #expect((response.status < 300) == accepted, "service on \(body): \(response.bodyText)")
            if let named {
                #expect(response.status == 400, "service on \(body): \(response.bodyText)")
                #expect(response.bodyText.contains(named), "service on \(body): \(response.bodyText)")
            }
        }
    }

    @Test("SLOInput's description states both rules")
    func descriptionStatesTheRules() throws {
        let spec = try OpenAPIDocument()
        let description = spec.root["components"]?["schemas"]?["SLOInput"]?["description"]?.string ?? ""
        #expect(description.contains("needs `objective`"), "\(description)")
        #expect(description.contains("`slice` needs `budgetingMethod: Timeslices`"), "\(description)")
    }
}
