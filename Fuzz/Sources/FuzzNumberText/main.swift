@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumberText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    NumberTextFuzzing.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
