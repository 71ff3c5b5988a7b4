import TestCurlClient
import Testing

@testable import SLOWatchService

/// A JSON body labelled `text/plain` (as `fetch` labels a string body) or not labelled at all gets 415
/// saying it looks like JSON, instead of a StatsD parse error about a metric named `{"metric"`
/// (issue 19, item 3).
@Suite("JSON sent as text/plain to POST /samples")
struct JSONSentAsTextTests {
    /// The sentence every such answer carries.
    static let advice = "The body looks like JSON, but its Content-Type is"

    @Test(
        "a body whose first non-blank byte is { or [ is refused with 415 naming application/json",
        arguments: [
            ("text/plain;charset=UTF-8", #"{"metric":"checkout","value":12.5}"#),
            ("text/plain", " \r\n\t[{\"metric\":\"checkout\",\"value\":12.5}]"),
            ("Text/Plain; charset=utf-8", #"{"samples":[]}"#),
        ])
    func labelledText(contentType: String, body: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.post(
            service.url("/samples"), body: Array(body.utf8), headers: [("Content-Type", contentType)])
        expectAPIError(
            response, status: 415, code: "unsupported_media_type",
            message: "\(Self.advice) '\(contentType)': send Content-Type: application/json")
        #expect(service.service.registry.metricCount == 0)
    }

    @Test("a JSON body without a Content-Type gets the same advice, and says the header is missing")
    func unlabelled() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.post(
            service.url("/samples"), body: Array(#"{"metric":"checkout","value":1}"#.utf8))
        expectAPIError(
            response, status: 415, code: "unsupported_media_type",
            message: "\(Self.advice) missing: send Content-Type: application/json")
    }

    @Test("StatsD lines sent as text/plain are still recorded, and other bodies keep their old answers")
    func statsDStillWorks() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let text = try service.client.post(
            service.url("/samples"), body: Array("\ncheckout:12.5|ms\n".utf8),
            headers: [("Content-Type", "text/plain;charset=UTF-8")])
        #expect(text.status == 200, "\(text.bodyText)")
        #expect(text.bodyText == #"{"accepted":1}"#)
        let unlabelledText = try service.client.post(service.url("/samples"), body: Array("a:1|ms".utf8))
        expectAPIError(
            unlabelledText, status: 415, code: "unsupported_media_type",
            message: "The Content-Type is missing; this endpoint accepts application/json")
        let csv = try service.client.post(
            service.url("/samples"), body: Array("{}".utf8), headers: [("Content-Type", "text/csv")])
        expectAPIError(
            csv, status: 415, code: "unsupported_media_type",
            message: "The Content-Type is 'text/csv'; this endpoint accepts application/json")
    }

    @Test(
        "looksLikeJSON reads only the first non-blank byte",
        arguments: [
            ("{", true), ("  [1]", true), ("\r\n{", true), ("", false), ("   ", false), ("a:{|ms", false),
            ("\u{FEFF}{", false),
        ])
    func firstNonBlankByte(body: String, expected: Bool) {
        #expect(SampleRoutes.looksLikeJSON(Array(body.utf8)) == expected)
    }
}
