print("slowatch: not yet serving")
