import Testing

@Test func cordoncliBuilds() {}
