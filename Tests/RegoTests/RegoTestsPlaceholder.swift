import Testing

@Test func regoBuilds() {}
