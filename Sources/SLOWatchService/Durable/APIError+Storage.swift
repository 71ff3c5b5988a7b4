extension APIError {
    /// 503 `storage_failed`: the change was not journaled, so it was not made.
    /// - Parameter health: says why, when the journal's newest write failed.
    static func notSaved(_ health: StorageHealth) -> APIError {
        let reason =
            health.failure(of: .journal) ?? "the journal is closed or too many changes wait to be written."
        return APIError(
            status: 503, code: "storage_failed",
            message: "The change was not made, because it could not be saved: \(reason)")
    }
}
