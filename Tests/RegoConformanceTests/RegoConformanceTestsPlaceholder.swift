import Testing

@Test func regoconformanceBuilds() {}
