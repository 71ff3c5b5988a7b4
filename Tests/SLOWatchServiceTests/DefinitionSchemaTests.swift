import SLOWatchCore
import Testing
import Yams

@testable import SLOWatchService

/// One schema per definition: a `PUT` body and a configuration file's list item go through the same
/// decoder, so they get the same defaults and the same messages (a file's with its path and line).
@Suite("Definition schemas")
struct DefinitionSchemaTests {
    /// The fields of the JSON object `text`.
    private func body(_ text: String) throws -> JSONFields {
        try JSONFields(JSONParser.parse(Array(text.utf8)), path: "")
    }

    /// The error `text` (a configuration file) is refused with.
    private func fileError(_ text: String) -> ConfigError? {
        do {
            _ = try ConfigFile.parse(text, path: "test.yaml")
            return nil
        } catch {
            return error
        }
    }

    /// The error `fields` (a body) is refused with as SLO `a`.
    private func bodyError(_ fields: JSONFields) -> APIError? {
        do {
            _ = try SLODefinitionBody.definition(fields, id: "a")
            return nil
        } catch {
            return error
        }
    }

    @Test("an SLO with only its required fields gets the same defaults from a body and from a file")
    func sloDefaults() throws {
        let fromBody = try SLODefinitionBody.definition(
            body(#"{"metric":"m","percentile":"p95","threshold":1}"#), id: "a")
        let file = try ConfigFile.parse(
            "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n", path: "test.yaml")
        #expect(file.slos?.first?.definition == fromBody)
        #expect(fromBody.unit == "ms" && fromBody.direction == .above && fromBody.window == nil)
        #expect(fromBody.minSamples == 1 && fromBody.severity == SLODefinition.defaultSeverity)
    }

    @Test("a bad SLO window has one message: a file's names the item's path and the field's line")
    func sloWindowMessage() throws {
        let api = try #require(
            bodyError(body(#"{"metric":"m","percentile":"p95","threshold":1,"window":"0s"}"#)))
        let file = try #require(
            fileError(
                "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n    window: 0s\n"))
        #expect(api.message.hasPrefix("window: \"0s\" is not a duration"))
        #expect(file.message == "slos[0]." + api.message)
        #expect(file.line == 6)
    }

    @Test("a metric gets the same defaults and type message from a body and from a file")
    func metric() throws {
        let fromBody = try MetricDefinitionBody.definition(body("{}"), name: "m", defaultCapacity: 7)
        let file = try ConfigFile.parse("metrics:\n  - name: m\n", path: "test.yaml")
        #expect(file.metrics.first?.definition(defaultCapacity: 7) == fromBody)
        #expect(file.metrics.first?.capacity == nil)
        let histogram = try body(#"{"type":"histogram"}"#)
        var api: APIError?
        do {
            _ = try MetricDefinitionBody.definition(histogram, name: "m", defaultCapacity: 7)
        } catch {
            api = error
        }
        let fileError = fileError("metrics:\n  - name: m\n    type: histogram\n")
        #expect(api != nil)
        #expect(fileError?.message == "metrics[0]." + (api?.message ?? ""))
        #expect(fileError?.line == 3)
    }
}

extension DefinitionSchemaTests {
    @Test("the SLO schema writes the fields it reads, so a written SLO reads back as the same SLO")
    func sloRoundTrip() throws {
        // An error-budget SLO with every budget field, so that every field is written.
        let tier = try BurnAlertTier(
            slo: "a", name: "fast", burnRate: 10, longWindowMilliseconds: 3_600_000,
            shortWindowMilliseconds: 300_000, severity: "page")
        let budget = try SLOBudget(
            slo: "a", objective: 99.5, method: .timeslices, periodMilliseconds: 604_800_000,
            sliceMilliseconds: 300_000, alerts: [tier])
        let slo = try SLODefinition(
            id: "a", metric: "m", percentile: "p99.9", threshold: 12.5, unit: "s",
            direction: .below, window: .seconds(300), minSamples: 3, severity: "critical", budget: budget)
        var json = JSONWriter()
        json.beginObject()
        slo.writeJSONMembers(to: &json)
        json.endObject()
        let value = try JSONParser.parse(json.bytes)
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == SLODefinitionBody.fieldNames)
        #expect(try SLODefinitionBody.definition(JSONFields(object), id: "a") == slo)
    }
}

extension DefinitionSchemaTests {
    @Test("a file's SLO is read into the API's JSON tree, with each value's line kept beside it")
    func configTreeLines() throws {
        let text = "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n    unit: 1\n"
        let root = try #require(try Yams.compose(yaml: text, .default, .default, .utf8))
        let tree = try ConfigTree(root, file: "test.yaml")
        #expect(tree.lines["slos[0]"] == 2, "\(tree.lines)")
        #expect(tree.lines["slos[0].metric"] == 3 && tree.lines["slos[0].unit"] == 6)
        guard case .object(let document) = tree.value, case .array(let slos)? = document["slos"],
            case .object(let slo)? = slos.first
        else {
            Issue.record("not the document's shape: \(tree.value)")
            return
        }
        #expect(slo["threshold"] == .number(1) && slo["percentile"] == .string("p95"))
        // A YAML number is a JSON number, so a number where the schema wants a string is refused as in a body.
        let error = fileError(text)
        #expect(error?.line == 6)
        #expect(error?.message == "slos[0].unit: must be a string, got number.")
    }

    @Test("top-level settings are read from the same tree: numbers as written, the token's value never")
    func settingsFromTree() throws {
        let text = "maxMetrics: 9007199254740993\ncheckInterval: 5\nlogLevel: [info]\n"
        let root = try #require(try Yams.compose(yaml: text, .default, .default, .utf8))
        let tree = try ConfigTree(root, file: "test.yaml")
        #expect(tree.written["maxMetrics"] == "9007199254740993" && tree.keyLines["logLevel"] == 3)
        // Digits beyond 2^53 are kept exactly, where the tree's Double would round them.
        let big = try ConfigFile.parse("maxMetrics: 9007199254740993\n", path: "test.yaml")
        #expect(big.settings[.maxMetrics]?.value == .integer(9_007_199_254_740_993))
        #expect(try ConfigFile.parse("port: 0x1F\n", path: "t.yaml").settings[.port]?.value == .integer(31))
        // A duration setting reads the number as the text it was written as, and names it so.
        #expect(
            fileError("checkInterval: 5\n")?.message.hasPrefix("The value \"5\" of checkInterval") == true)
        #expect(
            fileError("logLevel: [info]\n")?.description == "test.yaml:1: logLevel must be text, not a list.")
        #expect(fileError("port: 80.5\n")?.message == "port must be a whole number, not the number 80.5.")
        // A token is refused at its key's line, and its value (here one the tree could not read) is not quoted.
        let token = fileError("port: 1\ntoken: .inf\n")
        #expect(token?.line == 2 && token?.message.hasPrefix("The token may not be written") == true)
        #expect(token?.message.contains(".inf") == false)
    }

    @Test("null means the default in a file's SLO, as in a body")
    func nullIsDefault() throws {
        let file = try ConfigFile.parse(
            "slos:\n  - {id: a, metric: m, percentile: p95, threshold: 1, minSamples: null, unit: ~}\n",
            path: "test.yaml")
        #expect(file.slos?.first?.definition.minSamples == 1)
        #expect(file.slos?.first?.definition.unit == "ms")
    }
}

extension DefinitionSchemaTests {
    @Test("the metric schema writes the fields it reads, so a written metric reads back as the same metric")
    func metricRoundTrip() throws {
        let metric = MetricDefinition(
            name: "m", type: .gauge, unit: "fps", description: "frames", capacity: 9)
        var json = JSONWriter()
        json.beginObject()
        metric.writeJSONMembers(to: &json)
        json.endObject()
        guard case .object(let object) = try JSONParser.parse(json.bytes) else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == MetricDefinitionBody.fieldNames)
        #expect(
            try MetricDefinitionBody.definition(JSONFields(object), name: "m", defaultCapacity: 1) == metric)
    }
}
