@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    HTTPParserFuzzing.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
