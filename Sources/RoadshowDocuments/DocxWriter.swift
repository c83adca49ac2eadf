import Foundation
import RoadshowCore
import ZIPFoundation

/// Writes a `Document` as a `.docx` (Office Open XML, WordprocessingML) that
/// Word, WPS and LibreOffice open: the package is built in memory with
/// ZIPFoundation (no temporary files), its parts deflated.
public struct DocxWriter: DocxEncoding {
    public init() {}

    /// The parts, in the order they are stored ([Content_Types].xml first, as
    /// some readers expect).
    public func parts(_ doc: Document) -> [(path: String, xml: String)] {
        let type = Typography(doc.language)
        return [
            ("[Content_Types].xml", PackageParts.contentTypes),
            ("_rels/.rels", PackageParts.rootRels),
            ("word/document.xml", WordBody(doc).xml),
            ("word/_rels/document.xml.rels", PackageParts.documentRels),
            ("word/styles.xml", PackageParts.styles(type)),
            ("word/settings.xml", PackageParts.settings(type)),
            ("word/fontTable.xml", PackageParts.fontTable),
            ("word/footer1.xml", PackageParts.footer),
            ("docProps/core.xml", PackageParts.core(doc)),
            ("docProps/app.xml", PackageParts.app),
        ]
    }

    /// A fixed modification time for every entry (1980-01-01, the zip epoch),
    /// so the same document gives the same bytes.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)

    public func docx(_ doc: Document) throws(RoadshowError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for part in parts(doc) {
                let data = Data(part.xml.utf8)
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.entryDate,
                    compressionMethod: .deflate
                ) { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                }
            }
            guard let bytes = archive.data else { throw RoadshowError(.internal, "the Word document could not be assembled") }
            return [UInt8](bytes)
        } catch let e as RoadshowError {
            throw e
        } catch {
            throw RoadshowError(.internal, "the Word document could not be written: \(error)")
        }
    }
}
