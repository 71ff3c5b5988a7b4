#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exact nearest-rank quantiles by selection (introselect), without sorting the whole sample.
package enum QuantileSelection {
    /// Below this many elements a range is finished with insertion sort.
    private static let insertionSortThreshold = 16

    /// The 1-based nearest rank of quantile `q` among `n` values: ⌈q·n⌉, at least 1.
    ///
    /// `q = 0` gives 1 (the minimum) and `q = 1` gives `n` (the maximum), as numpy's
    /// `quantile(method: "inverted_cdf")`. The product is lowered by `1e-9·n` before rounding up, so
    /// that decimal quantiles whose binary product lands a hair above an integer (0.07 × 100 =
    /// 7.000000000000001) still give the intended rank (7, not 8).
    /// - Parameters:
    ///   - q: the quantile, in [0, 1].
    ///   - n: the number of values, at least 1.
    package static func rank(of q: Double, count n: Int) -> Int {
        let size = Double(n)
        let raw = (q * size - 1e-9 * size).rounded(.up)
        guard raw >= 1 else { return 1 }
        return raw >= size ? n : Int(raw)
    }

    /// Rearranges `values` so that each index in `ranks` holds the value it would hold after sorting.
    ///
    /// Ranks are taken in ascending order on one copy: once rank r is in place, everything before it
    /// is ≤ and everything after it is ≥, so the next rank is looked for only after r. Each rank is
    /// found by Floyd–Rivest selection: the pivot is first selected within a small sample window
    /// around the target, so one partition pass discards most of the range, and p90…p99.9 after p50
    /// cost little. Partitioning is branch-free (the random comparisons of latency data would
    /// mispredict half the time), and a run of values equal to the pivot is set aside in one more
    /// pass, so duplicates cannot slow it down. Past a depth of 2·log2(n) a range is sorted instead
    /// (introselect), so the worst case stays O(n log n).
    /// - Parameters:
    ///   - values: the values; must not contain NaN.
    ///   - ranks: 0-based indices into `values`, sorted ascending, without duplicates.
    package static func select(_ values: UnsafeMutableBufferPointer<Double>, ranks: [Int]) {
        guard let base = values.baseAddress, values.count > 1 else { return }
        let depthLimit = 2 * (Int.bitWidth - values.count.leadingZeroBitCount)
        var low = 0
        for rank in ranks where rank >= low && rank < values.count {
            select(base, low, values.count - 1, rank, depthLimit)
            low = rank + 1
        }
    }

    /// Puts the `k`-th smallest of `values[left...right]` at index `k`, with smaller or equal values
    /// before it and greater or equal ones after it.
    private static func select(
        _ values: UnsafeMutablePointer<Double>, _ left: Int, _ right: Int, _ k: Int, _ depth: Int
    ) {
        var left = left
        var right = right
        var depth = depth
        while right > left {
            if right - left < insertionSortThreshold {
                insertionSort(values, left, right + 1)
                return
            }
            if depth == 0 {
                var range = UnsafeMutableBufferPointer(start: values + left, count: right - left + 1)
                range.sort()
                return
            }
            depth -= 1
            if right - left > 600 {
                // Floyd–Rivest: select k within a window of about n^(2/3) values around it first, so
                // that values[k] becomes a pivot whose rank in the whole range is close to k.
                let n = Double(right - left + 1)
                let i = Double(k - left + 1)
                let z = log(n)
                let s = 0.5 * exp(2 * z / 3)
                let sd = 0.5 * (z * s * (n - s) / n).squareRoot() * (i - n / 2 < 0 ? -1 : 1)
                let newLeft = max(left, Int(Double(k) - i * s / n + sd))
                let newRight = min(right, Int(Double(k) + (n - i) * s / n + sd))
                select(values, newLeft, newRight, k, depth)
            } else {
                medianOfThree(values, left, k, right)
            }
            values.swapAt(k, right)
            let pivot = values[right]
            let (less, equal) = partitionLess(values, left, right, pivot)
            // values[left..<less] < pivot ≤ values[less...right]
            values.swapAt(less, right)
            if k < less {
                right = less - 1
                continue
            }
            if k == less { return }
            left = less + 1
            if equal > 0 {
                // Set the values equal to the pivot aside; if k lands among them, it is the pivot.
                let end = partitionEqual(values, left, right, pivot)
                if k < end { return }
                left = end
            }
        }
    }

    /// Branch-free Lomuto pass over `values[left..<right]`: moves the values below `pivot` to the front.
    /// - Returns: where the values ≥ pivot start, and how many values in the range equal the pivot.
    @inline(__always)
    private static func partitionLess(
        _ values: UnsafeMutablePointer<Double>, _ left: Int, _ right: Int, _ pivot: Double
    ) -> (less: Int, equal: Int) {
        var store = left
        var equal = 0
        for index in left..<right {
            let value = values[index]
            values[index] = values[store]
            values[store] = value
            store &+= Int(unsafeBitCast(value < pivot, to: UInt8.self))
            equal &+= Int(unsafeBitCast(value == pivot, to: UInt8.self))
        }
        return (store, equal)
    }

    /// Branch-free pass over `values[left...right]` (all ≥ `pivot`): moves the values equal to it to
    /// the front.
    /// - Returns: the index after the last value equal to the pivot.
    @inline(__always)
    private static func partitionEqual(
        _ values: UnsafeMutablePointer<Double>, _ left: Int, _ right: Int, _ pivot: Double
    ) -> Int {
        var store = left
        for index in left...right {
            let value = values[index]
            values[index] = values[store]
            values[store] = value
            store &+= Int(unsafeBitCast(value <= pivot, to: UInt8.self))
        }
        return store
    }

    /// Orders three values so that the middle one, at `k`, is their median.
    @inline(__always)
    private static func medianOfThree(_ values: UnsafeMutablePointer<Double>, _ a: Int, _ k: Int, _ b: Int) {
        if values[k] < values[a] { values.swapAt(k, a) }
        if values[b] < values[a] { values.swapAt(b, a) }
        if values[b] < values[k] { values.swapAt(b, k) }
    }

    private static func insertionSort(_ values: UnsafeMutablePointer<Double>, _ low: Int, _ high: Int) {
        guard high - low > 1 else { return }
        for index in (low + 1)..<high {
            let value = values[index]
            var hole = index
            while hole > low && values[hole - 1] > value {
                values[hole] = values[hole - 1]
                hole -= 1
            }
            values[hole] = value
        }
    }
}

extension UnsafeMutablePointer where Pointee == Double {
    /// Swaps the values at two offsets.
    @inline(__always)
    fileprivate func swapAt(_ first: Int, _ second: Int) {
        let value = self[first]
        self[first] = self[second]
        self[second] = value
    }
}
