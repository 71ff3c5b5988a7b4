/// One piece of a streaming response, framed once for every stream it is written to.
///
/// A server-sent event goes to thousands of streams at once. Framed per stream, each stream would copy
/// the payload into a chunk of its own (hex size, CRLF, data, CRLF). This value holds both forms, built
/// once: the chunk for HTTP/1.1 streams and the bare payload for HTTP/1.0 ones (their body is ended by
/// closing). Both arrays share their storage with every copy of the value, so a chunk written to many
/// streams is held once.
public struct HTTPStreamChunk: Sendable {
    /// The bytes of the piece, unframed.
    public let payload: [UInt8]
    /// `payload` as one chunk of the chunked transfer coding; empty when `payload` is empty (an empty
    /// chunk would end the response).
    let framed: [UInt8]

    /// Frames `payload` once.
    public init(_ payload: [UInt8]) {
        self.payload = payload
        framed = payload.isEmpty ? [] : ChunkFraming.frame(payload)
    }
}
