import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// The real `vk` connector in the daemon against `FakeVKAPI` answering a storm of VK's own
/// errors (1 and 10: internal errors, 6: too many requests): the daemon keeps running and every
/// wall post arrives exactly once when the API recovers.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct VKSourceFaultTests {
    static func text(_ id: Int64) -> String { "Во дворе дома \(id) глубокая яма, машины бьют колёса" }

    @Test func vkSource_throughInternalErrorStorm_deliversEveryWallPostOnce() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        let api = try FakeVKAPI(token: "vk-fault-\(UUID().uuidString)")
        defer { api.server.stop() }
        for owner: Int64 in [-301, -302] { api.post(owner, count: 4, text: Self.text) }
        try FaultConfig.write(dir, source: "{id: vkw, connector: vk, communities: [-301, -302], base_url: \"\(api.baseURL)\", page_size: 10, min_interval: 200ms, max_interval: 1s}",
                              sink: "{type: file, path: out/incidents.jsonl, batch_interval: 20ms}")
        let output = dir + "/out/incidents.jsonl"
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir, environment: ["VK_TOKEN": api.token])
        #expect(await eventually(.seconds(60)) { IncidentIDs.inFile(output).count == 8 }, "\(daemon.stderr.suffix(3000))")

        for method in ["execute", "wall.get"] { api.script(method, errors: [10, 1, 10, 10, 6, 10, 1]) }
        for owner: Int64 in [-301, -302] { api.post(owner, count: 3, text: Self.text) }
        #expect(await eventually(.seconds(90)) { IncidentIDs.inFile(output).count >= 14 }, "\(daemon.stderr.suffix(3000))")
        #expect(daemon.isRunning)
        #expect(daemon.stderr.contains("VK error 10"), "no line names the fault: \(daemon.stderr.suffix(3000))")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let ids = IncidentIDs.inFile(output)
        #expect(ids.count == 14, "\(ids.count) lines, \(Set(ids).count) distinct")
        #expect(Set(ids).count == 14)
        let warnings = daemon.stderr.split(separator: "\n").filter { $0.contains("level=warning") || $0.contains("level=error") }
        #expect(warnings.count <= 20, "\(warnings.count) warning lines for 14 errors: \(warnings.joined(separator: "\n"))")
    }
}
