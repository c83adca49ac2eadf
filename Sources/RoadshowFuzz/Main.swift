import CLibFuzzer
import Foundation

/// The in-process fuzzer (`make fuzz`; docs/reliability.md, point 8).
///
/// Built with `-sanitize=fuzzer,address -DROADSHOW_FUZZING` it is a libFuzzer
/// binary: `roadshow-fuzz [libFuzzer flags] CORPUS_DIR…`, or a crash file to
/// run it once. Built normally (`swift build`) it runs the inputs it is given
/// once each, without coverage or sanitizer: `roadshow-fuzz FILE|DIR…`
/// (`-v` prints every message and reply; `ROADSHOW_FUZZ_TIMING=1` the time
/// each input took to set up, run and check). Either way each input is one
/// `Run` on a fresh copy of the `World`.
@main
enum FuzzMain {
    static func main() {
        #if ROADSHOW_FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in roadshowFuzzOneInput(data, size) })
        #else
        var verbose = ProcessInfo.processInfo.environment["ROADSHOW_FUZZ_VERBOSE"] == "1"
        var files: [String] = []
        for arg in CommandLine.arguments.dropFirst() {
            if arg == "-v" { verbose = true; continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: arg, isDirectory: &isDirectory) else {
                print("roadshow-fuzz: no such file or directory: \(arg)")
                exit(2)
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: arg)) ?? []
                files += names.filter { !$0.hasPrefix(".") }.sorted().map { arg + "/" + $0 }
            } else {
                files.append(arg)
            }
        }
        if files.isEmpty {
            print("usage: roadshow-fuzz [-v] FILE|DIR…  (runs each input once; `make fuzz` builds the libFuzzer binary)")
            exit(2)
        }
        let started = Date()
        var messages = 0
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            if verbose { print("== \(file)") }
            messages += Run.run(Array(data), world: fuzzWorld, verbose: verbose)
        }
        print(String(format: "roadshow-fuzz: %d inputs, %d messages, no finding (%.1f s)", files.count, messages, Date().timeIntervalSince(started)))
        #endif
    }
}

/// Made on first use, once per process.
let fuzzWorld: World = {
    do { return try World() } catch { fatalError("fuzz: cannot make the world: \(error)") }
}()

/// libFuzzer's entry point: one input, one `Run`.
@_cdecl("LLVMFuzzerTestOneInput")
public func roadshowFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = Run.run(bytes, world: fuzzWorld, verbose: ProcessInfo.processInfo.environment["ROADSHOW_FUZZ_VERBOSE"] == "1")
    return 0
}
