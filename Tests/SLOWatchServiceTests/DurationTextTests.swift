import Testing

@testable import SLOWatchService

@Suite("Duration text")
struct DurationTextTests {
    @Test(
        "durations with a unit are read in ms",
        arguments: [
            ("1500ms", 1_500.0), ("30s", 30_000), ("5m", 300_000), ("1h", 3_600_000), ("2.5s", 2_500),
            ("1ms", 1), ("8760h", 31_536_000_000), ("0.5s", 500), ("0.5ms", 0.5),
            ("100000h", 360_000_000_000), ("7d", 604_800_000), ("30d", 2_592_000_000), ("1.5d", 129_600_000),
        ])
    func reads(text: String, milliseconds: Double) {
        #expect(DurationText.milliseconds(text) == milliseconds)
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", "5", "ms", "-5s", "+5s", "5 s", "5S", "5sec", ".5s", "5.s", "1e3ms", "0s", "0.0ms",
            "1\(String(repeating: "0", count: 400))h",
            "1.2.3s", "inf", "nans", "5D", "5days", "d", "-1d",
        ])
    func refuses(text: String) {
        #expect(DurationText.milliseconds(text) == nil)
    }

    @Test("every accepted duration is written back in a form that reads as the same value")
    func roundTrips() {
        let texts = [
            "1500ms", "30s", "5m", "1h", "2.5s", "1ms", "8760h", "90s", "1.5ms", "61m", "0.00001ms",
            "20349377984980025694.478520h", "89399001163.72605h", "0.3s", "1234567.891ms",
        ]
        for text in texts {
            guard let milliseconds = DurationText.milliseconds(text) else {
                Issue.record("\(text) was refused")
                continue
            }
            let written = DurationText.format(milliseconds: milliseconds)
            #expect(DurationText.milliseconds(written) == milliseconds, "\(text) → \(written)")
        }
        #expect(DurationText.format(milliseconds: 300_000) == "5m")
        #expect(DurationText.format(milliseconds: 86_400_000) == "24h")
        #expect(DurationText.format(milliseconds: 2_592_000_000, days: true) == "30d")
        #expect(DurationText.format(milliseconds: 129_600_000, days: true) == "36h")
        #expect(
            DurationText.milliseconds(DurationText.format(milliseconds: 2_592_000_000, days: true))
                == 2_592_000_000)
        #expect(DurationText.format(milliseconds: 90_000) == "90s")
        #expect(DurationText.format(milliseconds: 1.5) == "1.5ms")
        #expect(DurationText.format(milliseconds: 0.00001) == "0.00001ms")
        #expect(DurationText.plainDecimal(7.325776074592809e+22) == "73257760745928090000000")
        #expect(DurationText.plainDecimal(1e-7) == "0.0000001")
        #expect(DurationText.plainDecimal(1500) == "1500")
    }
}
