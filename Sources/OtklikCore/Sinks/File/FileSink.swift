import Foundation

/// `type: file`: incidents as JSON lines appended to a file, rotated by size or by day.
///
/// Each batch is appended with one `write` (straight to the kernel, so it survives `kill -9`);
/// `fsync` runs at most every `fsync_interval` (`0s`: after every batch) and on close. A line
/// torn by a crash is closed with a newline on the next start. Files are 0600, folders 0700.
/// Runs on its own queue: disk waits never block the cooperative pool.
public actor FileSink: Sink {
    public struct Settings: Sendable {
        public var path: String
        public var fsyncInterval: Duration
        public var rotation: FileRotation
        public init(path: String, fsyncInterval: Duration = .seconds(1), rotation: FileRotation = FileRotation()) {
            self.path = path; self.fsyncInterval = fsyncInterval; self.rotation = rotation
        }
    }

    public nonisolated let name: String
    public nonisolated let settings: Settings
    private nonisolated let executor = DispatchQueueExecutor(label: "otklik.sink.file")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let now: @Sendable () -> Date
    private var file: AppendFile?
    private var segmentDay = 0
    private var unsynced = false
    private var lastSync = ContinuousClock.now

    /// `now` is the wall clock except in tests of daily rotation.
    public init(name: String, settings: Settings, now: @escaping @Sendable () -> Date = { Date() }) {
        self.name = name; self.settings = settings; self.now = now
    }

    public func write(_ batch: [Incident]) throws { try write(outgoing: batch.map(OutgoingIncident.init)) }

    public func write(outgoing batch: [OutgoingIncident]) throws {
        guard !batch.isEmpty else { return }
        let data = batch.jsonLines()
        let file = try openFile()
        if settings.rotation.shouldRotate(size: file.size, incoming: data.count, segmentDay: segmentDay, now: now()) {
            try rotate(file)
        }
        try self.file!.append(data)
        unsynced = true
    }

    public func flush() throws {
        guard unsynced, let file else { return }
        if settings.fsyncInterval > .zero, lastSync.duration(to: .now) < settings.fsyncInterval { return }
        try file.sync()
        unsynced = false
        lastSync = .now
    }

    public func close() {
        if unsynced { try? file?.sync() }
        file?.close()
        file = nil
        unsynced = false
    }

    private func openFile() throws -> AppendFile {
        if let file {
            if file.isStillAtPath { return file }
            // Deleted, moved or replaced under us (an operator, logrotate): reopen the path, so
            // nothing goes to an unlinked file; if it cannot be created the batch is retried.
            file.close()
            self.file = nil
            unsynced = false
        }
        let f = try AppendFile(path: settings.path)
        let modified = (try? FileManager.default.attributesOfItem(atPath: settings.path)[.modificationDate]) as? Date
        segmentDay = FileRotation.day(f.size > 0 ? modified ?? now() : now())
        file = f
        return f
    }

    private func rotate(_ current: AppendFile) throws {
        try current.sync()
        current.close()
        file = nil
        let dir = (settings.path as NSString).deletingLastPathComponent
        let base = (settings.path as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
        let target = settings.rotation.rotatedName(base: base, now: now(), existing: Set(names))
        let targetPath = dir.isEmpty ? target : dir + "/" + target
        if rename(settings.path, targetPath) != 0 { throw AppendFile.error("cannot rotate", settings.path) }
        for old in settings.rotation.expired(base: base, names: names + [target]) {
            try? FileManager.default.removeItem(atPath: dir.isEmpty ? old : dir + "/" + old)
        }
        file = try AppendFile(path: settings.path)
        segmentDay = FileRotation.day(now())
    }
}
