import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// The incident index's SQLite store: versions and post links written in batches, read back
/// on a restart, and a store in the first layout (links keyed by post) converted when opened.
@Suite struct IncidentStoreTests {
    static func incident(_ key: String, at hours: Double = 0) -> Incident {
        IncidentBookCompactTests.incident(key, at: hours, street: "ленина")
    }

    static let facts = IncidentBook.Facts(simhash: 7, anchor: 3, street: "ленина")

    @Test func write_thenLoad_restoresIncidentsAndTheirPostLinks() throws {
        let path = TestPaths.makeTempDir("incident-store") + "/incidents-index.sqlite"
        let (a, b) = (Self.incident("vk:1"), Self.incident("vk:2", at: 1))
        let store = try IncidentStore(path: path)
        try store.write(incidents: [(a, Self.facts), (b, Self.facts)],
                        posts: [(StableHash.fnv1a64("vk:1"), a.id), (StableHash.fnv1a64("vk:3"), a.id), (StableHash.fnv1a64("vk:2"), b.id)])
        let book = IncidentBook()
        try IncidentStore(path: path).load(into: book, retention: .seconds(86400 * 30))
        #expect(book.incident(id: a.id) == a && book.incident(id: b.id) == b)
        #expect(book.incident(containing: "vk:3")?.id == a.id)
        #expect(book.incident(containing: "vk:2")?.id == b.id)
        #expect(try IncidentStore(readingFrom: path).fetchPart(id: a.id) == IncidentStoredPart(a))
    }

    @Test func load_whenAPostWasLinkedTwice_keepsItsNewestLink() throws {
        let path = TestPaths.makeTempDir("incident-store") + "/incidents-index.sqlite"
        let (a, b) = (Self.incident("vk:1"), Self.incident("vk:2", at: 1))
        let store = try IncidentStore(path: path)
        try store.write(incidents: [(a, Self.facts), (b, Self.facts)], posts: [(StableHash.fnv1a64("vk:9"), a.id)])
        try store.write(incidents: [], posts: [(StableHash.fnv1a64("vk:9"), b.id)])
        let book = IncidentBook()
        try IncidentStore(path: path).load(into: book, retention: .seconds(86400 * 30))
        #expect(book.incident(containing: "vk:9")?.id == b.id)

        // The newest link's incident is gone: the post is not linked to the older one either.
        try store.prune(lastSeenBefore: a.lastSeen.addingTimeInterval(1800))
        try store.write(incidents: [(b, Self.facts)], posts: [(StableHash.fnv1a64("vk:8"), b.id), (StableHash.fnv1a64("vk:8"), a.id)])
        let after = IncidentBook()
        try IncidentStore(path: path).load(into: after, retention: .seconds(86400 * 30))
        #expect(after.incident(id: a.id) == nil && after.incident(id: b.id) == b)
        #expect(after.incident(containing: "vk:8") == nil)
        #expect(after.incident(containing: "vk:9")?.id == b.id)
    }

    @Test func prune_removesOldIncidentsAndTheirLinks() throws {
        let path = TestPaths.makeTempDir("incident-store") + "/incidents-index.sqlite"
        let (a, b) = (Self.incident("vk:1"), Self.incident("vk:2", at: 2))
        let store = try IncidentStore(path: path)
        try store.write(incidents: [(a, Self.facts), (b, Self.facts)],
                        posts: [(StableHash.fnv1a64("vk:1"), a.id), (StableHash.fnv1a64("vk:2"), b.id)])
        try store.prune(lastSeenBefore: a.lastSeen.addingTimeInterval(3600))
        let db = try SQLiteDatabase(path: path, readOnly: true)
        #expect(try db.query("SELECT incident_id FROM incident_posts") == [[.text(b.id)]])
        #expect(try db.query("SELECT id FROM incidents") == [[.text(b.id)]])
    }

    /// The first layout keyed links by the post's hash, with an index by incident: opening it
    /// keeps every link, in a log without either key, and an older otklik's index is dropped again.
    @Test func open_whenTheStoreHasTheKeyedLinkLayout_convertsItAndKeepsEveryLink() throws {
        let path = TestPaths.makeTempDir("incident-store") + "/incidents-index.sqlite"
        let a = Self.incident("vk:1")
        do {
            let old = try SQLiteDatabase(path: path)
            try old.executeScript("""
                CREATE TABLE incidents (
                    id TEXT PRIMARY KEY, last_seen REAL NOT NULL, simhash INTEGER NOT NULL, anchor INTEGER NOT NULL,
                    street TEXT, json TEXT NOT NULL);
                CREATE INDEX incidents_last_seen ON incidents(last_seen);
                CREATE TABLE incident_posts (key_hash INTEGER PRIMARY KEY, incident_id TEXT NOT NULL);
                CREATE INDEX incident_posts_incident ON incident_posts(incident_id);
                """)
            try old.execute("INSERT INTO incidents VALUES (?, ?, 7, 3, 'ленина', ?)",
                            [.text(a.id), .double(a.lastSeen.timeIntervalSince1970), .text(IncidentJSON.string(a))])
            for key in ["vk:1", "vk:5", "tg:c/1"] {
                try old.execute("INSERT INTO incident_posts VALUES (?, ?)", [.int(Int64(bitPattern: StableHash.fnv1a64(key))), .text(a.id)])
            }
        }
        let book = IncidentBook()
        try IncidentStore(path: path).load(into: book, retention: .seconds(86400 * 30))
        #expect(book.incident(id: a.id) == a)
        for key in ["vk:1", "vk:5", "tg:c/1"] { #expect(book.incident(containing: key)?.id == a.id, "\(key)") }

        let db = try SQLiteDatabase(path: path)
        let sql = try db.query("SELECT sql FROM sqlite_schema WHERE name = 'incident_posts'").first?.first?.text ?? ""
        #expect(!sql.uppercased().contains("PRIMARY KEY"))
        #expect(try db.query("SELECT count(*) FROM incident_posts") == [[.int(3)]])
        // An older otklik opening the store again adds its index back; the next open drops it.
        try db.execute("CREATE INDEX IF NOT EXISTS incident_posts_incident ON incident_posts(incident_id)")
        _ = try IncidentStore(path: path)
        #expect(try db.query("SELECT count(*) FROM sqlite_schema WHERE name = 'incident_posts_incident'") == [[.int(0)]])
    }
}
