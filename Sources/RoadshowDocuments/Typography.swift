import RoadshowCore

/// The page and the type of a document, by language. Chinese follows the
/// official layout (GB/T 9704-2012): A4, margins top 37 mm, bottom 35 mm,
/// left 28 mm, right 26 mm; body 仿宋 三号 (16 pt) on a 28.95 pt line;
/// level-1 headings 黑体, level-2 楷体; the title 黑体 二号 (22 pt), centred;
/// page numbers "— 1 —" in 宋体 四号 at the foot. English uses Times New Roman
/// for the text and Arial for headings, on the same page.
struct Typography {
    struct Font {
        let ascii: String
        let eastAsia: String
        /// Half-points (w:sz): 32 is 16 pt.
        let size: Int
    }

    // The page, in twentieths of a point (1 mm = 56.693 twips).
    static let pageWidth = 11906, pageHeight = 16838
    static let marginTop = 2098, marginBottom = 1984, marginLeft = 1587, marginRight = 1474
    static let headerDistance = 851, footerDistance = 1587
    static var textWidth: Int { pageWidth - marginLeft - marginRight }

    let body: Font
    let table: Font
    let title: Font
    let subtitle: Font
    let heading1: Font
    let heading2: Font
    let footer: Font
    /// Exact line pitch of the body, in twips (0: single spacing, for English).
    let bodyLine: Int
    /// First-line indent of prose: two characters of the body.
    let indent: Int
    let language: String
    /// Body paragraphs justified (Chinese prose) or left-aligned (English, where
    /// justifying lines with long Chinese names stretches the spaces).
    let alignment: String

    init(_ lang: Document.Language) {
        switch lang {
        case .zh:
            body = Font(ascii: "Times New Roman", eastAsia: "仿宋", size: 32)
            table = Font(ascii: "Times New Roman", eastAsia: "仿宋", size: 24)
            title = Font(ascii: "Times New Roman", eastAsia: "黑体", size: 44)
            subtitle = Font(ascii: "Times New Roman", eastAsia: "仿宋", size: 32)
            heading1 = Font(ascii: "Times New Roman", eastAsia: "黑体", size: 32)
            heading2 = Font(ascii: "Times New Roman", eastAsia: "楷体", size: 32)
            footer = Font(ascii: "Times New Roman", eastAsia: "宋体", size: 28)
            bodyLine = 579
            indent = 640
            language = "zh-CN"
            alignment = "both"
        case .en:
            body = Font(ascii: "Times New Roman", eastAsia: "宋体", size: 24)
            table = Font(ascii: "Times New Roman", eastAsia: "宋体", size: 21)
            title = Font(ascii: "Arial", eastAsia: "黑体", size: 36)
            subtitle = Font(ascii: "Times New Roman", eastAsia: "宋体", size: 24)
            heading1 = Font(ascii: "Arial", eastAsia: "黑体", size: 28)
            heading2 = Font(ascii: "Arial", eastAsia: "黑体", size: 24)
            footer = Font(ascii: "Times New Roman", eastAsia: "宋体", size: 21)
            bodyLine = 0
            indent = 0
            language = "en-GB"
            alignment = "left"
        }
    }

    /// The fonts named anywhere, for word/fontTable.xml (with their Latin names as altName).
    static let fontTable: [(name: String, alt: String?, family: String, charset: String)] = [
        ("Times New Roman", nil, "roman", "00"),
        ("Arial", nil, "swiss", "00"),
        ("仿宋", "FangSong", "modern", "86"),
        ("黑体", "SimHei", "modern", "86"),
        ("楷体", "KaiTi", "modern", "86"),
        ("宋体", "SimSun", "auto", "86"),
    ]
}
