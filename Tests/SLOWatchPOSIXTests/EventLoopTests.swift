import Dispatch
import Glibc
import SLOWatchSync
import Testing

@testable import SLOWatchPOSIX

/// A driver that records what the loop hands it; its state is read after the loop is joined.
final class RecordingDriver: EventLoopDriver {
    enum Handler: Equatable {
        case pipe(String)
    }

    enum Command: Sendable, Equatable {
        case note(Int)
        case stop
    }

    var ready: [(Handler, EpollEvents)] = []
    var commands: [Int] = []
    var iterations = 0
    private var stopped = false

    func loop(_ loop: EventLoop<RecordingDriver>, ready handler: Handler, fd: Int32, events: EpollEvents) {
        var byte: UInt8 = 0
        _ = read(fd, &byte, 1)
        ready.append((handler, events))
    }

    func loop(_ loop: EventLoop<RecordingDriver>, received command: Command) {
        switch command {
        case .note(let value): commands.append(value)
        case .stop:
            stopped = true
            loop.exit()
        }
    }

    func loopIterationEnded(_ loop: EventLoop<RecordingDriver>) -> Bool {
        iterations += 1
        return !stopped
    }
}

@Suite struct EventLoopTests {
    @Test func aReadableDescriptorReachesItsHandlerAndCommandsArriveInOrder() throws {
        let driver = RecordingDriver()
        let loop = try #require(EventLoop(driver: driver))
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        defer { for fd in ends { close(fd) } }
        #expect(loop.register(ends[0], for: .readable, handler: .pipe("a")))
        #expect(loop.start())
        for value in 1...20 { loop.post(.note(value)) }
        var byte: UInt8 = 1
        #expect(write(ends[1], &byte, 1) == 1)
        // The loop is asynchronous: wait until the handler ran, then stop it.
        let ran = DispatchSemaphore(value: 0)
        for _ in 0..<500 {
            loop.execute { if !loop.driver.ready.isEmpty { ran.signal() } }
            if ran.wait(timeout: .now() + .milliseconds(10)) == .success { break }
        }
        loop.post(.stop)
        loop.join()
        #expect(driver.commands == Array(1...20))
        #expect(driver.ready.first?.0 == .pipe("a"))
        #expect(driver.ready.first?.1.contains(.readable) == true)
    }

    @Test func timersRunInDeadlineOrderAndACancelledOneNever() throws {
        let driver = RecordingDriver()
        let loop = try #require(EventLoop(driver: driver))
        var fired: [String] = []
        let start = loop.now
        loop.schedule(at: start + 30_000_000) { fired.append("late") }
        loop.schedule(at: start + 10_000_000) { fired.append("early") }
        let cancelled = loop.schedule(at: start + 20_000_000) { fired.append("cancelled") }
        loop.cancelTimer(cancelled)
        loop.schedule(at: start + 40_000_000) { loop.exit() }
        #expect(loop.start())
        loop.join()
        #expect(fired == ["early", "late"])
        #expect(loop.now >= start + 40_000_000)
    }

    @Test func aJoinedLoopRefusesPostsAndTasks() throws {
        let loop = try #require(EventLoop(driver: RecordingDriver()))
        #expect(loop.start())
        loop.post(.stop)
        loop.join()
        #expect(!loop.post(.note(1)))
        #expect(!loop.execute {})
        #expect(!loop.isCurrentThread)
    }
}
