import Testing

@testable import SLOWatchService

/// The default memory budget from fake `/proc` and `/sys` text.
@Suite("Memory limit detection")
struct MemoryLimitDetectionTests {
    private static let gib = 1 << 30

    private static func detection(_ files: [String: String], physical: Int = 16 << 30) -> MemoryLimitDetection
    {
        MemoryLimitDetection(readFile: { files[$0] }, physicalBytes: physical)
    }

    @Test("a cgroup v2 memory.max of 1 GiB gives a 512 MiB budget")
    func cgroupV2Limit() {
        let detection = Self.detection([
            "/proc/self/cgroup": "0::/system.slice/slowatch.service\n",
            "/sys/fs/cgroup/system.slice/slowatch.service/memory.max": "1073741824\n",
        ])
        #expect(detection.cgroupLimitBytes == Self.gib)
        #expect(detection.defaultBudgetBytes == 512 << 20)
    }

    @Test("max means unlimited: half of physical memory, at most 2 GiB")
    func unlimitedFallsBackToPhysical() {
        let files = ["/proc/self/cgroup": "0::/a\n", "/sys/fs/cgroup/a/memory.max": "max\n"]
        #expect(Self.detection(files).cgroupLimitBytes == nil)
        #expect(Self.detection(files).defaultBudgetBytes == 2 * Self.gib)
        #expect(Self.detection(files, physical: 3 * Self.gib).defaultBudgetBytes == 3 * Self.gib / 2)
    }

    @Test("the tightest limit among the cgroup's ancestors applies")
    func ancestorLimit() {
        let detection = Self.detection([
            "/proc/self/cgroup": "0::/kubepods/pod1/c1\n",
            "/sys/fs/cgroup/kubepods/pod1/c1/memory.max": "max",
            "/sys/fs/cgroup/kubepods/pod1/memory.max": "805306368",
            "/sys/fs/cgroup/kubepods/memory.max": "8589934592",
        ])
        #expect(detection.cgroupLimitBytes == 805_306_368)
        #expect(detection.defaultBudgetBytes == 402_653_184)
    }

    @Test("a cgroup v1 memory controller limit counts; its 'unlimited' value does not")
    func cgroupV1() {
        let limited = Self.detection([
            "/proc/self/cgroup": "5:devices:/\n4:memory:/docker/abc\n0::/\n",
            "/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": "268435456\n",
        ])
        #expect(limited.defaultBudgetBytes == 128 << 20)
        let unlimited = Self.detection([
            "/proc/self/cgroup": "4:cpu,memory:/\n",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
        ])
        #expect(unlimited.cgroupLimitBytes == nil)
    }

    @Test("no cgroup file, or a limit above physical memory, falls back to physical memory")
    func noCgroup() {
        #expect(Self.detection([:], physical: Self.gib).defaultBudgetBytes == Self.gib / 2)
        let above = Self.detection(
            ["/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/memory.max": "68719476736"], physical: Self.gib)
        #expect(above.availableBytes == Self.gib)
    }

    @Test("this machine's detection gives a positive budget of at most 2 GiB")
    func systemDetection() {
        let budget = MemoryLimitDetection.system.defaultBudgetBytes
        #expect(budget > 0 && budget <= 2 * Self.gib)
    }
}
