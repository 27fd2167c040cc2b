import Foundation
import OtklikCore
import VKConnector

/// libFuzzer entry: arbitrary bytes as a VK API body, through every decoder the source uses
/// and the post mapper. Decoders may throw; they must never trap, and every mapped `Post`
/// must encode as a JSON line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVK(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    let mapper = VKPostMapper(sourceID: "fuzz")
    if let page = try? VKDecoder.decodeWall(data: body) {
        for p in page.items { check(mapper.map(p, names: page.names)) }
    }
    if let page = try? VKDecoder.decodeComments(data: body) {
        for c in page.items { mapper.map(comment: c, owner: -1, postID: 1, names: page.names).forEach(encode) }
    }
    if let page = try? VKDecoder.decodeSearch(data: body) {
        for p in page.items { check(mapper.map(p, names: page.names)) }
    }
    _ = try? VKDecoder.decodeGroups(data: body)
    _ = try? VKDecoder.decodeResolvedOwner(data: body)
    if let results = try? VKDecoder.decodeExecute(data: body, calls: 3), results.count != 3 {
        fatalError("execute with 3 calls gave \(results.count) results")
    }
    return 0
}

private func check(_ r: Result<Post, VKPostMapper.DropReason>) {
    if case .success(let post) = r { encode(post) }
}

private func encode(_ post: Post) {
    guard (try? OtklikJSON.line(post)) != nil else { fatalError("mapped post \(post.postID) does not encode") }
}
