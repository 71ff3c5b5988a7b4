/// The time slicing shared by every metric's history and by the exact error-budget counters: tiers of
/// slices, finest first, each slice aligned to a whole multiple of its length since the Unix epoch
/// (UTC), so slices of different nodes and of different tiers line up and merge exactly.
///
/// Invariants, checked by ``init(_:)``: at least one tier; every length and retention is a whole number
/// of ms greater than 0; each tier's slice is a whole multiple of the previous tier's slice, and its
/// retention a whole multiple of its own slice and at least the previous tier's retention; the
/// coarsest retention is at most ``maximumRetentionMilliseconds``.
public struct HistoryTiers: Sendable, Equatable {
    /// One tier: slices of one length, kept for one span.
    public struct Tier: Sendable, Equatable {
        /// The length of one slice, in ms.
        public let sliceMilliseconds: Int64
        /// How far back from the newest slice the tier keeps slices, in ms.
        public let retentionMilliseconds: Int64

        /// Creates a tier; ``HistoryTiers/init(_:)`` checks it.
        public init(sliceMilliseconds: Int64, retentionMilliseconds: Int64) {
            self.sliceMilliseconds = sliceMilliseconds
            self.retentionMilliseconds = retentionMilliseconds
        }

        /// How many slices the tier keeps.
        public var sliceCount: Int { Int(retentionMilliseconds / sliceMilliseconds) }

        /// The index of the slice holding `timeMilliseconds` (ms since the epoch): ⌊t / slice⌋. Slice `i`
        /// covers [i·slice, (i+1)·slice). The caller passes a finite time.
        @inline(__always)
        public func sliceIndex(containing timeMilliseconds: Double) -> Int64 {
            Int64((timeMilliseconds / Double(sliceMilliseconds)).rounded(.down))
        }

        /// The start of slice `index`, in ms since the epoch.
        @inline(__always)
        public func sliceStart(_ index: Int64) -> Int64 { index &* sliceMilliseconds }
    }

    /// The longest retention a tier may have: 400 days, in ms.
    public static let maximumRetentionMilliseconds: Int64 = 400 * 86_400_000

    /// The default tiers: 10-second slices for 6 hours, 1-minute slices for 48 hours, 1-hour slices for
    /// 35 days (which covers a 30-day SLO period).
    public static let `default` = HistoryTiers(
        checked: [
            Tier(sliceMilliseconds: 10_000, retentionMilliseconds: 6 * 3_600_000),
            Tier(sliceMilliseconds: 60_000, retentionMilliseconds: 48 * 3_600_000),
            Tier(sliceMilliseconds: 3_600_000, retentionMilliseconds: 35 * 86_400_000),
        ])

    /// The tiers, finest first.
    public let tiers: [Tier]

    /// Checks and creates tiers.
    /// - Throws: ``HistoryTiersError`` naming the first tier that breaks a rule of the type's invariant.
    public init(_ tiers: [Tier]) throws(HistoryTiersError) {
        guard !tiers.isEmpty else { throw .noTiers }
        var previous: Tier?
        for (position, tier) in tiers.enumerated() {
            guard tier.sliceMilliseconds > 0, tier.retentionMilliseconds > 0 else {
                throw .notPositive(tier: position)
            }
            guard tier.retentionMilliseconds % tier.sliceMilliseconds == 0 else {
                throw .retentionNotWholeSlices(tier: position)
            }
            if let previous {
                guard tier.sliceMilliseconds % previous.sliceMilliseconds == 0 else {
                    throw .sliceNotMultipleOfFiner(tier: position)
                }
                guard tier.retentionMilliseconds >= previous.retentionMilliseconds else {
                    throw .retentionShorterThanFiner(tier: position)
                }
            }
            previous = tier
        }
        guard tiers[tiers.count - 1].retentionMilliseconds <= Self.maximumRetentionMilliseconds else {
            throw .retentionTooLong(tier: tiers.count - 1)
        }
        self.tiers = tiers
    }

    private init(checked tiers: [Tier]) { self.tiers = tiers }

    /// The finest tier.
    public var finest: Tier { tiers[0] }

    /// The coarsest tier's retention: how far back history reaches, in ms.
    public var retentionMilliseconds: Int64 { tiers[tiers.count - 1].retentionMilliseconds }

    /// The position of the finest tier that still keeps a slice starting at `startMilliseconds`, when the
    /// newest slice holds `nowMilliseconds`; nil when even the coarsest has dropped it.
    public func finestTier(keeping startMilliseconds: Double, now nowMilliseconds: Double) -> Int? {
        tiers.firstIndex { tier in
            let newest = tier.sliceIndex(containing: nowMilliseconds)
            return tier.sliceIndex(containing: startMilliseconds) > newest - Int64(tier.sliceCount)
        }
    }
}

/// Why a list of history tiers was refused; each case names the tier's position, finest first, from 0.
public enum HistoryTiersError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No tier was given.
    case noTiers
    /// A slice length or retention is 0 or negative.
    case notPositive(tier: Int)
    /// A retention is not a whole number of the tier's slices.
    case retentionNotWholeSlices(tier: Int)
    /// A slice is not a whole multiple of the finer tier's slice.
    case sliceNotMultipleOfFiner(tier: Int)
    /// A retention is shorter than the finer tier's.
    case retentionShorterThanFiner(tier: Int)
    /// The coarsest retention is longer than ``HistoryTiers/maximumRetentionMilliseconds``.
    case retentionTooLong(tier: Int)

    /// The rule that was broken, for an error message.
    public var description: String {
        switch self {
        case .noTiers: "at least one history tier is needed"
        case .notPositive(let tier):
            "history tier \(tier): the slice and the retention must be greater than 0"
        case .retentionNotWholeSlices(let tier):
            "history tier \(tier): the retention must be a whole number of slices"
        case .sliceNotMultipleOfFiner(let tier):
            "history tier \(tier): the slice must be a whole multiple of the finer tier's slice"
        case .retentionShorterThanFiner(let tier):
            "history tier \(tier): the retention must be at least the finer tier's"
        case .retentionTooLong(let tier): "history tier \(tier): the retention may be at most 400 days"
        }
    }
}
