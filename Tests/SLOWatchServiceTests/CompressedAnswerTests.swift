import Foundation
import SLOWatchHTTP
import TestCurlClient
import TestRawClient
import Testing

@testable import SLOWatchService

/// gzip-coded answers (`Accept-Encoding: gzip`) of the larger routes, in process and over a socket.
@Suite("gzip answers of /metrics, history, the JSON lists and /openapi.yaml")
struct CompressedAnswerTests {
    /// Defines `count` metrics named `m.0000`… so the lists are well above 1 KiB.
    static func defineMetrics(_ count: Int, post: (String, String) throws -> CurlResponse) throws {
        let samples = (0..<count).map { #"{"metric":"m.\#(String(format: "%04d", $0))","value":\#($0)}"# }
        #expect(try post("/samples", #"{"samples":[\#(samples.joined(separator: ","))]}"#).status == 200)
    }

    @Test("the JSON list, text exposition, protobuf and spec come gzip-coded and decode to the identity body")
    func codedAnswersDecode() throws {
        let service = try InProcessService()
        let client = service.client
        try Self.defineMetrics(50) { try client.postJSON(service.url($0), $1) }
        let gzip = ("Accept-Encoding", "gzip, deflate")

        for path in ["/metrics", "/openapi.yaml", "/slo/violations"] {
            let plain = try client.get(service.url(path))
            let coded = try client.get(service.url(path), headers: [gzip])
            #expect(plain.header("Content-Encoding") == nil, "\(path)")
            #expect(plain.values("Vary").joined(separator: ",").contains("Accept-Encoding"), "\(path)")
            if plain.body.count >= 1_024 {
                #expect(coded.header("Content-Encoding") == "gzip", "\(path)")
                #expect(coded.body.count < plain.body.count, "\(path)")
                #expect(try Gzip.inflate(coded.body, limit: 1 << 24) == plain.body, "\(path)")
            } else {
                #expect(coded.header("Content-Encoding") == nil, "\(path): under 1 KiB stays as it is")
                #expect(coded.body == plain.body, "\(path)")
            }
        }
        // The JSON list says Vary for both negotiations, in one field.
        let list = try client.get(service.url("/metrics"), headers: [gzip])
        #expect(list.values("Vary") == ["Accept, Accept-Encoding"])

        for accept in [PrometheusScrapeAccept.value, PrometheusScrapeAccept.nativeHistograms] {
            let coded = try client.get(service.url("/metrics"), headers: [("Accept", accept), gzip])
            #expect(coded.header("Content-Encoding") == "gzip", "\(accept)")
            let body = try Gzip.inflate(coded.body, limit: 1 << 24)
            #expect(body.count > coded.body.count)
            if accept == PrometheusScrapeAccept.value {
                #expect(String(decoding: body, as: UTF8.self).contains(#"metric="m.0049""#))
            }
        }
        // The counter of coded answers counts them: the spec, two JSON lists, a text and a protobuf scrape.
        let text = String(
            decoding: try client.get(service.url("/metrics"), headers: [("Accept", "text/plain")]).body,
            as: UTF8.self)
        #expect(text.contains("\nslowatch_http_gzip_responses_total 5\n"))
    }

    @Test("q=0, no Accept-Encoding, tiny bodies and errors stay uncoded")
    func uncodedAnswers() throws {
        let service = try InProcessService()
        let client = service.client
        try Self.defineMetrics(50) { try client.postJSON(service.url($0), $1) }
        for encoding in ["gzip;q=0", "identity", "br", "gzip;q=0, identity"] {
            let answer = try client.get(service.url("/metrics"), headers: [("Accept-Encoding", encoding)])
            #expect(answer.header("Content-Encoding") == nil, "\(encoding)")
            #expect(answer.bodyText.hasPrefix(#"{"metrics":["#), "\(encoding)")
        }
        let tiny = try client.get(service.url("/slos"), headers: [("Accept-Encoding", "gzip")])
        #expect(tiny.status == 200 && tiny.header("Content-Encoding") == nil)
        #expect(tiny.bodyText.hasPrefix("{"))
        let missing = try client.get(
            service.url("/metrics/nope/history?window=1h"), headers: [("Accept-Encoding", "gzip")])
        #expect(missing.status == 404 && missing.header("Content-Encoding") == nil)
    }

    @Test("over a socket: curl's gzip answer decodes, and HEAD sends the GET's headers and no body")
    func overASocket() throws {
        let service = try TestService()
        defer { service.stop() }
        let curl = try CurlClient(timeoutMilliseconds: 3_000)
        try Self.defineMetrics(50) { try curl.postJSON(service.url($0), $1) }
        let coded = try curl.get(service.url("/openapi.yaml"), headers: [("Accept-Encoding", "gzip")])
        #expect(coded.header("Content-Encoding") == "gzip")
        #expect(coded.header("Content-Length") == String(coded.body.count))
        let spec = try Gzip.inflate(coded.body, limit: 1 << 24)
        #expect(spec == Array(PackageResources.openapi_yaml))

        let raw = try RawClient(port: service.port)
        defer { raw.close() }
        try raw.send("HEAD /openapi.yaml HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
        let head = try raw.readResponse(isHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Encoding") == "gzip")
        #expect(head.header("Content-Length") == String(coded.body.count))
        #expect(head.body.isEmpty)
        try raw.send("HEAD /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
        let list = try raw.readResponse(isHead: true)
        #expect(list.header("Content-Encoding") == "gzip")
        #expect(list.header("Vary") == "Accept, Accept-Encoding")
        #expect(list.body.isEmpty)
        // The connection is still in step: a GET after the HEADs is answered in full.
        try raw.send("GET /slos HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try raw.readResponse().status == 200)
    }
}
