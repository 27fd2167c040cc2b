import Foundation
import OtklikTestSupport

/// The `vk` connector's own small fixtures (`Tests/ConnectorTests/Fixtures/vk`) and the
/// shared real recordings, when present.
enum VKFixtures {
    static func data(_ name: String) throws -> Data {
        guard let base = Bundle.module.resourcePath else { throw CocoaError(.fileNoSuchFile) }
        return try Data(contentsOf: URL(fileURLWithPath: base + "/Fixtures/vk/" + name))
    }

    /// A real recording from `../shared/fixtures/vk`, or nil when this checkout has none.
    static func shared(_ name: String) -> Data? {
        guard let dir = TestPaths.sharedFixtures else { return nil }
        return FileManager.default.contents(atPath: dir + "/vk/" + name)
    }
}
