@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOTLPBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    OTLPBodyFuzzing.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
