@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ConfigLoaderFuzzing.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
