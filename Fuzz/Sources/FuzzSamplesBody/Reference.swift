import Foundation
import SLOWatchService

/// The samples of a body as Foundation reads it, under the API's rules, written independently of
/// slowatch (as in SampleDecoderDifferentialTests).
enum Reference {
    /// One sample.
    struct Sample {
        var metric: String
        var value: Double
        var timestamp: Double?
    }

    /// The samples of a parsed document: one sample object, or `{"samples":[…]}` of at most 10,000;
    /// nil when the API refuses it.
    static func samples(_ document: Any) -> [Sample]? {
        guard let object = document as? [String: Any] else { return nil }
        guard let samples = object["samples"] else { return sample(object).map { [$0] } }
        guard let elements = samples as? [Any], elements.count <= 10_000 else { return nil }
        var result: [Sample] = []
        for element in elements {
            guard let fields = element as? [String: Any], let sample = sample(fields) else { return nil }
            result.append(sample)
        }
        return result
    }

    private static func sample(_ fields: [String: Any]) -> Sample? {
        guard let metric = fields["metric"] as? String, isValidName(metric),
            let value = fields["value"].flatMap(number)
        else { return nil }
        guard let raw = fields["timestamp"], !(raw is NSNull) else {
            return Sample(metric: metric, value: value, timestamp: nil)
        }
        // slowatch refuses timestamps below 10^11 ms (before 1973-03-03: seconds sent as milliseconds,
        // or not a time at all; `SampleBatchDecoder.minimumTimestampMilliseconds`), -0 included.
        guard let timestamp = number(raw), timestamp >= 100_000_000_000 else { return nil }
        return Sample(metric: metric, value: value, timestamp: timestamp)
    }

    /// A finite JSON number: Foundation's Double, or for an `NSDecimalNumber` (whose `doubleValue` is not
    /// correctly rounded) the correctly rounded reading of its exact decimal text.
    private static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        let double = number is NSDecimalNumber ? Double(number.description) : number.doubleValue
        guard let double, double.isFinite else { return nil }
        return double
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        String(describing: type(of: number)) == "__NSCFBoolean"
    }

    /// `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let alphanumeric = { (byte: UInt8) in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard let first = bytes.first, bytes.count <= 128, alphanumeric(first) else { return false }
        return bytes.dropFirst().allSatisfy { alphanumeric($0) || Array("_.:-".utf8).contains($0) }
    }

    /// Whether slowatch's samples are Foundation's, numbers to the bit (but `-0 == 0`).
    static func agree(_ samples: [SamplesBody.Sample], _ reference: [Sample]) -> Bool {
        guard samples.count == reference.count else { return false }
        for (mine, theirs) in zip(samples, reference) {
            guard mine.metric == theirs.metric, sameBits(mine.value, theirs.value) else { return false }
            guard (mine.timestamp == nil) == (theirs.timestamp == nil) else { return false }
            guard sameBits(mine.timestamp ?? 0, theirs.timestamp ?? 0) else { return false }
        }
        return true
    }

    private static func sameBits(_ mine: Double, _ theirs: Double) -> Bool {
        mine.bitPattern == theirs.bitPattern || (mine == 0 && theirs == 0)
    }
}
