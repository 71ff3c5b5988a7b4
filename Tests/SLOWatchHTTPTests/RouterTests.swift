import Testing

@testable import SLOWatchHTTP

@Suite struct RouterTests {
    private func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.get, "/metrics/:name/percentiles") { _ in HTTPResponse(status: 200) }
        router.add(.post, "/samples") { _ in HTTPResponse(status: 204) }
        router.add(.delete, "/samples") { _ in HTTPResponse(status: 204) }
        router.add(.get, "/a/:x/:y") { _ in HTTPResponse(status: 200) }
        return router
    }

    private func parameters(_ match: HTTPRouter.Match) -> [String: String]? {
        guard case .found(_, let parameters) = match else { return nil }
        return parameters
    }

    @Test func parametersAreDecodedAfterMatchingOnRawSegments() {
        let router = router()
        #expect(
            parameters(router.match(method: .get, rawPath: "/metrics/api.latency/percentiles")) == [
                "name": "api.latency"
            ])
        #expect(
            parameters(router.match(method: .get, rawPath: "/metrics/a%2Eb/percentiles")) == ["name": "a.b"])
        #expect(
            parameters(router.match(method: .get, rawPath: "/metrics/a%2Fb/percentiles")) == ["name": "a/b"])
        #expect(parameters(router.match(method: .get, rawPath: "/a/1%202/%C3%A9")) == ["x": "1 2", "y": "é"])
        #expect(parameters(router.match(method: .get, rawPath: "/metrics/a/b/percentiles")) == nil)
        #expect(parameters(router.match(method: .get, rawPath: "/metrics//percentiles")) == nil)
    }

    @Test func literalSegmentsMatchTheirPercentEncodedForm() {
        #expect(parameters(router().match(method: .post, rawPath: "/sam%70les")) == [:])
    }

    @Test func unknownPathIsNotFoundAndTrailingSlashIsADifferentPath() {
        let router = router()
        guard case .notFound = router.match(method: .get, rawPath: "/nope") else {
            Issue.record("expected notFound")
            return
        }
        guard case .notFound = router.match(method: .post, rawPath: "/samples/") else {
            Issue.record("expected notFound for a trailing slash")
            return
        }
    }

    @Test func knownPathWithAnotherMethodListsTheServedMethodsSortedWithHead() {
        let router = router()
        guard case .methodNotAllowed(let allow) = router.match(method: .get, rawPath: "/samples") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(allow == "DELETE, POST")
        guard
            case .methodNotAllowed(let getAllow) = router.match(
                method: .post, rawPath: "/metrics/x/percentiles")
        else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(getAllow == "GET, HEAD")
    }

    @Test func headIsServedByTheGetRoute() {
        #expect(parameters(router().match(method: .head, rawPath: "/metrics/x/percentiles")) == ["name": "x"])
    }

    @Test func queryIsParsedInOrderWithPercentDecodingAndPlusAsSpace() {
        let request = HTTPRequest(method: .get, target: "/p?q=0.5&name=a+b%21&q=0.9&flag&bad=%zz&=v")
        #expect(request.path == "/p")
        #expect(
            request.query.map { "\($0.name)=\($0.value)" } == [
                "q=0.5", "name=a b!", "q=0.9", "flag=", "bad=%zz", "=v",
            ])
        #expect(request.queryValue("q") == "0.5")
        #expect(request.queryValue("missing") == nil)
    }

    @Test func invalidPercentEscapesAreRejectedByTheDecoder() {
        #expect(PercentDecoding.decode("/a%zz") == nil)
        #expect(PercentDecoding.decode("/a%2") == nil)
        #expect(PercentDecoding.decode("/a%") == nil)
        #expect(PercentDecoding.decode("/a%41%2f") == "/aA/")
    }
}
