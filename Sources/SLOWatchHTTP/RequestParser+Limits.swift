extension RequestParser.Limits {
    /// The byte and count limits of `configuration`, clamped by `clamped()`.
    init(configuration: HTTPServerConfiguration) {
        self.init(
            maxRequestLineBytes: configuration.maxRequestLineBytes,
            maxHeaderBytes: configuration.maxHeaderBytes,
            maxHeaderCount: configuration.maxHeaderCount, maxBodyBytes: configuration.maxBodyBytes)
        self = clamped()
    }

    /// The limits clamped so that sums of them (the input buffer's size, scan offsets, body totals)
    /// cannot overflow, whatever a configuration says: each head part to 1...1 GiB (bytes), the field
    /// count to 1...2^20, the body to 0...256 TiB (bytes). Clamping twice changes nothing.
    func clamped() -> Self {
        Self(
            maxRequestLineBytes: min(max(maxRequestLineBytes, 1), 1 << 30),
            maxHeaderBytes: min(max(maxHeaderBytes, 1), 1 << 30),
            maxHeaderCount: min(max(maxHeaderCount, 1), 1 << 20),
            maxBodyBytes: min(max(maxBodyBytes, 0), 1 << 48))
    }
}
