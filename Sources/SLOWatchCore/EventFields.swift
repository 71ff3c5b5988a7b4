/// An ad-hoc event body: an ordered list of keyed values, for producers without a typed payload
/// (see ``EventPayload``), and the form in which a typed payload is written out field by field.
///
/// The order is kept so that encoders write the keys in the order the producer chose. Core has no
/// JSON of its own; the service layer writes these fields generically.
public struct EventFields: Sendable, Equatable, CustomStringConvertible, EventFieldWriter {
    /// One key and its value.
    public struct Field: Sendable, Equatable {
        /// The key, in lowerCamelCase by convention.
        public var key: String
        /// The value.
        public var value: EventValue

        /// Creates a field.
        public init(key: String, value: EventValue) {
            self.key = key
            self.value = value
        }
    }

    /// The fields, in insertion order. Keys are unique.
    public private(set) var fields: [Field]

    /// Creates an empty payload.
    public init() { fields = [] }

    /// Creates a payload from key–value pairs; a later pair replaces an earlier one with the same key,
    /// keeping the earlier position.
    public init(_ pairs: [(String, EventValue)]) {
        fields = []
        fields.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// The value stored under `key`, or `nil` when absent. Setting `nil` removes the key; setting a
    /// value for a new key appends it.
    public subscript(key: String) -> EventValue? {
        get { fields.first { $0.key == key }?.value }
        set {
            let index = fields.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): fields[index].value = value
            case (let index?, nil): fields.remove(at: index)
            case (nil, let value?): fields.append(Field(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// The keys, in order.
    public var keys: [String] { fields.map(\.key) }

    /// Stores `value` under `key` (as the subscript does), so that a payload can be written into fields.
    public mutating func field(_ key: String, _ value: EventValue) { self[key] = value }

    /// Writes the fields, in order, to `writer`.
    public func writeFields(to writer: inout some EventFieldWriter) {
        for field in fields { writer.field(field.key, field.value) }
    }

    /// `key=value` pairs separated by spaces, for log lines; a value with spaces, `=`, quotes or control
    /// characters is quoted and escaped by the logfmt rules (`LogfmtText`), so it cannot pass for
    /// other fields.
    public var description: String {
        fields.map { "\($0.key)=\(LogfmtText.value($0.value.description))" }.joined(separator: " ")
    }
}

extension EventFields: ExpressibleByDictionaryLiteral {
    /// Creates a payload from a literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, EventValue)...) {
        self.init(elements)
    }
}
