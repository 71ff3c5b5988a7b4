extension HTTPErrorAnswer {
    /// The stable code of the answer to a stream opened past the server's stream limit (`tooManyStreams(limit:)`).
    public static let tooManyStreamsCode = "too_many_streams"

    /// 503 `too_many_streams`: `limit` streams are open, every stream slot is taken. Plain requests are
    /// still served (streams never take more than their share of the connections).
    static func tooManyStreams(limit: Int) -> HTTPErrorAnswer {
        HTTPErrorAnswer(
            status: 503, code: tooManyStreamsCode,
            message: "The server is at its limit of \(limit) open streams (maxStreams); retry in a few "
                + "seconds. Plain requests are still served.")
    }
}
