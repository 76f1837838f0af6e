import PatternLanguage

/// The sounds of a render: one `Patch` per instrument identity the score may use.
package typealias PatchBank = [InstrumentID: Patch]
