import Testing

@testable import LoadGeneratorKit

@Suite("ResponseParser and Scenario")
struct ResponseParserTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("204 ends at the blank line; 200 ends after Content-Length bytes, the name in any case")
    func framing() {
        let noContent = "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"
        #expect(
            ResponseParser.parse(bytes(noContent)) == .complete(status: 204, length: noContent.utf8.count))
        #expect(ResponseParser.parse(bytes("HTTP/1.1 204 No Content\r\nServer: x\r\n")) == .incomplete)
        let head = "HTTP/1.1 200 OK\r\ncontent-LENGTH: 5\r\n\r\n"
        #expect(ResponseParser.parse(bytes(head + "{\"a\"")) == .incomplete)
        #expect(
            ResponseParser.parse(bytes(head + "{\"a\"}"))
                == .complete(status: 200, length: head.utf8.count + 5))
        #expect(
            ResponseParser.parse(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
                == .complete(status: 404, length: 45))
    }

    @Test("chunked, garbled and oversized responses are invalid, with the reason")
    func invalid() {
        let chunked = ResponseParser.parse(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
        #expect(chunked == .invalid("response 200 has no Content-Length (chunked or close-delimited)"))
        #expect(
            ResponseParser.parse(bytes("SSH-2.0-OpenSSH_9.2\r\n\r\n"))
                == .invalid("status line does not start with HTTP/1.x"))
        #expect(
            ResponseParser.parse(bytes("HTTP/1.1 2x4 OK\r\n\r\n"))
                == .invalid("status code is not three digits"))
        let huge = [UInt8](repeating: 65, count: ResponseParser.headerLimit + 1)
        #expect(ResponseParser.parse(huge) == .invalid("response head over 16384 bytes"))
    }

    @Test("the scenarios frame the wrk scripts' requests, with a correct Content-Length")
    func scenarios() throws {
        let single = Scenario.postSingle.requests(host: "127.0.0.1:9")
        let batch = Scenario.postBatch.requests(host: "127.0.0.1:9")
        let get = Scenario.getPercentiles.requests(host: "127.0.0.1:9")
        #expect(single.count == 1_000 && batch.count == 200 && get.count == 20)
        #expect(
            String(decoding: get[0], as: UTF8.self)
                == "GET /metrics/api.latency.08/percentiles HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n")
        for request in [single[0], single[999], batch[0]] {
            let text = String(decoding: request, as: UTF8.self)
            let parts = text.split(separator: "\r\n\r\n", maxSplits: 1).map(String.init)
            #expect(parts.count == 2)
            #expect(
                text.hasPrefix(
                    "POST /samples HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Type: application/json\r\n"))
            #expect(parts[0].hasSuffix("Content-Length: \(parts[1].utf8.count)"))
        }
        let body = String(decoding: single[0], as: UTF8.self)
        #expect(body.contains("{\"metric\":\"api.latency.02\",\"value\":"))
        let batchBody = String(decoding: batch[0], as: UTF8.self)
        #expect(batchBody.split(separator: "\"timestamp\":").count == 101)
        #expect(Scenario.thousandths(12.3456) == "12.346" && Scenario.thousandths(0.0049) == "0.005")
    }

    @Test("bad arguments are refused with a sentence naming the argument and the rule")
    func options() throws {
        let options = try LoadOptions.parse([
            "--port", "9090", "--rate", "250", "--arrival", "poisson", "--json",
        ])
        #expect(options.port == 9_090 && options.rate == 250 && options.arrival == .poisson)
        #expect(throws: LoadError.self) { try LoadOptions.parse(["--rate", "0"]) }
        do {
            _ = try LoadOptions.parse(["--scenario", "put"])
            Issue.record("--scenario put was accepted")
        } catch {
            #expect(
                error.description
                    == "--scenario must be one of post-single, get-percentiles, post-batch, not put.")
        }
        do {
            _ = try LoadOptions.parse(["--connections", "0"])
            Issue.record("--connections 0 was accepted")
        } catch {
            #expect(error.description == "--connections must be an integer in 1...10000, not 0.")
        }
    }
}
