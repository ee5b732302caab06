import Testing

@Test func auditlogBuilds() {}
