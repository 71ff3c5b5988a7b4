import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("/slos")
struct SLOsTests {
    static let checkout =
        #"{"metric":"checkout.latency","percentile":"p95","threshold":60,"unit":"ms","direction":"above","#
        + #""window":"5m","minSamples":20}"#

    @Test("PUT creates with 201 and replaces with 200; GET answers the definition with its status")
    func crud() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let url = service.url("/slos/checkout-p95")
        let created = try client.putJSON(url, Self.checkout)
        #expect(created.status == 201)
        #expect(
            created.bodyText
                == #"{"id":"checkout-p95","metric":"checkout.latency","percentile":"p95","threshold":60,"unit":"ms","#
                + #""direction":"above","window":"5m","minSamples":20,"severity":"warning","#
                + #""status":{"state":"no_data","actual":null,"count":0,"checkedAt":null}}"#)
        let replaced = try client.putJSON(url, Self.checkout.replacingOccurrences(of: "60", with: "75.5"))
        #expect(replaced.status == 200)
        #expect(try replaced.json()["threshold"] as? Double == 75.5)
        let shown = try client.get(url)
        #expect(shown.status == 200)
        #expect(shown.bodyText == replaced.bodyText)
        #expect(service.service.monitor.slos.map(\.threshold) == [75.5])

        let deleted = try client.delete(url)
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        #expect(service.service.monitor.slos.isEmpty)
        expectAPIError(try client.get(url), status: 404, code: "slo_not_found", message: "'checkout-p95'")
        expectAPIError(try client.delete(url), status: 404, code: "slo_not_found", message: "'checkout-p95'")
    }

    @Test("optional fields take their defaults: unit ms, direction above, no window, minSamples 1")
    func defaults() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.putJSON(
            service.url("/slos/fps"),
            #"{"metric":"render.fps","percentile":"p99.9","threshold":30,"window":null}"#)
        #expect(response.status == 201)
        #expect(
            response.bodyText.hasPrefix(
                #"{"id":"fps","metric":"render.fps","percentile":"p99.9","threshold":30,"unit":"ms","#
                    + #""direction":"above","window":null,"minSamples":1,"#))
    }

    @Test(
        "windows are written back as durations",
        arguments: [("1500ms", "1500ms"), ("90s", "90s"), ("60m", "1h"), ("2.5s", "2500ms")])
    func windows(given: String, written: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let body = #"{"metric":"m","percentile":"p50","threshold":1,"window":"\#(given)"}"#
        let response = try service.client.putJSON(service.url("/slos/w"), body)
        #expect(response.status == 201)
        #expect(try response.json()["window"] as? String == written)
    }

    @Test("GET /slos lists every SLO in check order with the status of the last check")
    func listWithStatus() throws {
        let clock = ManualClock(startMilliseconds: 1_764_393_600_000)
        let service = try InProcessService(wallClock: clock)
        defer { service.stop() }
        let client = service.client
        let slos = [
            ("hot", #"{"metric":"lat","percentile":"p50","threshold":10}"#),
            ("cool", #"{"metric":"lat","percentile":"p50","threshold":1000,"minSamples":2}"#),
            ("scarce", #"{"metric":"lat","percentile":"p50","threshold":10,"minSamples":50}"#),
            ("absent", #"{"metric":"missing","percentile":"p50","threshold":10}"#),
        ]
        for (id, body) in slos { #expect(try client.putJSON(service.url("/slos/\(id)"), body).status == 201) }
        let samples = SampleJSON.batch([("lat", 100, nil), ("lat", 300, nil), ("lat", 200, nil)])
        #expect(try client.postJSON(service.url("/samples"), samples).status == 200)
        clock.advance(by: .milliseconds(2_500))
        service.service.monitor.checkAll()

        let list = try client.get(service.url("/slos"))
        #expect(list.status == 200)
        let items = try list.json()["slos"] as? [[String: Any]] ?? []
        #expect(items.compactMap { $0["id"] as? String } == ["hot", "cool", "scarce", "absent"])
        let statuses = items.map { $0["status"] as? [String: Any] ?? [:] }
        #expect(statuses.compactMap { $0["state"] as? String } == ["violating", "ok", "no_data", "no_data"])
        #expect(statuses.map { $0["actual"] as? Double } == [200, 200, nil, nil])
        #expect(statuses.compactMap { $0["count"] as? Int } == [3, 3, 3, 0])
        #expect(statuses.map { $0["checkedAt"] as? Double } == Array(repeating: 1_764_393_602_500, count: 4))
        let one = try client.get(service.url("/slos/hot")).json()["status"] as? [String: Any]
        #expect(one?["state"] as? String == "violating")
    }

    @Test("an unchanged PUT keeps the SLO's state; a changed one starts over with no data")
    func putKeepsOrResetsState() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let body = #"{"metric":"lat","percentile":"p50","threshold":10}"#
        #expect(try client.putJSON(service.url("/slos/s"), body).status == 201)
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"lat","value":50}"#).status == 200)
        service.service.monitor.checkAll()
        let same = try client.putJSON(service.url("/slos/s"), body)
        #expect(same.status == 200)
        #expect((try same.json()["status"] as? [String: Any])?["state"] as? String == "violating")
        let changed = try client.putJSON(
            service.url("/slos/s"), body.replacingOccurrences(of: "10", with: "20"))
        #expect(changed.status == 200)
        #expect((try changed.json()["status"] as? [String: Any])?["state"] as? String == "no_data")
    }

    @Test("a GET answer sent back as a PUT body replaces the SLO with the same definition")
    func roundTrip() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        #expect(try client.putJSON(service.url("/slos/rt"), Self.checkout).status == 201)
        let before = service.service.monitor.slos
        let shown = try client.get(service.url("/slos/rt"))
        let again = try client.putJSON(service.url("/slos/rt"), shown.bodyText)
        #expect(again.status == 200)
        #expect(service.service.monitor.slos == before)
    }

    @Test(
        "an invalid definition is a 400 that names the field and the rule, and changes nothing",
        arguments: [
            (
                "s", #"{"metric":"m","percentile":"p101","threshold":1}"#,
                #"The percentile "p101" is not valid"#
            ),
            ("s", #"{"metric":"m","percentile":"95","threshold":1}"#, #"The percentile "95" is not valid"#),
            (
                "s", #"{"metric":"m","percentile":95,"threshold":1}"#,
                "percentile: must be a string, got number."
            ),
            ("s", #"{"metric":"m","threshold":1}"#, "percentile: is required and must be a string."),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":"Infinity"}"#,
                "threshold: must be a finite number, got string."
            ),
            (
                "s", #"{"metric":"m","percentile":"p95"}"#,
                "threshold: is required and must be a finite number."
            ),
            ("s", #"{"metric":"m","percentile":"p95","threshold":null}"#, "threshold: is required"),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"direction":"sideways"}"#,
                #"The direction "sideways" is not valid: it must be "above" or "below"."#
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"direction":true}"#,
                "direction: must be a string, got boolean."
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"window":"5x"}"#,
                #"window: "5x" is not a duration: write a positive number followed by ms, s, m, h or d"#
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"window":"0s"}"#,
                #"window: "0s" is not a duration"#
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"window":300000}"#,
                "window: must be a string, got number."
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"minSamples":0}"#,
                #"The SLO "s" has minSamples 0, which is not valid: it must be at least 1."#
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"minSamples":2.5}"#,
                "minSamples: must be a whole number, got 2.5."
            ),
            (
                // 2^53 + 1 reads as 2^53, so no whole number from 2^53 on can be taken at its word.
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"minSamples":9007199254740993}"#,
                "minSamples: must be a whole number below 2^53"
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"minSamples":"20"}"#,
                "minSamples: must be a whole number, got string."
            ),
            (
                "s", #"{"metric":"m","percentile":"p95","threshold":1,"unit":7}"#,
                "unit: must be a string, got number."
            ),
            ("s", #"{"percentile":"p95","threshold":1}"#, "metric: is required and must be a string."),
            (
                "s", #"{"metric":42,"percentile":"p95","threshold":1}"#,
                "metric: must be a string, got number."
            ),
            (
                "s", #"{"metric":"no spaces","percentile":"p95","threshold":1}"#,
                #"The SLO "s" names the metric "no spaces", which is not valid"#
            ),
            (
                "s", #"{"id":"other","metric":"m","percentile":"p95","threshold":1}"#,
                #"id: the body names the SLO "other" but the path names "s""#
            ),
            (
                "s", #"{"id":5,"metric":"m","percentile":"p95","threshold":1}"#,
                "id: must be a string, got number."
            ),
            ("s", #"["m","p95",1]"#, "The body: must be an SLO definition object, got array."),
            (
                "bad%20id", #"{"metric":"m","percentile":"p95","threshold":1}"#,
                #"The SLO id "bad id" is not valid"#
            ),
            (
                "_under", #"{"metric":"m","percentile":"p95","threshold":1}"#,
                #"The SLO id "_under" is not valid"#
            ),
        ])
    func invalidDefinitions(id: String, body: String, message: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.putJSON(service.url("/slos/\(id)"), body)
        expectAPIError(response, status: 400, code: "invalid_request", message: message)
        #expect(service.service.monitor.slos.isEmpty)
    }

    @Test("a non-finite threshold written as a number is refused by the JSON parser with 400 invalid_json")
    func overflowingThreshold() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.putJSON(
            service.url("/slos/s"), #"{"metric":"m","percentile":"p95","threshold":1e999}"#)
        expectAPIError(response, status: 400, code: "invalid_json", message: "byte")
        #expect(service.service.monitor.slos.isEmpty)
    }

    @Test("PUT with another Content-Type is 415; unknown ids are 404; other methods are 405")
    func otherStatuses() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let plain = try client.request(
            method: "PUT", url: service.url("/slos/s"), body: Array(Self.checkout.utf8),
            headers: [("Content-Type", "text/yaml")])
        expectAPIError(plain, status: 415, code: "unsupported_media_type", message: "'text/yaml'")
        expectAPIError(
            try client.get(service.url("/slos/bad%20id")), status: 404, code: "slo_not_found",
            message: "'bad id'")
        for (method, path, allow) in [
            ("POST", "/slos", "GET, HEAD"), ("PUT", "/slos", "GET, HEAD"),
            ("POST", "/slos/s", "DELETE, GET, HEAD, PUT"),
            ("PATCH", "/slos/s", "DELETE, GET, HEAD, PUT"),
        ] {
            let response = try client.request(method: method, url: service.url(path), body: Array("{}".utf8))
            #expect(response.status == 405, "\(method) \(path)")
            #expect(response.errorCode == "method_not_allowed", "\(method) \(path)")
            #expect(response.header("Allow") == allow, "\(method) \(path)")
        }
    }

    @Test("SLOs loaded from the configuration are listed, replaced and deleted like PUT ones")
    func configuredSLOs() throws {
        let configured = try SLODefinition(
            id: "cfg", metric: "m", percentile: "p90", threshold: 5, window: .seconds(30))
        let service = try InProcessService { $0.slos = [configured] }
        defer { service.stop() }
        let client = service.client
        let shown = try client.get(service.url("/slos/cfg")).json()
        #expect(shown["window"] as? String == "30s")
        #expect(shown["percentile"] as? String == "p90")
        #expect(
            try client.putJSON(service.url("/slos/cfg"), #"{"metric":"m","percentile":"p99","threshold":5}"#)
                .status == 200)
        #expect(
            try client.putJSON(service.url("/slos/new"), #"{"metric":"m","percentile":"p99","threshold":5}"#)
                .status == 201)
        #expect(service.service.monitor.slos.map(\.id) == ["cfg", "new"])
        #expect(try client.delete(service.url("/slos/cfg")).status == 204)
        #expect(service.service.monitor.slos.map(\.id) == ["new"])
    }

    @Test(
        "beyond 10,000 SLOs a PUT of a new id is 422 slo_limit_reached and changes nothing; a replace still works"
    )
    func sloLimit() throws {
        var slos: [SLODefinition] = []
        for index in 0..<SLOWatchService.maximumSLOs {
            slos.append(try SLODefinition(id: "s\(index)", metric: "m", percentile: "p50", threshold: 1))
        }
        let full = slos
        let service = try InProcessService { $0.slos = full }
        defer { service.stop() }
        let client = service.client
        let body = #"{"metric":"m","percentile":"p50","threshold":2}"#
        let refused = try client.putJSON(service.url("/slos/one-more"), body)
        #expect(refused.status == 422)
        #expect(refused.bodyText.contains(#""code":"slo_limit_reached""#))
        #expect(refused.bodyText.contains("the limit of 10000 SLOs is reached"))
        #expect(try client.get(service.url("/slos/one-more")).status == 404)
        #expect(service.service.monitor.sloCount == SLOWatchService.maximumSLOs)
        #expect(try client.putJSON(service.url("/slos/s0"), body).status == 200)
    }
}
