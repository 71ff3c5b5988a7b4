import SLOWatchHTTP

/// What a request's `Authorization` header offers, read as RFC 6750 §2.1 describes: the scheme `Bearer`
/// (any letter case, RFC 9110 §11.1), one or more spaces, then the token.
enum BearerCredential: Equatable {
    /// No `Authorization` header.
    case missing
    /// More than one `Authorization` header: which one counts would be a guess.
    case repeated
    /// A scheme other than Bearer (`Basic`, say), or a header with no credential after it.
    case otherScheme
    /// The bytes after `Bearer `, possibly empty; only the token decides whether they are right.
    case bearer([UInt8])

    /// Reads the `Authorization` header of `headers`.
    init(_ headers: HTTPHeaders) {
        let values = headers.values("Authorization")
        guard let value = values.first else {
            self = .missing
            return
        }
        guard values.count == 1 else {
            self = .repeated
            return
        }
        let bytes = Array(value.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, bytes[scheme.count] == UInt8(ascii: " "),
            zip(bytes, scheme).allSatisfy({ Self.lowercased($0) == $1 })
        else {
            self = .otherScheme
            return
        }
        self = .bearer(Array(bytes[scheme.count...].drop { $0 == UInt8(ascii: " ") }))
    }

    /// `byte` lowercased when it is an ASCII capital letter (the scheme is case-insensitive, RFC 9110).
    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
