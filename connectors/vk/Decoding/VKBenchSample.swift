import Foundation

extension VKDecoder {
    /// A synthetic `wall.get` body of `posts` community posts shaped like real ones (Russian
    /// text, counters, a photo with its size list, a link, geo on some), for `otklik bench`.
    public static func benchSample(posts: Int) -> Data {
        var items: [String] = []
        items.reserveCapacity(posts)
        for i in 0..<posts {
            let id = 1_000_000 - i
            let sizes = ["s", "m", "x", "y", "z"].map {
                #"{"type":"\#($0)","url":"https://sun9-1.userapi.com/impg/\#(id)/\#($0).jpg","width":604,"height":453}"#
            }.joined(separator: ",")
            let geo = i % 5 == 0 ? #","geo":{"type":"point","coordinates":"47.2\#(i % 10) 39.7\#(i % 7)"}"# : ""
            items.append(#"""
            {"id":\#(id),"owner_id":-100,"from_id":\#(1000 + i),"date":\#(1_700_000_000 - i * 60),"marked_as_ads":0,\#
            "post_type":"post","text":"Жители дома \#(i) по улице Садовой третий день без горячей воды, \#
            управляющая компания не отвечает на звонки. Просим разобраться!","is_pinned":0,\#
            "attachments":[{"type":"photo","photo":{"id":\#(id),"owner_id":-100,"sizes":[\#(sizes)]}},\#
            {"type":"link","link":{"url":"https://example.org/\#(id)","title":"Новость \#(i)"}}],\#
            "comments":{"count":\#(i % 7),"can_post":1},"likes":{"count":\#(i % 13)},"reposts":{"count":0},\#
            "views":{"count":\#(100 + i)},"post_source":{"type":"api"}\#(geo)}
            """#)
        }
        let body = #"{"response":{"count":\#(posts),"items":["# + items.joined(separator: ",") + "]}}"
        return Data(body.utf8)
    }
}
