import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// Lists that grow without bound come a page at a time (issue 10, point 1):
/// `limit` rows from `cursor`, `next` while more follow; the client's
/// `callAllPages` (the CLI's lists) and the page's `callAll` follow it.
@Suite("Paged lists")
struct PagingTests {
    @Test("meeting.list in pages of 3: every meeting once, in order; bad limits and cursors named")
    func meetingPages() async throws {
        let server = try TestServer()
        let token = try await server.organizerToken()
        let org = try await server.connect(token: token)
        var made: [String] = []
        for _ in 0..<7 { made.append(try await server.createMeeting(org)) }
        let whole = try await org.call("meeting.list")
        #expect(whole["next"] == nil, "seven fit in the default page")
        let order = whole["meetings"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(Set(order) == Set(made))

        var seen: [String] = []
        var cursor: String? = nil
        var pages = 0
        repeat {
            var args: [String: JSON] = ["limit": 3]
            if let cursor { args["cursor"] = .string(cursor) }
            let page = try await org.call("meeting.list", .object(args))
            let ids = page["meetings"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.count <= 3)
            seen += ids
            cursor = page["next"]?.stringValue
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == order, "every meeting once, in the list's order")

        for (args, field) in [(["limit": JSON.int(0)], "args.limit"), (["limit": 501], "args.limit"), (["cursor": "abc"], "args.cursor"), (["cursor": "-1"], "args.cursor")] {
            let r = try await org.callRaw("meeting.list", .object(args))
            #expect(r["error"]?["code"]?.stringValue == "bad_request", "\(args)")
            #expect(r["error"]?["field"]?.stringValue == field, "\(args)")
            #expect(r["error"]?["text"]?["zh"]?.stringValue?.isEmpty == false)
        }
        let past = try await org.call("meeting.list", ["cursor": "99"])
        #expect(past["meetings"]?.arrayValue?.isEmpty == true && past["next"] == nil, "a cursor past the end is an empty last page")

        let session = RoadshowSession(url: server.url, token: token)
        let all = try await session.callAllPages("meeting.list", ["limit": 2], rows: "meetings")
        #expect(all["meetings"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == order)
        #expect(all["next"] == nil)
        await session.close()
    }
}
