import SLOWatchSync
import Testing

@testable import SLOWatchPOSIX

// The code of SLOWatchPOSIX's DocC articles (`Sources/SLOWatchPOSIX/SLOWatchPOSIX.docc/`), run below, so
// the documented API keeps compiling and behaves as the articles say. `DocCSnippetTests` checks that
// each article's block is this code, line for line.

/// EventLoops: the smallest driver, which stops its loop on a command.
final class StopDriver: EventLoopDriver {
    enum Handler { case none }
    enum Command: Sendable { case stop }
    private var running = true

    func loop(_ loop: EventLoop<StopDriver>, ready handler: Handler, fd: Int32, events: EpollEvents) {}
    func loop(_ loop: EventLoop<StopDriver>, received command: Command) { running = false }
    func loopIterationEnded(_ loop: EventLoop<StopDriver>) -> Bool { running }
}

/// BlockingWork: a write handed to a lane, its result answered on the loop.
func save(_ bytes: [UInt8], on lane: BlockingPool, answeringOn loop: some LoopExecutor) -> Bool {
    let write: @Sendable () -> Bool = {
        // On the lane: write, fsync, rename (through a FileStorage); true when it is on disk.
        !bytes.isEmpty
    }
    return lane.submit(write, completingOn: loop) { saved in
        // On the loop's thread: answer the request.
        _ = saved
    }
}

/// A `LoopExecutor` that runs each task at once and counts them.
private final class CountingExecutor: LoopExecutor {
    let executed = PThreadLock<Int>(0)

    func execute(_ task: @escaping @Sendable () -> Void) -> Bool {
        executed.withLock { $0 += 1 }
        task()
        return true
    }
}

@Suite("DocC articles of SLOWatchPOSIX")
struct DocCArticleExampleTests {
    /// `join()` returns only once the driver has seen the command and ended the loop; a loop that
    /// ignored it would run into the time limit.
    @Test(
        "EventLoops: a loop started, stopped by a command from another thread, joined",
        .timeLimit(.minutes(1)))
    func loop() {
        let loop = EventLoop(driver: StopDriver())  // nil when the system refuses an eventfd or epoll
        if let loop, loop.start() {
            loop.post(.stop)  // from any thread
            loop.join()
        }
        #expect(loop != nil)
    }

    @Test("BlockingWork: the lane runs the write and hands its result to the loop")
    func blockingWork() throws {
        let lane = try #require(BlockingPool(threadCount: 1, queueCapacity: 4))
        let executor = CountingExecutor()
        #expect(save([1, 2, 3], on: lane, answeringOn: executor))
        lane.shutdown()
        #expect(executor.executed.withLock { $0 } == 1)
    }
}
