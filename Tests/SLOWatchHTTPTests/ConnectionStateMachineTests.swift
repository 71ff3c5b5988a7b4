import Testing

@testable import SLOWatchHTTP

/// The connection's state machine, driven by events alone: no socket, no loop, no clock.
@Suite struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine

    @Test func aNewConnectionArmsTheHeadDeadlineAndAcceptsRequests() {
        var machine = Machine()
        #expect(machine.started() == .arm(.head))
        #expect(machine.state == .idle(fresh: true))
        #expect(machine.acceptsRequests)
        #expect(machine.headStarted() == .arm(.head))
        #expect(machine.state == .head)
        #expect(machine.headStarted() == .none, "a head in progress keeps its deadline")
    }

    @Test func pipelinedRequestsAreAnsweredInOrderAndAKeepAliveResponseWaitsForTheNext() {
        var machine = Machine()
        _ = machine.started()
        // The first request has a body: it is read before anything behind it.
        #expect(machine.bodyStarted() == .arm(.body))
        #expect(machine.state == .body)
        #expect(machine.responseQueued(keepAlive: true) == .arm(.idle))
        #expect(machine.state == .idle(fresh: false))
        #expect(machine.acceptsRequests, "the next pipelined request is read after the first is answered")
        #expect(machine.responseQueued(keepAlive: true) == .arm(.idle))
        #expect(
            machine.outputDrained() == .none, "a keep-alive connection stays open once its output is sent")
        #expect(machine.state == .idle(fresh: false))
    }

    @Test func aResponseThatClosesStopsThePipelineAndLingersOnceSent() {
        var machine = Machine()
        _ = machine.started()
        #expect(machine.responseQueued(keepAlive: false) == .none)
        #expect(machine.state == .closing)
        #expect(!machine.acceptsRequests, "requests behind `Connection: close` are never read")
        #expect(machine.responseQueued(keepAlive: true) == .none, "no second response after the last one")
        #expect(machine.bodyStarted() == .none)
        #expect(machine.outputDrained() == .linger)
        #expect(machine.state == .lingering)
        #expect(machine.inputEnded(outputPending: false) == .close, "the peer's EOF ends the linger")
    }

    @Test func aHalfClosedClientGetsEveryResponseBeforeTheClose() {
        var machine = Machine()
        _ = machine.started()
        machine.peerClosed()
        #expect(machine.inputClosed)
        #expect(machine.acceptsRequests, "requests buffered before the FIN are still answered")
        #expect(machine.responseQueued(keepAlive: true) == .arm(.idle))
        #expect(machine.inputEnded(outputPending: true) == .none, "the queued response is sent first")
        #expect(machine.state == .closing)
        #expect(machine.outputDrained() == .lingerThenClose, "after the FIN there is nothing to drain")
    }

    @Test func theEndOfInputWithNothingQueuedClosesAtOnce() {
        for setUp in [{ (machine: inout Machine) in _ = machine.started() }, { _ = $0.headStarted() }] {
            var machine = Machine()
            setUp(&machine)
            #expect(machine.inputEnded(outputPending: false) == .close)
        }
        var streaming = Machine()
        _ = streaming.streamStarted()
        #expect(streaming.inputEnded(outputPending: true) == .close, "a stream's client went away")
    }

    @Test func aParseErrorAnswersAndClosesAfterTheResponse() {
        var machine = Machine()
        _ = machine.started()
        _ = machine.headStarted()
        // The connection answers 400 with `Connection: close`.
        #expect(machine.responseQueued(keepAlive: false) == .none)
        #expect(machine.timedOut(outputPending: true) == .close, "a client that does not read it is closed")
    }

    @Test func timeoutsAnswer408OnlyWhileARequestIsAwaitedAndNothingIsQueued() {
        var fresh = Machine()
        _ = fresh.started()
        #expect(fresh.timedOut(outputPending: false) == .respondTimeout(.head))
        #expect(fresh.timedOut(outputPending: true) == .close)

        var head = Machine()
        _ = head.headStarted()
        #expect(head.timedOut(outputPending: false) == .respondTimeout(.head))

        var body = Machine()
        _ = body.bodyStarted()
        #expect(body.timedOut(outputPending: false) == .respondTimeout(.body))
        #expect(body.timedOut(outputPending: true) == .close)

        var idle = Machine()
        _ = idle.responseQueued(keepAlive: true)
        #expect(
            idle.timedOut(outputPending: false) == .close, "an idle keep-alive connection closes silently")

        var stream = Machine()
        _ = stream.streamStarted()
        #expect(stream.timedOut(outputPending: false) == .arm(.never), "a stream has no deadline")

        var lingering = Machine()
        _ = lingering.responseQueued(keepAlive: false)
        _ = lingering.outputDrained()
        #expect(lingering.timedOut(outputPending: false) == .close)
    }

    @Test func aStreamLingersOnlyAfterItsWriterFinishedAndItsBytesWereSent() {
        var machine = Machine()
        _ = machine.started()
        #expect(machine.streamStarted() == .arm(.never))
        #expect(!machine.acceptsRequests)
        #expect(machine.outputDrained() == .none, "an open stream with nothing to send stays open")
        machine.streamFinished()
        #expect(machine.state == .streaming(finished: true))
        #expect(machine.outputDrained() == .linger)
    }

    @Test func stoppingClosesIdleConnectionsEndsStreamsAndLetsRequestsFinish() {
        var idle = Machine()
        _ = idle.started()
        #expect(idle.serverStopping(outputPending: false) == .close)
        var answered = Machine()
        _ = answered.responseQueued(keepAlive: true)
        #expect(answered.serverStopping(outputPending: true) == .none)
        #expect(answered.state == .closing, "the queued response is sent, then the connection lingers")
        var body = Machine()
        _ = body.bodyStarted()
        #expect(body.serverStopping(outputPending: false) == .none)
        #expect(body.state == .body)
        var stream = Machine()
        _ = stream.streamStarted()
        #expect(stream.serverStopping(outputPending: false) == .stopStream)
    }

    @Test func closedIsFinal() {
        var machine = Machine()
        machine.closed()
        #expect(machine.isClosed)
        #expect(!machine.acceptsRequests)
        #expect(machine.started() == .none)
        #expect(machine.responseQueued(keepAlive: true) == .none)
        #expect(machine.timedOut(outputPending: false) == .none)
        #expect(machine.inputEnded(outputPending: true) == .none)
        #expect(machine.outputDrained() == .none)
        #expect(machine.state == .closed)
    }
}
