import ArgumentParser
import Foundation
import RoadshowCore

/// `--docx FILE` and `--lang zh|en` of the document commands (`minutes export`,
/// `followup report`, `report monthly`): the language of the document, and a
/// Word file written instead of the Markdown.
struct DocumentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the document as a Word file (.docx; opens in Word and WPS).", valueName: "file"))
    var docx: String?

    @Option(name: .customLong("lang"), help: ArgumentHelp("The document's language: zh (default) or en.", valueName: "zh|en"))
    var givenLang: String?

    /// The document's language.
    var lang: String { givenLang ?? "zh" }

    func validate() throws {
        guard Document.Language(rawValue: lang) != nil else { throw ValidationError("--lang is zh or en (got \"\(lang)\")") }
        // A command asked for in one language tells its errors in it too
        // (only when asked: the document's default is not the reader's).
        if let givenLang { Output.language = givenLang }
    }

    /// The op's `format` and `lang` args.
    var args: [String: JSON] {
        ["lang": .string(lang), "format": docx == nil ? "markdown" : "docx"]
    }

    /// Writes the `.docx` of a `format: "docx"` result to `--docx`; the byte count.
    func writeDocx(_ result: JSON) throws -> Int {
        guard let path = docx else { return 0 }
        guard let text = result["base64"]?.stringValue, let data = Data(base64Encoded: text) else {
            throw LiveFormat.CannotWrite(path: path, reason: "the server sent no Word document")
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LiveFormat.CannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
        return data.count
    }

    /// When `--docx` was given: writes the file and says so (or prints the
    /// result as JSON, without the file's content); false when it was not.
    func finishDocx(_ result: JSON, json: Bool, what: String) throws -> Bool {
        guard let path = docx else { return false }
        let bytes = try writeDocx(result)
        if json { Output.printJSON(Self.withoutContent(result)) } else { print("Wrote \(what) to \(path) (Word, \(bytes) bytes)") }
        return true
    }

    /// The result as --json prints it: without the file's base64, which went to the file.
    static func withoutContent(_ result: JSON) -> JSON {
        guard case .object(var o) = result else { return result }
        o.removeValue(forKey: "base64")
        return .object(o)
    }
}
