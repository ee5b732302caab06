import Testing

@Test func sandboxlauncherBuilds() {}
