import Foundation
import SLOWatchHTTP
import SLOWatchProtobuf
import TestCurlClient
import Testing

@testable import SLOWatchService

/// `POST /v1/metrics` on the wire: encodings, compression, errors as the OTLP/HTTP spec gives them, the
/// token rule, and the journal.
@Suite("OTLP ingest: the OTLP/HTTP wire")
struct OTLPWireTests {
    typealias R = OTLPRequests

    @Test("an OTLP/JSON request (int64 as strings, enums as integers) is taken and answered in JSON")
    func jsonRequest() throws {
        let test = try InProcessService()
        let json = #"""
            {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
            "scopeMetrics":[{"scope":{"name":"manual"},"metrics":[
              {"name":"queue.depth","unit":"1","gauge":{"dataPoints":[{"asInt":"12","timeUnixNano":"0"},{"asDouble":3.5}]}},
              {"name":"requests","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[{"asInt":"1"}]}},
              {"name":"op.latency","exponentialHistogram":{"aggregationTemporality":1,"dataPoints":[
                {"count":"3","sum":30,"scale":2,"zeroCount":"0","positive":{"offset":13,"bucketCounts":["1","2"]},
                 "min":9,"max":11,"futureField":true}]}}]}]}]}
            """#
        let answer = try test.client.postJSON("/v1/metrics", json)
        #expect(answer.status == 200, "\(answer.bodyText)")
        #expect(answer.header("Content-Type") == "application/json")
        let partial = try #require(
            try answer.json()["partialSuccess"] as? [String: Any], "\(answer.bodyText)")
        #expect(partial["rejectedDataPoints"] as? String == "1")
        #expect((partial["errorMessage"] as? String)?.contains("\"requests\" is a Sum") == true)
        #expect(try test.client.get("/metrics/queue.depth/percentiles").json()["count"] as? Int == 2)
        #expect(try R.historyCount(test.client, "op.latency") == 3)
    }

    @Test("a gzip body is inflated; one inflating past the body limit is 413 with a google.rpc.Status")
    func gzipBodies() throws {
        let test = try InProcessService { $0.maxBodyBytes = 64 << 10 }
        let body = try R.bytes(R.request([R.gauge("zipped", [1, 2, 3, 4])]))
        let zipped = try #require(Gzip.deflate(body))
        let answer = try test.client.post(
            "/v1/metrics", body: zipped, headers: R.protobuf + [("Content-Encoding", "gzip")])
        #expect(answer.status == 200)
        #expect(try test.client.get("/metrics/zipped/percentiles").json()["count"] as? Int == 4)

        let bomb = try #require(Gzip.deflate([UInt8](repeating: 0, count: 1 << 20), level: 9))
        #expect(bomb.count < 64 << 10)
        let refused = try test.client.post(
            "/v1/metrics", body: bomb, headers: R.protobuf + [("Content-Encoding", "gzip")])
        #expect(refused.status == 413)
        let status = try Self.status(refused.body)
        #expect(status.code == 8 && status.message.contains("inflates to more than 65536 bytes"), "\(status)")

        let corrupt = try test.client.post(
            "/v1/metrics", body: Array(zipped.prefix(10)),
            headers: R.protobuf + [("Content-Encoding", "gzip")])
        #expect(corrupt.status == 400)
        let brotli = try test.client.post(
            "/v1/metrics", body: body, headers: R.protobuf + [("Content-Encoding", "br")])
        #expect(brotli.status == 415)
    }

    @Test("an undecodable body is 400 with a google.rpc.Status in the request's encoding; other types 415")
    func errors() throws {
        let test = try InProcessService()
        let garbage = try test.client.post(
            "/v1/metrics", body: [0x0A, 0xFF, 0xFF, 0x01], headers: R.protobuf)
        #expect(garbage.status == 400)
        #expect(garbage.header("Content-Type") == "application/x-protobuf")
        let status = try Self.status(garbage.body)
        #expect(status.code == 3 && status.message.contains("not a valid ExportMetricsServiceRequest"))

        let badJSON = try test.client.postJSON("/v1/metrics", #"{"resourceMetrics":[{"scopeMetrics":7}]}"#)
        #expect(badJSON.status == 400)
        #expect(try badJSON.json()["code"] as? Int == 3)
        #expect((try badJSON.json()["message"] as? String)?.contains("OTLP/JSON") == true)

        let text = try test.client.post(
            "/v1/metrics", body: Array("x".utf8), headers: [("Content-Type", "text/plain")])
        #expect(text.status == 415)
        #expect(text.bodyText.contains("application/x-protobuf or application/json"))
    }

    @Test("with a token, POST /v1/metrics needs it, as POST /samples does")
    func tokenRule() throws {
        let test = try InProcessService { $0.token = AccessToken("s3cret-token-value") }
        let body = try R.bytes(R.request([R.gauge("guarded", [1])]))
        #expect(try test.client.post("/v1/metrics", body: body, headers: R.protobuf).status == 401)
        let allowed = try test.client.post(
            "/v1/metrics", body: body, headers: R.protobuf + [("Authorization", "Bearer s3cret-token-value")])
        #expect(allowed.status == 200)
    }

    @Test("with a data directory, acknowledged gauge samples are journaled and survive kill -9")
    func journaledSamplesSurviveKill() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = try R.bytes(R.request([R.gauge("kept", [5, 6, 7])]))
        let node = try DurableNode(directory: directory)
        let answer = try CurlClient().post(
            "http://127.0.0.1:\(node.port)/v1/metrics", body: body, headers: R.protobuf)
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/x-protobuf")
        node.child.kill()
        let again = try DurableNode(directory: directory)
        defer { again.child.kill() }
        #expect(try again.json("/metrics/kept/percentiles")["count"] as? Int == 3)
    }

    /// The code and message of a binary `google.rpc.Status`.
    static func status(_ body: [UInt8]) throws -> (code: Int, message: String) {
        var code = 0
        var message = ""
        var position = 0
        func varint() -> Int {
            var value = 0
            var shift = 0
            while position < body.count {
                let byte = body[position]
                position += 1
                value |= Int(byte & 0x7F) << shift
                shift += 7
                if byte < 0x80 { break }
            }
            return value
        }
        while position < body.count {
            let tag = varint()
            if tag == 0x08 {
                code = varint()
            } else if tag == 0x12 {
                let length = varint()
                message = String(decoding: body[position..<min(body.count, position + length)], as: UTF8.self)
                position += length
            } else {
                throw CocoaError(.coderReadCorrupt)
            }
        }
        return (code, message)
    }
}
