extension RandomAccessCollection where Index == Int {
    /// The index of the first element for which `isAfter` holds, or `endIndex` when none does: a binary
    /// search, in O(log n) calls of `isAfter`.
    /// - Parameter isAfter: false for every element before some index and true from it on (the
    ///   collection is partitioned by it, as a sorted collection is by `{ $0 >= key }`).
    package func partitionPoint(where isAfter: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if isAfter(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
