/// Makes the highest event sequence the bus may hand out durable, so that no sequence is ever handed
/// out twice, across crashes and storage failures (the service's `sequence` file). Core does no I/O;
/// the service layer implements this.
///
/// The bus hands out an id only when a reservation covering it has completed, and asks for the next
/// block (``EventBus/Configuration/sequenceBlock`` more) when half of the current one is used, so the
/// publisher waits for the disk only if a reservation is late or failing, and then does not wait at
/// all: the event is refused with ``EventError/sequenceNotReserved(ceiling:)``.
public protocol EventSequenceStore: Sendable {
    /// Makes `ceiling` durable, then calls `completion` with whether it is (on any thread, possibly at
    /// once). Called outside the bus lock; must not block the caller on the disk.
    func reserve(through ceiling: UInt64, completion: @escaping @Sendable (Bool) -> Void)
}

extension EventBus {
    /// The ceiling to ask for now, if any, marking a reservation in flight: when a store is set, none
    /// is in flight, and fewer than half a block of reserved sequences are left. Call under the lock.
    func nextReservation(_ state: inout State) -> UInt64? {
        guard configuration.sequenceStore != nil, !state.reserving,
            state.reservedThrough - min(state.sequence, state.reservedThrough) < configuration.sequenceBlock
                / 2
        else { return nil }
        state.reserving = true
        let (ceiling, overflow) = max(state.reservedThrough, state.sequence)
            .addingReportingOverflow(configuration.sequenceBlock)
        return overflow ? .max : ceiling
    }

    /// Asks the store to make `ceiling` durable, and raises the bus's ceiling when it did.
    func reserve(through ceiling: UInt64) {
        guard let store = configuration.sequenceStore else { return }
        store.reserve(through: ceiling) { [weak self] stored in
            self?.state.withLock { state in
                state.reserving = false
                if stored { state.reservedThrough = max(state.reservedThrough, ceiling) }
            }
        }
    }

    /// How many sequences one reservation adds (see ``Configuration/sequenceBlock``).
    public var sequenceBlock: UInt64 { configuration.sequenceBlock }

    /// The highest sequence that may be handed out now (`UInt64.max` without a sequence store).
    public var reservedSequence: UInt64 { state.withLock { $0.reservedThrough } }
}
