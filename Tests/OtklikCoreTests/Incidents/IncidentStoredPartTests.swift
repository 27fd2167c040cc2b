import Foundation
import Testing
@testable import OtklikCore

@Suite struct IncidentStoredPartTests {
    static func viaDecoder(_ json: String) -> IncidentStoredPart? {
        (try? OtklikJSON.decoder().decode(Incident.self, from: Data(json.utf8))).map(IncidentStoredPart.init)
    }

    @Test func read_ofWhatIncidentJSONWrites_isTheIncidentsPart_andWhatJSONDecoderGives() throws {
        for incident in IncidentJSONTests.incidents(200) {
            var json = IncidentJSON.string(incident)
            let part = json.withUTF8 { IncidentStoredPart.read($0) }
            #expect(part == IncidentStoredPart(incident), "\(incident.id)")
            if let decoded = Self.viaDecoder(json) { #expect(part == decoded, "\(incident.id)") }
            #expect(try IncidentStoredPart.decode(json: json) == IncidentStoredPart(incident))
        }
    }

    @Test func read_ofAnOlderVersionWithoutRelatedCount_countsTheRelatedPosts() throws {
        let json = #"{"category":"roads","deadline":"2026-11-02T00:00:00Z","first_seen":"2026-11-01T00:00:00Z","id":"i1","last_seen":"2026-11-01T00:00:00Z","opened_by":"vk:1","related_posts":["vk:2","vk:3"],"rules":[],"score":3,"severity":"medium","source_id":"s","status":"new","text":"Яма"}"#
        let part = try IncidentStoredPart.decode(json: json)
        #expect(part.relatedCount == 2 && part.relatedPosts == ["vk:2", "vk:3"] && part.text == "Яма")
        #expect(part == Self.viaDecoder(json))
    }

    @Test func decode_ofUnusualJSON_goesThroughJSONDecoder() throws {
        let base = IncidentJSON.string(IncidentJSONTests.incidents(1)[0])
        // A duplicate key and a number where a string belongs: the hand reader declines both.
        let duplicate = base.replacingOccurrences(of: #""text":"#, with: #""text":"x","text":"#)
        var d = duplicate
        #expect(d.withUTF8 { IncidentStoredPart.read($0) } == nil)
        #expect((try? IncidentStoredPart.decode(json: duplicate)) == Self.viaDecoder(duplicate))
        let wrongType = base.replacingOccurrences(of: #""opened_by":""#, with: #""opened_by":5,"x":""#)
        var w = wrongType
        #expect(w.withUTF8 { IncidentStoredPart.read($0) } == nil)
        #expect(throws: (any Error).self) { try IncidentStoredPart.decode(json: wrongType) }
        #expect(throws: (any Error).self) { try IncidentStoredPart.decode(json: "{") }
    }
}
