/// A JSON value with ordered object keys, so output keeps the documented field order
/// (`success`, `pattern`, `error`) byte for byte on every run. Foundation's encoder can only sort keys.
public indirect enum JSONValue: Hashable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case integer(Int64)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])
  /// JSON text that is already serialized (compact), written verbatim: a worker process's answer passed on.
  case raw(String)

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }
  public func hash(into h: inout Hasher) { h.combine(serialized()) }

  /// Compact (`pretty: false`) or indented with two spaces.
  public func serialized(pretty: Bool = false) -> String {
    var out = ""
    write(to: &out, pretty: pretty, indent: 0)
    return out
  }

  private func write(to out: inout String, pretty: Bool, indent: Int) {
    let nl = pretty ? "\n" : ""
    let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
    let closePad = pretty ? String(repeating: "  ", count: indent) : ""
    switch self {
    case .null: out += "null"
    case .raw(let text): out += text
    case .bool(let b): out += b ? "true" : "false"
    case .integer(let i): out += String(i)
    case .number(let x):
      if !x.isFinite {
        out += "null"
      } else if x == x.rounded(), abs(x) < 1e15 {
        out += String(Int64(x))
      } else {
        out += "\(x)"
      }
    case .string(let s): JSONValue.writeString(s, to: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "[" + nl
      for (i, item) in items.enumerated() {
        out += pad
        item.write(to: &out, pretty: pretty, indent: indent + 1)
        out += (i < items.count - 1 ? "," : "") + nl
      }
      out += closePad + "]"
    case .object(let fields):
      if fields.isEmpty {
        out += "{}"
        return
      }
      out += "{" + nl
      for (i, (key, value)) in fields.enumerated() {
        out += pad
        JSONValue.writeString(key, to: &out)
        out += pretty ? ": " : ":"
        value.write(to: &out, pretty: pretty, indent: indent + 1)
        out += (i < fields.count - 1 ? "," : "") + nl
      }
      out += closePad + "}"
    }
  }

  private static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}
