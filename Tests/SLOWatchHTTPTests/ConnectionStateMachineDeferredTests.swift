import Testing

@testable import SLOWatchHTTP

/// A deferred route's request: the connection reads nothing more and never times out until the answer
/// is queued; a FIN or a stop meanwhile does not drop the answer.
@Suite struct ConnectionStateMachineDeferredTests {
    @Test func awaitingAnAnswerReadsNothingAndHasNoDeadline() {
        var machine = ConnectionStateMachine()
        _ = machine.started()
        #expect(machine.deferredStarted() == .arm(.never))
        #expect(machine.state == .awaitingResponse)
        #expect(!machine.acceptsRequests)
        #expect(machine.timedOut(outputPending: false) == .arm(.never))
        #expect(machine.serverStopping(outputPending: false) == .none)
        #expect(machine.responseQueued(keepAlive: true) == .arm(.idle))
        #expect(machine.state == .idle(fresh: false))
    }

    @Test func aFinWhileAwaitingWaitsForTheAnswerThenLingersAndCloses() {
        var machine = ConnectionStateMachine()
        _ = machine.started()
        _ = machine.deferredStarted()
        #expect(machine.inputEnded(outputPending: false) == .none)
        #expect(machine.state == .awaitingResponse)
        #expect(machine.responseQueued(keepAlive: false) == .none)
        #expect(machine.state == .closing)
        #expect(machine.outputDrained() == .lingerThenClose)
    }
}
