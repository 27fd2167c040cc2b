import Foundation

/// The parts of the Telegram Bot API (`getUpdates`) the connector reads.
/// Decoded with `convertFromSnakeCase`; everything optional that the API may omit.
enum BotAPI {
    struct Response<T: Decodable>: Decodable {
        var ok: Bool
        var result: T?
        var description: String?
        var errorCode: Int?
        var parameters: Parameters?
    }

    struct Parameters: Decodable {
        var retryAfter: Int?
        var migrateToChatId: Int64?
    }

    struct Update: Decodable {
        var updateId: Int64
        var message: Message?
        var editedMessage: Message?
        var channelPost: Message?
        var editedChannelPost: Message?

        /// The message carried and whether it is an edit.
        var carried: (message: Message, isEdit: Bool)? {
            if let m = message ?? channelPost { return (m, false) }
            if let m = editedMessage ?? editedChannelPost { return (m, true) }
            return nil
        }
    }

    final class Message: Decodable, Sendable {
        let messageId: Int64
        let date: Int64
        let editDate: Int64?
        let chat: Chat
        let from: User?
        let senderChat: Chat?
        let authorSignature: String?
        let text: String?
        let caption: String?
        let location: Location?
        let venue: Venue?
        let photo: [PhotoSize]?
        let video: FileRef?
        let videoNote: FileRef?
        let voice: FileRef?
        let audio: FileRef?
        let document: FileRef?
        let sticker: FileRef?
        let poll: Poll?
        let forwardOrigin: ForwardOrigin?
        let forwardFromChat: Chat?
        let forwardFromMessageId: Int64?
        let forwardFrom: User?
        let forwardSenderName: String?
        let replyToMessage: Message?
    }

    struct Chat: Decodable, Sendable {
        var id: Int64
        var type: String?
        var title: String?
        var username: String?
        var firstName: String?
        var lastName: String?
    }

    struct User: Decodable, Sendable {
        var id: Int64
        var isBot: Bool?
        var firstName: String?
        var lastName: String?
        var username: String?

        var displayName: String? {
            let n = [firstName, lastName].compactMap { $0 }.joined(separator: " ")
            return n.isEmpty ? username : n
        }
    }

    struct Location: Decodable, Sendable { var latitude: Double; var longitude: Double }
    struct Venue: Decodable, Sendable { var location: Location; var title: String?; var address: String? }
    struct PhotoSize: Decodable, Sendable { var fileId: String? }
    struct FileRef: Decodable, Sendable { var fileName: String?; var title: String?; var emoji: String? }
    struct Poll: Decodable, Sendable {
        var question: String
        var options: [PollOption]?
    }
    struct PollOption: Decodable, Sendable { var text: String }

    /// `forward_origin` (Bot API 7.0+): `user`, `hidden_user`, `chat` or `channel`.
    struct ForwardOrigin: Decodable, Sendable {
        var type: String
        var date: Int64?
        var senderUser: User?
        var senderUserName: String?
        var senderChat: Chat?
        var chat: Chat?
        var messageId: Int64?
        var authorSignature: String?
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}
