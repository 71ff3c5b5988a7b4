/// An ascending list of `Int64` values (slice indices, arena positions) held in 4 bytes each: every
/// value as its distance from a base (the first value when the list was last packed), as long as all
/// of them lie within 2^32 − 1 of it; else (a tier of ms slices spanning years, an arena over 4 GiB)
/// as plain 8-byte values. While the values are consecutive (`base`, `base + 1`, …: the slice indices
/// of a metric written in every slice) they take no storage at all. ``TierSlices`` keeps its slice
/// indices and arena positions in two of these: at most 8 bytes per slice instead of 16, 4 for a
/// busy metric.
///
/// **Invariant.** The values strictly ascend (callers append only values > the last; the O(n)
/// operations ``insert(_:at:)`` and ``add(_:from:)`` keep the order given ascending input): two equal
/// values with a gap after them would read as a consecutive run. Reading a
/// value is one add; appending is amortised O(1); removing from the front is O(n) like an array's.
package struct PackedAscendingList: RandomAccessCollection, Sendable {
    /// What the offsets count from.
    private var base: Int64 = 0
    /// The values minus `base`, while every one fits; empty when `isWide`.
    private var offsets: [UInt32] = []
    /// The values themselves, once one did not fit an offset.
    private var wide: [Int64] = []
    /// Whether the values are held in `wide`.
    private var isWide = false
    /// How many values there are while they are `base`, `base + 1`, … (nil: they are in `offsets` or
    /// `wide`).
    private var consecutive: Int? = 0

    /// An empty list.
    package init() {}

    package var startIndex: Int { 0 }
    package var endIndex: Int { consecutive ?? (isWide ? wide.count : offsets.count) }

    /// The value at `position` (0 ..< ``count``).
    @inline(__always)
    package subscript(position: Int) -> Int64 {
        if consecutive != nil { return base &+ Int64(position) }
        return isWide ? wide[position] : base &+ Int64(offsets[position])
    }

    /// The heap bytes the list holds: its array's header and capacity (``TierSlices/arrayBytes(_:of:)``).
    package var bytes: Int {
        isWide
            ? TierSlices.arrayBytes(wide.capacity, of: Int64.self)
            : TierSlices.arrayBytes(offsets.capacity, of: UInt32.self)
    }

    /// How many values the list has room for without growing (any number while consecutive).
    package var capacity: Int { consecutive ?? (isWide ? wide.capacity : offsets.capacity) }

    /// Appends `value`, which is greater than the last value.
    package mutating func append(_ value: Int64) {
        assert(isEmpty || value > self[count - 1], "PackedAscendingList: \(value) after \(self[count - 1])")
        if let run = consecutive {
            if run == 0 {
                base = value
                consecutive = 1
                return
            }
            if value == base &+ Int64(run), run < Int(UInt32.max) {
                consecutive = run + 1
                return
            }
            var values = Array(self)
            values.append(value)
            pack(values, capacity: values.count + values.count / 16 + 8)
        } else if isWide {
            wide.append(value)
        } else if offsets.isEmpty {
            base = value
            offsets.append(0)
        } else if let offset = Self.offset(value, from: base) {
            offsets.append(offset)
        } else {
            var values = Array(self)
            values.append(value)
            pack(values, capacity: Swift.max(capacity, values.count))
        }
    }

    /// Inserts `value` at `position`, where it keeps the list ascending (O(n)).
    package mutating func insert(_ value: Int64, at position: Int) {
        var values = Array(self)
        values.insert(value, at: position)
        pack(values, capacity: Swift.max(capacity, values.count))
    }

    /// Adds `delta` to every value from `position` on (O(n)); the caller keeps the list ascending.
    package mutating func add(_ delta: Int64, from position: Int) {
        guard delta != 0, position < count else { return }
        var values = Array(self)
        for changed in position..<values.count { values[changed] &+= delta }
        pack(values, capacity: capacity)
    }

    /// Removes the first `count` values (O(n)), keeping the capacity.
    package mutating func removeFirst(_ count: Int) {
        if let run = consecutive {
            base &+= Int64(count)
            consecutive = run - count
        } else if isWide {
            wide.removeFirst(count)
        } else {
            offsets.removeFirst(count)
        }
    }

    /// Removes the last `count` values, keeping the capacity.
    package mutating func removeLast(_ count: Int) {
        if let run = consecutive {
            consecutive = run - count
        } else if isWide {
            wide.removeLast(count)
        } else {
            offsets.removeLast(count)
        }
    }

    /// Removes every value and frees the storage.
    package mutating func removeAll() {
        self = PackedAscendingList()
    }

    /// Holds the same values in storage of exactly `capacity` (at least ``count``), packed against
    /// the first value again.
    package mutating func reallocate(capacity: Int) {
        pack(Array(self), capacity: Swift.max(capacity, count))
    }

    /// Holds `values` (ascending) with room for `capacity`: as a run when consecutive, as offsets
    /// from the first when all fit.
    private mutating func pack(_ values: [Int64], capacity: Int) {
        let first = values.first ?? 0
        let last = values.last ?? 0
        if let span = Self.offset(last, from: first), Int(span) == values.count - 1 {
            // Ascending without duplicates from `first` to `first + count − 1`: consecutive.
            (base, offsets, wide, isWide, consecutive) = (first, [], [], false, values.count)
        } else if Self.offset(last, from: first) != nil {
            var packed: [UInt32] = []
            packed.reserveCapacity(capacity)
            for value in values { packed.append(UInt32(truncatingIfNeeded: value &- first)) }
            (base, offsets, wide, isWide, consecutive) = (first, packed, [], false, nil)
        } else {
            var unpacked: [Int64] = []
            unpacked.reserveCapacity(capacity)
            unpacked.append(contentsOf: values)
            (base, offsets, wide, isWide, consecutive) = (0, [], unpacked, true, nil)
        }
    }

    /// `value − base` when it is in 0 … `UInt32.max`; nil otherwise (overflow included).
    private static func offset(_ value: Int64, from base: Int64) -> UInt32? {
        let (difference, overflow) = value.subtractingReportingOverflow(base)
        guard !overflow, difference >= 0, difference <= Int64(UInt32.max) else { return nil }
        return UInt32(truncatingIfNeeded: difference)
    }
}
