/// One piece of the view with its rights: what the mounts show and what Landlock allows.
struct Grant: Sendable, Equatable {
    /// Rights a grant carries; Landlock rights derive from these.
    struct Access: OptionSet, Sendable, Hashable {
        let rawValue: UInt8
        static let read = Access(rawValue: 1 << 0)
        static let write = Access(rawValue: 1 << 1)
        static let execute = Access(rawValue: 1 << 2)
        /// Device ioctls (`/dev` only).
        static let devices = Access(rawValue: 1 << 3)
        /// Listing a directory without reading its files (`/etc`, whose files are granted one
        /// by one).
        static let list = Access(rawValue: 1 << 4)
    }

    enum Backing: Sendable, Equatable {
        /// A host file or directory bound at the same path.
        case host
        /// A directory Cordon makes in the new root (tmpfs, created directory).
        case synthetic
    }

    var path: String
    var access: Access
    var isDirectory: Bool
    var backing: Backing

    /// The Landlock rights for a directory or file with `access`.
    static func landlockRights(_ access: Access, directory: Bool) -> LandlockFilesystemAccess {
        var rights: LandlockFilesystemAccess = []
        if access.contains(.read) { rights.formUnion(directory ? [.readFile, .readDir] : [.readFile]) }
        if access.contains(.list) && directory { rights.insert(.readDir) }
        if access.contains(.execute) { rights.insert(.execute) }
        if access.contains(.write) {
            rights.formUnion([.writeFile, .truncate])
            if directory {
                rights.formUnion([.removeDir, .removeFile, .makeDir, .makeReg, .makeSock, .makeFifo, .makeSym, .refer])
            }
        }
        if access.contains(.devices) { rights.insert(.ioctlDev) }
        return rights
    }
}
