extension MixGraph {
  /// A rough cost per frame of an effect chain (measured on W3's effects, in units of one biquad section), for
  /// `plan`.
  static func cost(_ chain: [EffectSlot]) -> Double {
    chain.reduce(1) { sum, slot in
      switch slot.effect {
      case is Reverb: return sum + 14
      case is TruePeakLimiter: return sum + 9
      case is Drive: return sum + 30
      case is Compressor: return sum + 4
      case is DelayEffect, is Chorus: return sum + 3
      default: return sum + 2
      }
    }
  }
}
