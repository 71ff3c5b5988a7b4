import SLOWatchHTTP
import Testing

/// Method names are case-sensitive tokens: the ten known ones map to their cases, anything else is kept.
@Suite struct HTTPMethodTests {
    static let known: [HTTPMethod] = [
        .get, .head, .post, .put, .delete, .options, .patch, .trace, .connect, .query,
    ]

    @Test(arguments: known)
    func aKnownMethodRoundTripsThroughItsName(_ method: HTTPMethod) {
        #expect(HTTPMethod(rawValue: method.rawValue) == method)
        #expect(method.isKnown)
    }

    @Test(arguments: ["get", "Post", "FOO", "GETS", "", "M-SEARCH"])
    func anyOtherNameIsKeptAsSent(_ name: String) {
        let method = HTTPMethod(rawValue: name)
        #expect(method == .other(name))
        #expect(!method.isKnown)
        #expect(method.rawValue == name)
    }
}
