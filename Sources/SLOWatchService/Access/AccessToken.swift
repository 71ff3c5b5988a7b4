/// The bearer token that writes (and, with `protectReads`, reads) must present, kept so that it cannot
/// leak by accident: its description, debug description and mirror all print `(hidden)`, so a log line,
/// a `dump` or `check-config` that prints a configuration shows no part of it.
///
/// Only the SHA-256 digest of the token is stored. A presented token is hashed and the two 32-byte
/// digests are compared in full, without an early exit, so the time a comparison takes depends on
/// neither how many leading bytes match nor the token's length.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The longest token accepted, in bytes: far beyond any generated secret, and well inside the
    /// server's 16 KiB header limit.
    public static let maximumLength = 4_096

    /// What a valid token looks like, completing "it must be …".
    public static let rule =
        "1 to \(maximumLength) visible ASCII characters (no spaces, tabs or control characters), such as "
        + "the output of `openssl rand -hex 32`"

    /// The fewest characters a token should have, for `serve`'s start-up warning: 16 random characters
    /// already take ~10^28 guesses in hex, and `openssl rand -hex 32` gives 64.
    public static let recommendedMinimumLength = 16

    /// The SHA-256 digest of the token's bytes.
    private let digest: SHA256.Digest

    /// Whether the token is shorter than ``recommendedMinimumLength``: valid, but easier to guess.
    public let isShort: Bool

    /// Creates a token from its text.
    /// - Returns: nil when `text` breaks ``rule``.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard (1...Self.maximumLength).contains(bytes.count), bytes.allSatisfy(Self.isVisibleASCII) else {
            return nil
        }
        digest = SHA256.digest(bytes)
        isShort = bytes.count < Self.recommendedMinimumLength
    }

    /// Whether `presented` is the token, in time that does not depend on where the two differ.
    ///
    /// A credential longer than ``maximumLength`` is refused without being hashed: that limit is public,
    /// so the refusal reveals nothing, and it bounds the work an unauthenticated client can ask of the
    /// I/O thread. Any other credential is hashed in place (no allocation) and its digest compared in
    /// full with the token's.
    /// - Parameter presented: the credential's bytes, as sent after `Bearer `.
    public func matches(_ presented: some Collection<UInt8>) -> Bool {
        guard presented.count <= Self.maximumLength else { return false }
        let other =
            presented.withContiguousStorageIfAvailable { SHA256.digest(UnsafeRawBufferPointer($0)) }
            ?? SHA256.digest(Array(presented))
        return digest.isEqualInConstantTime(to: other)
    }

    /// `(hidden)`: the token is never printed.
    public var description: String { "(hidden)" }

    /// `(hidden)`, also for `String(reflecting:)` and `debugPrint`.
    public var debugDescription: String { "(hidden)" }

    /// A mirror with no children, so `dump` shows nothing of the digest either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// 0x21...0x7E: what a token may hold.
    private static func isVisibleASCII(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }
}
