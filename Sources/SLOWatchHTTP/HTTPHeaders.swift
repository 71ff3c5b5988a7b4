/// Ordered header fields with case-insensitive lookup; repeated fields are kept in order.
///
/// Fields are stored as bytes (names and values back to back) with offsets, so a parsed request
/// creates no `String` per header until one is asked for.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// Byte offsets of one field inside `storage`.
    struct Field: Sendable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    /// Names and values, back to back.
    private(set) var storage: [UInt8]
    /// The fields, in order.
    private(set) var fields: [Field]

    /// Creates an empty set of fields.
    public init() {
        storage = []
        fields = []
    }

    /// Creates fields from name/value pairs, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init()
        for (name, value) in elements { add(name: name, value: value) }
    }

    /// Creates fields over bytes the parser already validated.
    init(storage: [UInt8], fields: [Field]) {
        self.storage = storage
        self.fields = fields
    }

    /// The number of fields (repeated names count once each).
    public var count: Int { fields.count }

    /// The value of the first field named `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        var name = name
        return name.withUTF8 { key in
            for field in fields where matches(field, key) { return value(of: field) }
            return nil
        }
    }

    /// Calls `body` with the bytes of the first field named `name` (case-insensitive), or with nil when
    /// there is none, without building a `String`: for checks on the hot path, such as a media type.
    public func withFirstValue<Result>(
        _ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
    ) -> Result {
        let key = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard let field = fields.first(where: { matches($0, key) }) else { return body(nil) }
        return storage.withUnsafeBufferPointer { bytes in
            body(UnsafeBufferPointer(rebasing: bytes[Int(field.valueStart)..<Int(field.valueEnd)]))
        }
    }

    /// Every value of the fields named `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        var name = name
        return name.withUTF8 { key in fields.filter { matches($0, key) }.map { value(of: $0) } }
    }

    /// True when a field named `name` (case-insensitive) is present.
    public func contains(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { key in fields.contains { matches($0, key) } }
    }

    /// Appends a field. CR, LF and NUL in the name or value are replaced by spaces, so a handler
    /// cannot split the response head.
    public mutating func add(name: String, value: String) {
        let nameStart = Int32(storage.count)
        append(name)
        let nameEnd = Int32(storage.count)
        append(value)
        fields.append(
            Field(nameStart: nameStart, nameEnd: nameEnd, valueStart: nameEnd, valueEnd: Int32(storage.count))
        )
    }

    /// Removes every field named `name` (case-insensitive).
    public mutating func remove(name: String) {
        var name = name
        let kept = name.withUTF8 { key in fields.filter { !matches($0, key) } }
        fields = kept
    }

    /// Replaces every field named `name` with one field holding `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    /// Iterates the fields in order as (name, value) pairs.
    public func makeIterator() -> Iterator { Iterator(headers: self, index: 0) }

    /// Iterates (name, value) pairs in order.
    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var index: Int

        /// The next field, or nil at the end.
        public mutating func next() -> (name: String, value: String)? {
            guard index < headers.fields.count else { return nil }
            let field = headers.fields[index]
            index += 1
            return (headers.name(of: field), headers.value(of: field))
        }
    }

    func name(of field: Field) -> String {
        String(decoding: storage[Int(field.nameStart)..<Int(field.nameEnd)], as: UTF8.self)
    }

    func value(of field: Field) -> String {
        String(decoding: storage[Int(field.valueStart)..<Int(field.valueEnd)], as: UTF8.self)
    }

    /// Case-insensitive (ASCII) comparison of a field's name with `key`.
    func matches(_ field: Field, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(field.nameStart)
        guard Int(field.nameEnd) - start == key.count else { return false }
        for index in 0..<key.count where ASCII.lower(storage[start + index]) != ASCII.lower(key[index]) {
            return false
        }
        return true
    }

    private mutating func append(_ text: String) {
        for byte in text.utf8 {
            storage.append(byte == 13 || byte == 10 || byte == 0 ? 32 : byte)
        }
    }
}
