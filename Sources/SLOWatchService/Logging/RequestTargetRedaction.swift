/// The request target as a debug request line shows it: the query string's values are replaced by
/// `REDACTED` for every parameter named like a credential, so a token sent in the URL never reaches
/// a log (`POST /samples?token=REDACTED&metric=a 401`).
///
/// A parameter is a credential when its name, percent-decoded (`+` as a space) and lowercased,
/// contains `token`, `key`, `password`, `passwd`, `secret`, `auth`, `credential` or `signature`: so
/// `access_token`, `api_key`, `X-Auth` and `%74oken` are all redacted. Both `&` and `;` separate
/// parameters here, so a value cannot hide a second parameter from the check. The path is kept as
/// it is (the log handler escapes its control characters); headers, `Authorization` among them, are
/// never logged at all.
enum RequestTargetRedaction {
    /// What a credential's value is replaced with.
    static let placeholder = "REDACTED"

    /// The name fragments that mark a parameter as a credential (matched in lowercase, anywhere in the
    /// name).
    static let credentialFragments = [
        "token", "key", "password", "passwd", "secret", "auth", "credential", "signature",
    ]

    /// `target` with the values of credential-like query parameters replaced by ``placeholder``;
    /// a target without `?` is returned as it is.
    static func redacted(_ target: String) -> String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        var result = String(target[...mark])
        var parameter = ""
        for character in target[target.index(after: mark)...] {
            if character == "&" || character == ";" {
                result += redactedParameter(parameter)
                result.append(character)
                parameter = ""
            } else {
                parameter.append(character)
            }
        }
        return result + redactedParameter(parameter)
    }

    /// `name=value` as it is, or `name=REDACTED` when the name is credential-like; a parameter
    /// without `=` has no value to hide.
    private static func redactedParameter(_ parameter: String) -> String {
        guard let equals = parameter.firstIndex(of: "=") else { return parameter }
        let name = parameter[..<equals]
        guard isCredential(name) else { return parameter }
        return name + "=" + placeholder
    }

    /// Whether `name` (raw, possibly percent-encoded) names a credential.
    static func isCredential(_ name: Substring) -> Bool {
        let decoded = decodedName(name).lowercased()
        return credentialFragments.contains { decoded.contains($0) }
    }

    /// `name` with `%XX` escapes decoded and `+` as a space; an invalid escape is kept as it is, and
    /// bytes that are not UTF-8 are replaced, which only matters for matching.
    private static func decodedName(_ name: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(name.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
                continue
            }
            bytes.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value of one hex digit, or nil.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
