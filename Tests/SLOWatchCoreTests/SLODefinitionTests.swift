import Testing

@testable import SLOWatchCore

@Suite struct SLODefinitionTests {
    @Test(arguments: [
        ("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99), ("p99.9", 0.999), ("p100", 1.0),
        ("p0.1", 0.001), ("p7", 0.07), ("p99.0", 0.99), ("p100.0", 1.0),
    ])
    func percentileTextMapsToItsQuantileAndKeepsTheText(text: String, quantile: Double) throws {
        let percentile = try Percentile(parsing: text)
        #expect(percentile.quantile == quantile)
        #expect(percentile.text == text)
    }

    @Test(arguments: [
        "p0", "p0.0", "p99.99", "p150", "p100.1", "p1000", "95", "P95", "p", "p.5", "p95.", "p9a", "p-5",
        " p95", "",
    ])
    func percentileOutsideTheRuleIsRejected(text: String) {
        #expect(throws: SLOError.invalidPercentile(text)) { try Percentile(parsing: text) }
    }

    @Test func theNamedPercentilesMatchTheirParsedForms() throws {
        for named in [Percentile.p50, .p90, .p95, .p99, .p999] {
            #expect(try Percentile(parsing: named.text) == named)
        }
    }

    @Test func aValidDefinitionKeepsEveryField() throws {
        let slo = try SLODefinition(
            id: "render:p99.9", metric: "input-to-render", percentile: "p99.9", threshold: 150, unit: "ms",
            direction: .above, window: .seconds(60), minSamples: 20)
        #expect(slo.id == "render:p99.9")
        #expect(slo.metric == "input-to-render")
        #expect(slo.percentile.text == "p99.9")
        #expect(slo.quantile == 0.999)
        #expect(slo.threshold == 150)
        #expect(slo.unit == "ms")
        #expect(slo.direction == .above)
        #expect(slo.window == .seconds(60))
        #expect(slo.windowMilliseconds == 60_000)
        #expect(slo.description == "render:p99.9: input-to-render p99.9 above 150.0 ms over 60000.0 ms")
        #expect(slo.minSamples == 20)
        let plain = try SLODefinition(id: "a", metric: "m", percentile: .p50, threshold: 1)
        #expect(
            plain.minSamples == 1 && plain.window == nil && plain.direction == .above && plain.unit == "ms")
        #expect(plain.severity == "warning")
    }

    @Test func aSeverityIsKeptAndAnInvalidOneIsItsOwnError() throws {
        let slo = try SLODefinition(
            id: "a", metric: "m", percentile: "p50", threshold: 1, severity: "critical")
        #expect(slo.severity == "critical")
        // A changed severity is a changed SLO: the monitor resolves the old alert, whose labels differ.
        #expect(slo != (try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: 1)))
        #expect(throws: SLOError.invalidSeverity(slo: "a", severity: "Critical")) {
            try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: 1, severity: "Critical")
        }
        #expect(SLOError.invalidSeverity(slo: "a", severity: "x y").message.contains("\"x y\""))
    }

    @Test func eachBrokenFieldIsItsOwnTypedErrorWithASentence() {
        let longID = String(repeating: "a", count: 129)
        #expect(throws: SLOError.invalidID("-x")) {
            try SLODefinition(id: "-x", metric: "m", percentile: "p50", threshold: 1)
        }
        #expect(throws: SLOError.invalidID(longID)) {
            try SLODefinition(id: longID, metric: "m", percentile: "p50", threshold: 1)
        }
        #expect(throws: SLOError.invalidID("a b")) {
            try SLODefinition(id: "a b", metric: "m", percentile: .p50, threshold: 1)
        }
        #expect(throws: SLOError.invalidMetricName(slo: "a", metric: "m/x")) {
            try SLODefinition(id: "a", metric: "m/x", percentile: "p50", threshold: 1)
        }
        #expect(throws: SLOError.invalidPercentile("p0")) {
            try SLODefinition(id: "a", metric: "m", percentile: "p0", threshold: 1)
        }
        for threshold in [Double.nan, .infinity, -.infinity] {
            #expect(throws: SLOError.nonFiniteThreshold(slo: "a", threshold: threshold)) {
                try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: threshold)
            }
        }
        #expect(throws: SLOError.invalidMinSamples(slo: "a", minSamples: 0)) {
            try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: 1, minSamples: 0)
        }
        for window in [Duration.zero, .milliseconds(-5)] {
            #expect(throws: SLOError.invalidWindow(slo: "a", window: window)) {
                try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: 1, window: window)
            }
        }
        for milliseconds in [0, -5, Double.nan, .infinity] {
            #expect(throws: SLOError.invalidWindow(slo: "a", milliseconds: milliseconds)) {
                try SLODefinition(
                    id: "a", metric: "m", percentile: .p50, threshold: 1, unit: "ms", direction: .above,
                    windowMilliseconds: milliseconds, minSamples: 1, severity: "warning")
            }
        }
        // The message still writes the window in ms, as it did when the API took ms.
        #expect(
            SLOError.invalidWindow(slo: "a", window: .milliseconds(-5)).message
                == "The SLO \"a\" has the window -5.0 ms, which is not valid: a window must be a finite number "
                + "of milliseconds greater than 0.")
        #expect(throws: SLOError.invalidDirection("up")) { try SLODefinition.validateDirection("up") }
        #expect(SLOError.invalidMinSamples(slo: "a", minSamples: 0).message.contains("at least 1"))
        #expect(SLOError.invalidPercentile("p150").message.contains("\"p150\""))
    }

    @Test func aSetWithARepeatedIDIsRejected() throws {
        let first = try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: 1)
        let second = try SLODefinition(id: "b", metric: "m", percentile: "p95", threshold: 2)
        try SLODefinition.validateSet([first, second])
        #expect(throws: SLOError.duplicateID("a")) { try SLODefinition.validateSet([first, second, first]) }
    }

    @Test func aWindowInMillisecondsReadsBackAsADurationSaturatingPastItsRange() throws {
        func slo(windowMilliseconds: Double) throws -> SLODefinition {
            try SLODefinition(
                id: "a", metric: "m", percentile: .p50, threshold: 1, unit: "ms", direction: .above,
                windowMilliseconds: windowMilliseconds, minSamples: 1, severity: "warning")
        }
        #expect(try slo(windowMilliseconds: 300_000).window == .seconds(300))
        #expect(try slo(windowMilliseconds: 1.5).window == .microseconds(1_500))
        // The service's text can name windows no Duration holds; they are kept exactly in ms.
        let huge = try slo(windowMilliseconds: 1e308)
        #expect(huge.windowMilliseconds == 1e308)
        #expect(
            huge.window == Duration(secondsComponent: .max, attosecondsComponent: 999_999_999_999_999_999))
        // A Duration given is kept exactly, even where its ms value is rounded.
        let fine = Duration.nanoseconds(123_456_789)
        let given = try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: 1, window: fine)
        #expect(given.window == fine)
        #expect(given.windowMilliseconds == 123.456789)
    }
}

extension SLODefinition {
    fileprivate static func validateDirection(_ text: String) throws(SLOError) {
        _ = try SLODirection(parsing: text)
    }
}
