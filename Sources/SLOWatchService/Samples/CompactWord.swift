/// A run of 8 to 16 bytes of a compact sample object, held as its first and last 8 bytes (overlapping
/// below 16) read as little-endian words, so that ``SampleBodyScanner`` compares it with two loads.
///
/// The words are written out as literals so that no comparison reads a lazily made global;
/// `SampleScannerNumberTests` checks each against its text.
struct CompactWord: Sendable {
    /// The bytes' count, 8 to 16.
    let count: Int
    /// The first 8 bytes as a little-endian word.
    let first: UInt64
    /// The last 8 bytes as a little-endian word.
    let last: UInt64

    /// `"metric":`: a sample object's first member name and its colon.
    static let metric = CompactWord(count: 9, first: 0x2263_6972_7465_6D22, last: 0x3A22_6369_7274_656D)
    /// `,"value":`: from the end of the name's string to the value.
    static let value = CompactWord(count: 9, first: 0x2265_756C_6176_222C, last: 0x3A22_6575_6C61_7622)
    /// `,"timestamp":`: from the end of the value to the timestamp.
    static let timestamp = CompactWord(count: 13, first: 0x7473_656D_6974_222C, last: 0x3A22_706D_6174_7365)
}
