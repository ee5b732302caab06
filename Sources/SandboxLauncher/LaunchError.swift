import LinuxSystem
import SystemPackage

/// A launch that did not happen: which layer, which step, the errno, the operation and path,
/// and what to do about it. Nothing was left running.
public struct LaunchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The enforcement layer that could not be applied (`"view"`, `"landlock"`, `"seccomp"`,
    /// `"process"`, `"terminal"`, `"network"`, `"launch"`).
    public var layer: String
    /// The step that failed (`ChildStep` name, e.g. `"mount"`, `"landlockRestrict"`), or a
    /// launcher-side step such as `"planCheck"`.
    public var step: String
    /// The kernel's answer, when a system call failed.
    public var errno: Errno?
    /// The operation and path, e.g. `bind /home/me/src at /home/me/src`.
    public var message: String
    /// How to make it work.
    public var remedy: String

    /// Creates an error.
    public init(layer: String, step: String, errno: Errno?, message: String, remedy: String) {
        self.layer = layer
        self.step = step
        self.errno = errno
        self.message = message
        self.remedy = remedy
    }

    /// `launch failed (layer, step): message: strerror (errno N). remedy`.
    public var description: String {
        let cause = errno.map { ": \($0.description) (errno \($0.rawValue))" } ?? ""
        return "launch failed (\(layer), \(step)): \(message)\(cause). \(remedy)"
    }
}
