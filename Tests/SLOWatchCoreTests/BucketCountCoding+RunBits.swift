@testable import SLOWatchCore

extension BucketCountCoding {
    /// The bits `block` takes in run mode with run parameter `parameter` (the parameter's 2 bits
    /// apart), one parameter at a time: the reference ``bestRunParameter(_:)`` is held to.
    static func runBits(_ block: ArraySlice<UInt64>, parameter: Int) -> Int {
        var bits = 0
        var run: UInt64 = 0
        for value in block {
            if value == 0 {
                run += 1
                continue
            }
            bits += RiceCoding.bits(run, k: parameter) + RiceCoding.bits(value - 1, k: 0)
            run = 0
        }
        if run > 0 { bits += RiceCoding.bits(run, k: parameter) }
        return bits
    }
}
