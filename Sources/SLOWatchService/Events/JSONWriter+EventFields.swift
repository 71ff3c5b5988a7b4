import SLOWatchCore

extension JSONWriter: EventFieldWriter {
    /// Writes `"key":value`, the value as its JSON counterpart.
    mutating func field(_ key: String, _ value: EventValue) {
        self.key(key)
        switch value {
        case .string(let text): string(text)
        case .number(let number): self.number(number)
        case .integer(let integer): self.integer(integer)
        case .bool(let flag): bool(flag)
        case .null: null()
        }
    }
}
