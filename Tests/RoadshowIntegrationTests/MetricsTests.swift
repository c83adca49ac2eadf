import Foundation
import RoadshowClient
import RoadshowCore
import Testing

/// `/metrics` through the real server: the text is Prometheus exposition
/// format, the names follow its conventions, and the histograms counted what
/// the test did.
@Suite("/metrics exposition")
struct MetricsTests {
    @Test("/metrics parses as Prometheus text after writes, subscriptions and a resume from the store; the histograms count them")
    func expositionAfterTraffic() async throws {
        // More events than the server keeps in memory: a resume from 0 reads pages from the store.
        let seed = try await CatchUpTests.seeded(1_200)
        let server = try TestServer(directory: seed.dir)
        defer { server.stop() }
        let organizer = try await server.connect(token: seed.token)
        let watchers = [try await server.admin(), try await server.connect(token: seed.token)]
        let collectors = watchers.map(EventCollector.init)
        for w in watchers { _ = try await w.call("stream.subscribe", ["stream": .string(seed.meeting)]) }
        let writes = 6
        for i in 0..<writes {
            _ = try await organizer.call("checklist.add", ["meeting": .string(seed.meeting), "text": .string("第\(i)项")])
        }
        for c in collectors {
            let got = await c.wait(for: writes).filter { $0["event"] != nil }.count
            #expect(got >= writes)
        }
        let late = try await server.admin()
        let resumed = try await late.call("stream.subscribe", ["stream": .string(seed.meeting), "since": 0])
        #expect(resumed["seq"]?.intValue == seed.last + Int64(writes))

        let (body, response) = try await HTTP.get(server.httpBase + "/metrics")
        #expect(response.status == 200)
        #expect(response.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(decoding: body, as: UTF8.self)
        let m = try Exposition(parsing: text)

        // Conventions: the prefix, counters in _total, gauges not, histograms in base units.
        #expect(!m.types.isEmpty)
        for (name, type) in m.types {
            #expect(name.hasPrefix("roadshow_"), "\(name)")
            #expect(m.help[name] != nil, "\(name) has no # HELP")
            switch type {
            case "counter": #expect(name.hasSuffix("_total"), "the counter \(name)")
            case "gauge": #expect(!name.hasSuffix("_total"), "the gauge \(name)")
            case "histogram": #expect(!name.hasSuffix("_total") && !name.hasSuffix("_milliseconds"), "the histogram \(name)")
            default: Issue.record("the type \(type) of \(name)")
            }
        }
        #expect(m.types["roadshow_commit_duration_seconds"] == "histogram")
        #expect(m.types["roadshow_transaction_commands"] == "histogram")
        #expect(m.types["roadshow_fanout_duration_seconds"] == "histogram")
        #expect(m.types["roadshow_subscribe_duration_seconds"] == "histogram")

        // What happened: `writes` transactions of one command each, fanned out
        // to two subscribers who got them; three subscribes, one a resume.
        let transactions = try #require(m.value("roadshow_transactions_total"))
        #expect(transactions >= Double(writes))
        #expect(m.value("roadshow_commit_duration_seconds_count") == transactions, "no transaction failed")
        #expect(m.value("roadshow_transaction_commands_count") == transactions)
        #expect(m.value("roadshow_transaction_commands_sum") == m.value("roadshow_commands_committed_total"))
        #expect(m.value("roadshow_commands_committed_total") == Double(writes))
        #expect(m.value("roadshow_fanout_duration_seconds_count") == Double(writes))
        #expect(m.value("roadshow_subscribe_duration_seconds_count") == 3)
        #expect((m.value("roadshow_commit_duration_seconds_sum") ?? 0) > 0)
        #expect((m.value("roadshow_subscribe_duration_seconds_sum") ?? 0) > 0)
        #expect(m.value("roadshow_subscriptions") == 3)
        #expect(m.value("roadshow_connections_open") == 4)
        #expect(m.value("roadshow_frames_written_total").map { $0 >= Double(seed.last) } == true, "the resume's frames")
    }

    /// The Prometheus text exposition format (0.0.4), checked strictly:
    /// comment lines, `# HELP` / `# TYPE` once per family and before its
    /// samples, every sample `name{label="value",…} value` of a declared
    /// family, and each histogram's buckets in order, monotone, ending in
    /// `+Inf` equal to its `_count`, with a `_sum`.
    struct Exposition {
        var types: [String: String] = [:]
        var help: [String: String] = [:]
        /// Unlabelled samples by name, and labelled ones by `name{labels}` as written.
        var samples: [String: Double] = [:]
        var buckets: [String: [(le: Double, count: Double)]] = [:]

        struct Malformed: Error, CustomStringConvertible { let description: String }

        func value(_ name: String) -> Double? { samples[name] }

        init(parsing text: String) throws {
            #expect(text.hasSuffix("\n"), "the exposition ends with a line feed")
            var seen: Set<String> = []
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                let line = String(raw)
                if line.hasPrefix("#") {
                    let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                    guard parts.count >= 3, parts[0] == "#" else { continue }
                    let name = parts[2]
                    guard Self.isMetricName(name) else { throw Malformed(description: "bad name in \(line)") }
                    if parts[1] == "TYPE" {
                        guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                            throw Malformed(description: "bad TYPE line \(line)")
                        }
                        guard types[name] == nil, !seen.contains(name) else { throw Malformed(description: "TYPE of \(name) repeated or after its samples") }
                        types[name] = parts[3]
                    } else if parts[1] == "HELP" {
                        guard help[name] == nil else { throw Malformed(description: "HELP of \(name) repeated") }
                        help[name] = parts.count == 4 ? parts[3] : ""
                    }
                    continue
                }
                guard !line.isEmpty else { throw Malformed(description: "an empty line") }
                let (name, labels, value) = try Self.sample(line)
                let family = Self.family(of: name, types)
                guard let family else { throw Malformed(description: "\(name) has no # TYPE") }
                seen.insert(family)
                let key = labels.isEmpty ? name : "\(name){\(labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ","))}"
                guard samples[key] == nil else { throw Malformed(description: "\(key) twice") }
                samples[key] = value
                if types[family] == "histogram", name == family + "_bucket" {
                    guard let le = labels.first(where: { $0.0 == "le" })?.1, let bound = Self.double(le) else {
                        throw Malformed(description: "a bucket without le: \(line)")
                    }
                    buckets[family, default: []].append((bound, value))
                }
            }
            for (family, type) in types where type == "histogram" {
                let b = buckets[family] ?? []
                guard let last = b.last, last.le == .infinity else { throw Malformed(description: "\(family) has no +Inf bucket") }
                for (x, y) in zip(b, b.dropFirst()) {
                    guard x.le < y.le else { throw Malformed(description: "\(family)'s buckets out of order at le=\(y.le)") }
                    guard x.count <= y.count else { throw Malformed(description: "\(family)'s bucket le=\(y.le) below le=\(x.le)") }
                }
                guard let count = samples[family + "_count"], samples[family + "_sum"] != nil else {
                    throw Malformed(description: "\(family) lacks _count or _sum")
                }
                guard last.count == count else { throw Malformed(description: "\(family): +Inf \(last.count) ≠ _count \(count)") }
            }
        }

        static func isMetricName(_ s: String) -> Bool {
            func letter(_ c: Unicode.Scalar) -> Bool { c == "_" || c == ":" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
            guard let first = s.unicodeScalars.first, letter(first) else { return false }
            return s.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
        }

        static func isLabelName(_ s: String) -> Bool {
            isMetricName(s) && !s.contains(":")
        }

        static func double(_ s: String) -> Double? {
            switch s {
            case "+Inf": .infinity
            case "-Inf": -.infinity
            case "NaN": .nan
            default: Double(s)
            }
        }

        /// `name{a="x",b="y"} value`, label values with `\\`, `\"` and `\n` escapes.
        static func sample(_ line: String) throws -> (String, [(String, String)], Double) {
            let chars = Array(line)
            var i = 0
            while i < chars.count, chars[i] != "{", chars[i] != " " { i += 1 }
            let name = String(chars[0..<i])
            guard isMetricName(name) else { throw Malformed(description: "bad sample name in \(line)") }
            var labels: [(String, String)] = []
            if i < chars.count, chars[i] == "{" {
                i += 1
                while i < chars.count, chars[i] != "}" {
                    var j = i
                    while j < chars.count, chars[j] != "=" { j += 1 }
                    let label = String(chars[i..<j])
                    guard isLabelName(label), j + 1 < chars.count, chars[j + 1] == "\"" else { throw Malformed(description: "bad label in \(line)") }
                    j += 2
                    var value = ""
                    while j < chars.count, chars[j] != "\"" {
                        if chars[j] == "\\", j + 1 < chars.count {
                            j += 1
                            value.append(chars[j] == "n" ? "\n" : chars[j])
                        } else {
                            value.append(chars[j])
                        }
                        j += 1
                    }
                    guard j < chars.count else { throw Malformed(description: "an unclosed label value in \(line)") }
                    labels.append((label, value))
                    j += 1
                    if j < chars.count, chars[j] == "," { j += 1 }
                    i = j
                }
                guard i < chars.count else { throw Malformed(description: "unclosed labels in \(line)") }
                i += 1
            }
            guard i < chars.count, chars[i] == " " else { throw Malformed(description: "no value in \(line)") }
            let rest = String(chars[(i + 1)...]).split(separator: " ")
            guard rest.count == 1 || rest.count == 2, let value = double(String(rest[0])) else {
                throw Malformed(description: "bad value in \(line)")
            }
            if rest.count == 2, Int64(rest[1]) == nil { throw Malformed(description: "bad timestamp in \(line)") }
            return (name, labels, value)
        }

        /// The declared family a sample belongs to: itself, or a histogram's
        /// (summary's) `_bucket`, `_sum`, `_count`.
        static func family(of name: String, _ types: [String: String]) -> String? {
            if types[name] != nil { return name }
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if let t = types[base], t == "histogram" || (t == "summary" && suffix != "_bucket") { return base }
            }
            return nil
        }
    }
}
