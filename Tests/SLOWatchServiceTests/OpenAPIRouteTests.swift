import TestCurlClient
import Testing

/// The spec against the router: the same routes on both sides, every documented operation served, and
/// every other standard method answered 405 with the `Allow` the spec implies.
@Suite("OpenAPI spec versus the router")
struct OpenAPIRouteTests {
    /// The standard methods a client may send to any path (CONNECT needs an authority-form target, so it
    /// is left out; HEAD is served wherever GET is).
    static let probedMethods = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "PATCH", "TRACE", "QUERY"]

    @Test("every route the server registers is in the spec, and every operation in the spec is registered")
    func routeTableMatchesSpec() throws {
        let spec = try OpenAPIDocument()
        let service = try InProcessService()
        defer { service.stop() }
        let routes = service.service.router.routeTable
        // The router answers HEAD wherever it serves GET, and the spec declares those HEAD operations.
        let registered = Set(routes.map { "\($0.method.rawValue) \($0.pattern)" })
            .union(routes.filter { $0.method == .get }.map { "HEAD \($0.pattern)" })
        let documented = Set(
            spec.operations.map { "\($0.method.uppercased()) \(OpenAPIDocument.routerPattern($0.path))" })
        #expect(
            registered.subtracting(documented).isEmpty,
            "routes missing from openapi.yaml: \(registered.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(registered).isEmpty,
            "operations in openapi.yaml that no route serves: \(documented.subtracting(registered).sorted())")
    }

    @Test("a request for every operation in the spec reaches a handler and gets a documented answer")
    func everyOperationIsServed() throws {
        let spec = try OpenAPIDocument()
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        for operation in spec.operations {
            let path = OpenAPIDocument.fill(operation.path, with: "openapi-probe")
            let body = operation.node["requestBody"] != nil ? Array("{}".utf8) : nil
            let headers = body == nil ? [] : [("Content-Type", "application/json")]
            let response = try client.request(
                method: operation.method.uppercased(), url: service.url(path), body: body, headers: headers)
            #expect(
                !(response.status == 404 && response.errorCode == "not_found"),
                "\(operation): no route serves \(path)")
            #expect(
                response.status != 405, "\(operation): the router refuses the method (\(response.bodyText))")
            #expect(response.status < 500, "\(operation): \(response.status) \(response.bodyText)")
            let failures = spec.failures(of: response, for: operation)
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test("every standard method a path does not document gets 405 with the Allow header the spec implies")
    func undocumentedMethodsAreRefused() throws {
        let spec = try OpenAPIDocument()
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        for (template, item) in spec.root["paths"]?.object ?? [:] {
            var allowed = Set(OpenAPIDocument.methods.filter { item[$0] != nil }.map { $0.uppercased() })
            if allowed.contains("GET") { allowed.insert("HEAD") }
            let allow = allowed.sorted().joined(separator: ", ")
            let path = OpenAPIDocument.fill(template, with: "openapi-probe")
            for method in Self.probedMethods where !allowed.contains(method) {
                // libcurl sends a POST without a body as a GET, so a POST gets an empty one.
                let response = try client.request(
                    method: method, url: service.url(path), body: method == "POST" ? [] : nil)
                #expect(response.status == 405, "\(method) \(path): \(response.status) \(response.bodyText)")
                #expect(response.header("Allow") == allow, "\(method) \(path): Allow is not \(allow)")
                #expect(response.errorCode == "method_not_allowed", "\(method) \(path): \(response.bodyText)")
                // The 405 the spec documents for the operations of this path describes this answer too.
                if let operation = spec.operations.first(where: { $0.path == template }) {
                    let failures = spec.failures(of: response, for: operation)
                    #expect(failures.isEmpty, "\(failures)")
                }
            }
        }
    }

    @Test("HEAD is answered wherever the spec documents GET, with the GET's status and no body")
    func headFollowsGet() throws {
        let spec = try OpenAPIDocument()
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        for operation in spec.operations where operation.method == "get" {
            let path = OpenAPIDocument.fill(operation.path, with: "openapi-probe")
            let get = try client.get(service.url(path))
            let head = try client.request(method: "HEAD", url: service.url(path))
            #expect(head.status == get.status, "HEAD \(path): \(head.status), GET: \(get.status)")
            #expect(head.body.isEmpty, "HEAD \(path) sent a body")
        }
    }
}
