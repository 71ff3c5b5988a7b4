@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSamplesBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    SamplesBodyFuzzing.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
