import SandboxLauncher

/// `ExitStatus` without the clash with Swift Testing's type of the same name.
typealias SandboxExit = ExitStatus
