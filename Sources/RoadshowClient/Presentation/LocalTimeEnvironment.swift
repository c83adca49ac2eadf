import Foundation
import RoadshowCore

/// The CLI's zone: `ROADSHOW_TZ`, or Asia/Shanghai.
extension LocalTime {
    public enum ZoneError: Error, CustomStringConvertible {
        case unknown(String)
        public var description: String {
            switch self {
            case .unknown(let name):
                return "ROADSHOW_TZ=\(name) is not a time zone; use an IANA name such as Asia/Shanghai or UTC"
            }
        }
    }

    /// The zone from `ROADSHOW_TZ`, or Asia/Shanghai.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> LocalTime
    {
        let name = environment["ROADSHOW_TZ"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultZone
        guard let local = LocalTime(identifier: name) else { throw ZoneError.unknown(name) }
        return local
    }
}
