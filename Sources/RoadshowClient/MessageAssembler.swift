/// Puts a WebSocket message back together from the pieces lws hands over
/// (at most the protocol's rx buffer size each, fragments of fragmented
/// messages), refusing any message over `limit` bytes.
struct MessageAssembler {
    enum Outcome: Equatable {
        /// More pieces are to come.
        case partial
        /// A whole message.
        case message([UInt8], binary: Bool)
        /// The message grew past the limit; what was collected is dropped.
        case tooLarge
    }

    let limit: Int
    private var buffer: [UInt8] = []
    private var inMessage = false
    private var binary = false
    private var discarding = false

    init(limit: Int) { self.limit = limit }

    /// Adds one piece. `binary` is read from the first piece of a message;
    /// `final` is true on the last piece of the last fragment.
    mutating func append(_ piece: UnsafeRawBufferPointer, binary: Bool, final: Bool) -> Outcome {
        if !inMessage {
            inMessage = true
            self.binary = binary
            buffer.removeAll(keepingCapacity: buffer.capacity <= 256 * 1024)
        }
        if discarding || buffer.count + piece.count > limit {
            discarding = true
            buffer.removeAll()
            if final { inMessage = false; discarding = false }
            return .tooLarge
        }
        buffer.append(contentsOf: piece)
        guard final else { return .partial }
        inMessage = false
        let message = buffer
        buffer.removeAll(keepingCapacity: buffer.capacity <= 256 * 1024)
        return .message(message, binary: self.binary)
    }
}
