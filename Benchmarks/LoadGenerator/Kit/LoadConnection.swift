/// One keep-alive connection of the generator and the request it carries, if any.
///
/// Invariant: at most one request is in flight (`inFlight`), so a response always belongs to the
/// request whose intended send time is `intended`. Bytes left over after a response are a protocol
/// error (the generator never pipelines).
struct LoadConnection {
    /// The socket, or -1 once the connection is dead and could not be replaced.
    var fd: Int32
    /// Whether a request was sent and its response has not ended yet.
    var inFlight = false
    /// The intended send time (ns) of the request in flight.
    var intended: UInt64 = 0
    /// Which request of the pool is being written.
    var request = 0
    /// Bytes of that request written so far.
    var written = 0
    /// Whether the socket is also watched for writability (a request only partly written).
    var watchingWrites = false
    /// Response bytes read so far.
    var buffer: [UInt8] = []

    /// A connection over `fd`, idle.
    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(4_096)
    }
}
