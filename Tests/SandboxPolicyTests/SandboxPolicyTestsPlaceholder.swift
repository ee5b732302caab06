import Testing

@Test func sandboxpolicyBuilds() {}
