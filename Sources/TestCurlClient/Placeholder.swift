enum TestCurlClientPlaceholder {}
