import Testing

@testable import SLOWatchService

/// The StatsD line grammar, shared by the listener and `POST /samples` with `text/plain`.
@Suite("StatsD line parser")
struct StatsDLineParserTests {
    /// The line's name and values, or the fault it breaks (nil for a blank line).
    private func parse(_ text: String) -> Result<
        (name: String, values: [Double], type: StatsDMetricType)?, StatsDLineFault
    > {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            do throws(StatsDLineFault) {
                guard let line = try StatsDLineParser.parse(bytes) else { return .success(nil) }
                var values: [Double] = []
                line.forEachValue(in: bytes) { values.append($0) }
                #expect(values.count == line.valueCount)
                return .success((line.name(in: bytes), values, line.type))
            } catch {
                return .failure(error)
            }
        }
    }

    @Test(
        "timers, histograms, distributions and gauges become samples of their value",
        arguments: [
            ("checkout.latency:12.5|ms", "checkout.latency", 12.5, StatsDMetricType.timer),
            ("a:7|h", "a", 7, .histogram), ("a_b-c.d:0.25|d", "a_b-c.d", 0.25, .distribution),
            ("fps:60|g", "fps", 60, .gauge), ("a:1e3|ms", "a", 1_000, .timer), ("a:.5|ms", "a", 0.5, .timer),
            ("a:5.|ms", "a", 5, .timer), ("a:-3|ms", "a", -3, .timer), ("a:12.500000|ms", "a", 12.5, .timer),
            ("a:1|ms\r", "a", 1, .timer), ("a:2|ms|@0.1", "a", 2, .timer), ("a:2|ms|@1", "a", 2, .timer),
            ("a:2|d|#env:prod,region", "a", 2, .distribution), ("a:2|ms|#k:v|@0.5", "a", 2, .timer),
            ("a:2|ms|@0.5|#", "a", 2, .timer), ("a:3E-2|h", "a", 0.03, .histogram),
        ])
    func samples(line: String, name: String, value: Double, type: StatsDMetricType) throws {
        let parsed = try #require(try parse(line).get())
        #expect(parsed.name == name)
        #expect(parsed.values == [value])
        #expect(parsed.type == type)
    }

    @Test("DogStatsD's packed values name:1:2:3|d are one sample each, in order")
    func packedValues() throws {
        let parsed = try #require(try parse("req:1:2.5:3|d|@0.5").get())
        #expect(parsed.name == "req")
        #expect(parsed.values == [1, 2.5, 3])
        #expect(parse("req:1::3|d").failure == .invalidValue(""))
        #expect(parse("req:1:x|ms").failure == .invalidValue("x"))
    }

    @Test("an empty line, or one holding only \\r, is blank", arguments: ["", "\r"])
    func blank(line: String) throws {
        #expect(try parse(line).get() == nil)
    }

    @Test(
        "counters and sets are well formed but not samples",
        arguments: [
            ("hits:1|c", StatsDMetricType.counter), ("hits:1|c|@0.1", .counter), ("users:alice|s", .set),
        ])
    func notSamples(line: String, type: StatsDMetricType) {
        let fault = parse(line).failure
        #expect(fault == .notSample(type))
        #expect(fault?.isBad == false)
        #expect(fault?.reason.contains("not a latency sample") == true)
    }

    @Test(
        "each malformed line is bad, with the fault that names what broke",
        arguments: [
            ("no-colon", StatsDLineFault.missingColon), (":1|ms", .emptyName),
            ("has space:1|ms", .invalidName("has space")), ("_a:1|ms", .invalidName("_a")),
            ("a:1", .missingType), ("a:|ms", .invalidValue("")), ("a:abc|ms", .invalidValue("abc")),
            ("a:nan|ms", .invalidValue("nan")), ("a:inf|ms", .invalidValue("inf")),
            ("a:1e999|ms", .invalidValue("1e999")), ("a:0x10|ms", .invalidValue("0x10")),
            ("a: 1|ms", .invalidValue(" 1")), ("a:1e|ms", .invalidValue("1e")),
            ("a:.|ms", .invalidValue(".")),
            ("a:+3|g", .signedGauge("+3")), ("a:-3|g", .signedGauge("-3")), ("a:1|", .unknownType("")),
            ("a:1|MS", .unknownType("MS")), ("a:1|x", .unknownType("x")), ("a:1|ms|@0", .invalidRate("@0")),
            ("a:1|ms|@1.5", .invalidRate("@1.5")), ("a:1|ms|@x", .invalidRate("@x")),
            ("a:1|ms|@-0.5", .invalidRate("@-0.5")), ("a:1|ms|@0.5|@0.5", .unexpectedField("@0.5")),
            ("a:1|ms|#a|#b", .unexpectedField("#b")), ("a:1|ms|T1700000000", .unexpectedField("T1700000000")),
            ("a:1|ms|", .unexpectedField("")), ("a:1|ms:2|ms", .unknownType("ms:2")),
        ])
    func bad(line: String, fault: StatsDLineFault) {
        #expect(parse(line).failure == fault)
        #expect(fault.isBad)
    }

    @Test("a name longer than the metric name rule allows is bad, and the message states the rule")
    func longName() {
        let name = String(repeating: "n", count: 129)
        let fault = parse("\(name):1|ms").failure
        #expect(fault == .invalidName(name))
        #expect(fault?.reason.contains("must be 1 to 128 characters") == true)
    }

    @Test("each fault's reason names the offending text and the rule")
    func reasons() {
        #expect(StatsDLineFault.missingColon.reason.contains("no ':'"))
        #expect(
            StatsDLineFault.invalidValue("abc").reason == #"the value "abc" is not a finite decimal number"#)
        #expect(StatsDLineFault.signedGauge("+3").reason.contains("change to the previous gauge"))
        #expect(StatsDLineFault.unknownType("x").reason.contains("keeps ms, h, d and g"))
        #expect(StatsDLineFault.invalidRate("@2").reason.contains("greater than 0 and at most 1"))
        #expect(StatsDLineFault.unexpectedField("T1").reason.contains(#""T1""#))
        #expect(StatsDLineFault.tooLong(limit: 10).reason == "it is longer than 10 bytes")
        let long = String(repeating: "x", count: 500)
        #expect(StatsDLineFault.invalidValue(long).reason.count < 120, "a hostile value is cut")
    }
}

extension Result {
    /// The error, or nil on success.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
