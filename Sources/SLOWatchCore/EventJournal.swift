/// Keeps every event the bus publishes somewhere that outlives the process (the service's violation
/// log). Core does no I/O; the service layer implements this.
public protocol EventJournal: Sendable {
    /// Keeps `event`. The bus calls it under its lock, once per event, in sequence order, so it must be
    /// quick (an append, not an fsync) and must not call the bus.
    func record(_ event: Event)
}
