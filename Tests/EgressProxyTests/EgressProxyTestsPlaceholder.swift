import Testing

@Test func egressproxyBuilds() {}
