import CLibWebSockets

/// libwebsockets logs to stderr by itself (notices at every context start,
/// errors on refused connects). A command-line tool wants its own words there
/// only. The setting is process-wide: it affects a server in the same process too.
public enum LibwebsocketsLog {
    /// Bits of lws's `LLL_*` levels: 1 errors, 2 warnings, 4 notices, ...; 0 silences it.
    public static func setLevel(_ level: Int32) { rs_lws_set_log_level(level) }
}
