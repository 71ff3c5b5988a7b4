import SeededRandom

/// Generates `POST /samples` bodies from a seed: mostly the shapes clients send, with every variation
/// the API allows (member order, whitespace, optional and `null` timestamps, unknown members, escaped
/// names, numbers in every grammar form) and a share of rule breaks (bad names, wrong types, negative
/// timestamps, overflowing numbers, repeated members). Mutations come from ``JSONDocumentGenerator``.
struct SampleBodyGenerator {
    /// The generator's state; copy it back to continue the sequence.
    var random: SplitMix64

    /// Whether the body being generated keeps to the usual shapes (valid names without escapes, numbers,
    /// no extra members), as most real bodies do; otherwise any variation and rule break may appear.
    private(set) var usual = false

    /// Starts the sequence at `random`.
    init(random: SplitMix64) {
        self.random = random
    }

    /// A body: one sample object, or a batch of 0–24 samples.
    mutating func body() -> String {
        usual = chance(2)
        if chance(4) { return space() + sample() + space() }
        let count = Int(pick(25))
        let samples = (0..<count).map { _ in space() + sample() + space() }.joined(separator: ",")
        var members = ["\"samples\"" + space() + ":" + space() + "[" + samples + space() + "]"]
        if usual { return space() + "{" + space() + members[0] + space() + "}" + space() }
        if chance(20) { members.append(#""source":"edge-1""#) }
        if chance(40) { members = [#""samples":null"#] }
        if chance(40) { members = [#""samples":{"metric":"a","value":1}"#] }
        if chance(40) { members = [#""samples":[1,"x",null]"#] }
        if chance(10) { members.shuffle(using: &random) }
        return space() + "{" + space() + members.joined(separator: "," + space()) + space() + "}" + space()
    }

    /// One sample object with its members in random order.
    private mutating func sample() -> String {
        var members = [
            #""metric""# + colon() + metricName(),
            #""value""# + colon() + (chance(25) ? otherValue() : number()),
        ]
        if usual {
            members[1] = #""value""# + colon() + number()
            if chance(2) { members.append(#""timestamp""# + colon() + timestamp()) }
            members.shuffle(using: &random)
            return "{" + space() + members.joined(separator: space() + "," + space()) + space() + "}"
        }
        switch pick(10) {
        case 0..<5: members.append(#""timestamp""# + colon() + timestamp())
        case 5: members.append(#""timestamp""# + colon() + "null")
        case 6: members.append(#""timestamp""# + colon() + otherValue())
        default: break
        }
        if chance(15) { members.append(#""unit""# + colon() + #""ms""#) }
        if chance(30) { members.append(#""tags""# + colon() + #"{"host":"a","n":[1,2]}"#) }
        if chance(25) { members.append(#""value""# + colon() + number()) }
        if chance(40) { members.append(#""metric""# + colon() + metricName()) }
        if chance(40) { members.removeFirst() }
        if chance(40) { members.append(#""samples""# + colon() + "[]") }
        members.shuffle(using: &random)
        return "{" + space() + members.joined(separator: space() + "," + space()) + space() + "}"
    }

    /// A quoted metric name: usually valid, sometimes escaped, sometimes breaking the rule.
    private mutating func metricName() -> String {
        let usualNames = ["api.latency.00", "api.latency.19", "checkout.latency", "a", "db:query-time_ms"]
        if usual { return "\"" + usualNames[Int(pick(UInt64(usualNames.count)))] + "\"" }
        let valid = [
            "api.latency.00", "api.latency.19", "checkout.latency", "a", "Z9", "db:query-time_ms",
            String(repeating: "n", count: 128), "x.y.z.w.v.u.t.s.r.q.p.o.n.m.l.k",
        ]
        let invalid = [
            "", String(repeating: "n", count: 129), "has space", "-leading", "_leading", "naïve", "tab\\t",
            "slash/name", "emoji😀", "quote\\\"d",
        ]
        if chance(12) { return "\"" + invalid[Int(pick(UInt64(invalid.count)))] + "\"" }
        if chance(15) { return #""api\u002elatency.07""# }
        if chance(30) { return ["12", "null", "true", "[\"a\"]"][Int(pick(4))] }
        return "\"" + valid[Int(pick(UInt64(valid.count)))] + "\""
    }

    /// A value in any JSON number form, finite or not.
    private mutating func number() -> String {
        switch pick(12) {
        case 0: return ["0", "-0", "-0.0", "0e0", "1E+2", "5e-324", "2.2250738585072014e-308"][Int(pick(7))]
        case 1:
            return ["1.7976931348623157e308", "1e309", "-1e400", "123456789012345678901234567890"][
                Int(pick(4))]
        case 2: return String(pick(1_000_000_000_000_000_000))
        default:
            var generator = JSONDocumentGenerator(random: random)
            let text = generator.number()
            random = generator.random
            return text
        }
    }

    /// A timestamp: usually a whole ms since the epoch, sometimes fractional, negative or huge.
    private mutating func timestamp() -> String {
        switch pick(8) {
        case 0: return number()
        case 1: return "-" + String(1 + pick(1000))
        case 2: return String(1_732_860_000_000 + pick(1_000_000)) + "." + String(pick(1000))
        case 3: return String(9_007_199_254_740_000 + pick(10_000))
        default: return String(1_732_860_000_000 + pick(1_000_000_000))
        }
    }

    /// A value of another type.
    private mutating func otherValue() -> String {
        [#""12.5""#, "true", "false", "null", "[12.5]", #"{"v":1}"#][Int(pick(6))]
    }

    private mutating func colon() -> String { space() + ":" + space() }

    private mutating func space() -> String {
        chance(3) ? [" ", "\n", "\t", "\r\n", "  "][Int(pick(5))] : ""
    }

    /// True one time in `odds`.
    private mutating func chance(_ odds: UInt64) -> Bool { random.next() % odds == 0 }

    /// A number in `0..<bound`.
    private mutating func pick(_ bound: UInt64) -> UInt64 { random.next() % bound }
}
