import SLOWatchService
import TestCurlClient
import Testing

extension OpenAPIConformanceTests {
    /// A walk over a service with a token and `--protect-reads`: every operation that documents 401 gets
    /// it, without a token and with a wrong one, and the operations that document none stay open.
    /// - Returns: the walk, whose statuses count towards "every documented status was seen".
    func walkAccess(_ spec: OpenAPIDocument) throws -> Walk {
        let service = try TestService {
            $0.token = AccessToken("conformance-walk-token")
            $0.protectReads = true
        }
        defer { service.stop() }
        let walk = try Walk(spec: spec, service: service)
        for operation in spec.operations {
            let path = operation.path.replacingOccurrences(of: "{name}", with: "a")
                .replacingOccurrences(of: "{id}", with: "a")
            let method = operation.method.uppercased()
            let body = method == "PUT" || method == "POST" ? "{}" : nil
            let documents401 = operation.node["responses"]?.object?["401"] != nil
            let isOpen = operation.node["security"]?.array?.isEmpty == true
            #expect(documents401 != isOpen, "\(operation): 401 documented exactly where security is not []")
            guard documents401 else {
                let response = try walk.client.request(method: method, url: service.url(path))
                #expect(response.status != 401, "\(operation) is documented as open")
                continue
            }
            try walk.send(method, operation.path, path, json: body, expect: 401)
            try walk.send(
                method, operation.path, path, json: body, headers: [("Authorization", "Bearer wrong")],
                expect: 401)
        }
        return walk
    }
}
