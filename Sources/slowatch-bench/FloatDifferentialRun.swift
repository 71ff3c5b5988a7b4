import SLOWatchService
import SeededRandom

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `slowatch-bench float-differential [COUNT]`: the long differential run of the exact decimal fast
/// path against `strtod_l` (issue 18), over COUNT (default 100,000,000) generated decimal strings,
/// the same seeded, structured generator as `DecimalFloatDifferentialTests` (every length of 1...20
/// significant digits, decimal exponents -360...320, five notations, boundary digit patterns) with a
/// different seed per pass. Prints one JSON line: the count, how many the fast path decided, the
/// mismatches (which must be 0) and the elapsed seconds; exits 1 on any mismatch.
enum FloatDifferentialRun {
    static func run(count: Int) -> Int32 {
        var buffer = [UInt8](repeating: 0, count: 64)
        var checked = 0
        var decided = 0
        var mismatches = 0
        let start = Bench.now()
        var pass: UInt64 = 0
        buffer.withUnsafeMutableBufferPointer { buffer in
            outer: while true {
                var random = SplitMix64(seed: 0xF10A_7000 &+ pass)
                pass += 1
                for length in 1...20 {
                    for exponent in -360...320 {
                        for form in 0..<75 {
                            guard checked < count else { break outer }
                            let written = DecimalTextWriter.write(
                                length: length, exponent: exponent, form: form, random: &random, into: buffer)
                            let text = UnsafeBufferPointer(rebasing: buffer[0..<written])
                            checked += 1
                            guard let fast = NumberConversionCheck.fastPath(text) else { continue }
                            decided += 1
                            let slow = NumberConversionCheck.slowPath(text)
                            if fast.bitPattern != slow.bitPattern {
                                mismatches += 1
                                if mismatches <= 10 {
                                    let shown = String(decoding: text, as: UTF8.self)
                                    printError(
                                        "mismatch: \(shown): fast \(fast.bitPattern), strtod \(slow.bitPattern)"
                                    )
                                }
                            }
                        }
                    }
                }
            }
        }
        let seconds = Double(Bench.now() - start) / 1e9
        print(
            "{\"benchmark\":\"float-differential\",\"strings\":\(checked),\"fastPathDecided\":\(decided),"
                + "\"mismatches\":\(mismatches),\"seconds\":\(seconds)}")
        return mismatches == 0 ? 0 : 1
    }
}
