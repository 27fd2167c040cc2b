import Foundation

/// A tiny gzip (RFC 1952) encoder using stored (uncompressed) deflate blocks.
///
/// The output is valid gzip that zlib (and so libcurl) decodes; it does not compress.
/// That is all tests need to exercise `Content-Encoding: gzip`, and it works offline
/// with no library.
public enum Gzip {
    public static func encode(_ data: Data) -> Data {
        var out = Data([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let n = min(65_535, bytes.count - offset)
            let final: UInt8 = offset + n == bytes.count ? 1 : 0
            out.append(final)
            out.append(contentsOf: le16(UInt16(n)))
            out.append(contentsOf: le16(~UInt16(n)))
            out.append(contentsOf: bytes[offset..<offset + n])
            offset += n
        } while offset < bytes.count
        out.append(contentsOf: le32(crc32(bytes)))
        out.append(contentsOf: le32(UInt32(truncatingIfNeeded: bytes.count)))
        return out
    }

    /// CRC-32 (IEEE, reflected), as gzip's trailer needs.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    private static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xff) } }
}
