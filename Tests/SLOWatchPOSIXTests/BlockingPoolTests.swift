import Dispatch
import SLOWatchSync
import Testing

@testable import SLOWatchPOSIX

/// The pool runs blocking work off the event loops; with one thread it is a serial lane.
@Suite struct BlockingPoolTests {
    @Test func aSingleThreadPoolRunsJobsOneAtATimeInOrder() throws {
        let pool = try #require(BlockingPool(threadCount: 1, queueCapacity: 100))
        let order = PThreadLock<[Int]>([])
        let running = PThreadLock<(now: Int, most: Int)>((0, 0))
        for index in 0..<50 {
            #expect(
                pool.submit {
                    running.withLock {
                        $0.now += 1
                        $0.most = max($0.most, $0.now)
                    }
                    order.withLock { $0.append(index) }
                    running.withLock { $0.now -= 1 }
                })
        }
        pool.shutdown()
        #expect(order.withLock { $0 } == Array(0..<50))
        #expect(running.withLock { $0.most } == 1)
    }

    @Test func aFullQueueRefusesWorkAndAShutDownPoolRefusesAll() throws {
        let pool = try #require(BlockingPool(threadCount: 1, queueCapacity: 2))
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        #expect(
            pool.submit {
                started.signal()
                gate.wait()
            })
        started.wait()
        #expect(pool.submit {})
        #expect(pool.submit {})
        #expect(!pool.submit {})
        gate.signal()
        pool.shutdown()
        #expect(!pool.submit {})
    }

    @Test func shutdownRunsTheJobsAlreadyQueued() throws {
        let pool = try #require(BlockingPool(threadCount: 3, queueCapacity: 1_000))
        let done = PThreadLock<Int>(0)
        for _ in 0..<500 { pool.submit { done.withLock { $0 += 1 } } }
        pool.shutdown()
        #expect(done.withLock { $0 } == 500)
    }

    @Test func aResultIsHandedBackOnTheLoopThread() throws {
        let driver = RecordingDriver()
        let loop = try #require(EventLoop(driver: driver))
        #expect(loop.start())
        let pool = try #require(BlockingPool(threadCount: 2, queueCapacity: 10))
        let answered = DispatchSemaphore(value: 0)
        let onLoop = PThreadLock<Bool?>(nil)
        let completion: @Sendable (Int) -> Void = { result in
            onLoop.withLock { $0 = loop.isCurrentThread && result == 42 }
            answered.signal()
        }
        pool.submit({ 6 * 7 }, completingOn: loop, completion)
        #expect(answered.wait(timeout: .now() + 5) == .success)
        #expect(onLoop.withLock { $0 } == true)
        pool.shutdown()
        loop.post(.stop)
        loop.join()
    }
}
